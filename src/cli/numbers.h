// Numbers on the command line: one grammar and one set of messages for every numeric option.
#pragma once

#include <cstdint>
#include <string>

namespace lrn::cli {

/// The grammar of every numeric option: a decimal in the "C" locale whatever the user's,
///   [+|-] (digits [. [digits]] | . digits) [(e|E) [+|-] digits]
/// so "+1", "-0.5", ".75", "1e-4" and "2E3" are numbers; "0x10", "inf", "nan", "1,5", " 1"
/// and "" are not. Every function throws UsageError naming the option and the value, e.g.
/// "--alpha: '0x10' is not a decimal number".

/// A finite double. A value too large for a double is an error ("overflows"), and so is a
/// nonzero value that rounds to 0 ("underflows": |v| below ~4.9e-324, e.g. 1e-400); a value
/// between that and 2.2e-308 is kept as the nearest subnormal double.
double parse_real(const std::string& text, const std::string& option);

/// parse_real, or a quotient "a/b" of two such numbers (alpha: "0.001/9"); b may not be 0,
/// and the quotient itself may not overflow or underflow.
double parse_real_or_quotient(const std::string& text, const std::string& option);

/// A whole number in [min, max], exactly (no rounding through double). The same grammar, so
/// "1e6" is 1000000 and "4.0" is 4; "2.5" is not a whole number. Out of range is an error that
/// states the range.
std::uint64_t parse_whole(const std::string& text, const std::string& option, std::uint64_t min,
                          std::uint64_t max);

}  // namespace lrn::cli
