// The one number parser behind every numeric option (see numbers.h for the grammar).
#include "cli/numbers.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "image/errors.h"

namespace lrn::cli {
namespace {

// A decimal split into its parts: value = (negative ? -1 : 1) * 0.digits * 10^point, where
// `digits` has no leading zeros (empty for zero).
struct Decimal {
  bool negative = false;
  std::string digits;
  long long point = 0;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<Decimal> scan(const std::string& t) {
  Decimal d;
  std::size_t i = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) d.negative = t[i++] == '-';
  std::size_t int_digits = 0, frac_digits = 0;
  std::string all;
  for (; i < t.size() && is_digit(t[i]); ++i, ++int_digits) all += t[i];
  if (i < t.size() && t[i] == '.')
    for (++i; i < t.size() && is_digit(t[i]); ++i, ++frac_digits) all += t[i];
  if (int_digits + frac_digits == 0) return std::nullopt;
  long long exp = 0;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) neg = t[i++] == '-';
    if (i == t.size()) return std::nullopt;
    for (; i < t.size() && is_digit(t[i]); ++i)
      if (exp < 1'000'000'000) exp = exp * 10 + (t[i] - '0');  // saturates far beyond any use
    if (neg) exp = -exp;
  }
  if (i != t.size()) return std::nullopt;
  const std::size_t lead = all.find_first_not_of('0');
  if (lead == std::string::npos) return d;  // zero
  const std::size_t last = all.find_last_not_of('0');
  d.digits = all.substr(lead, last - lead + 1);
  d.point = static_cast<long long>(int_digits) - static_cast<long long>(lead) + exp;
  return d;
}

[[noreturn]] void refuse(const std::string& option, const std::string& text,
                         const std::string& why) {
  throw UsageError(fmt::format("{}: {} {}", option, quoted(text), why));
}

Decimal scan_or_refuse(const std::string& text, const std::string& option, const char* like) {
  if (text.empty()) throw UsageError(fmt::format("{}: the value is empty; give {}", option, like));
  const auto d = scan(text);
  if (!d) refuse(option, text, fmt::format("is not a decimal number; give {}", like));
  return *d;
}

const char* kReal = "a number like 0.75, -2 or 1e-4";
const char* kUnderflows =
    "underflows: it is not 0 but rounds to 0 in a double; give 0 or a larger value";

double to_double(const std::string& text, const Decimal& d, const std::string& option) {
  const std::size_t skip = text[0] == '+' ? 1 : 0;  // from_chars takes no '+'
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data() + skip, end, v, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) {
    if (d.point > 0) refuse(option, text, "is too large (it overflows a double, max ~1.8e308)");
    refuse(option, text, kUnderflows);
  }
  if (ec != std::errc() || ptr != end)
    refuse(option, text, fmt::format("is not a decimal number; give {}", kReal));
  return v;
}

}  // namespace

double parse_real(const std::string& text, const std::string& option) {
  return to_double(text, scan_or_refuse(text, option, kReal), option);
}

double parse_real_or_quotient(const std::string& text, const std::string& option) {
  const auto slash = text.find('/');
  const char* like = "a number like 1e-4, or a quotient like 0.001/9";
  if (slash == std::string::npos)
    return to_double(text, scan_or_refuse(text, option, like), option);
  const std::string a = text.substr(0, slash), b = text.substr(slash + 1);
  if (a.empty() || b.empty() || !scan(a) || !scan(b))
    refuse(option, text, fmt::format("is not a decimal number; give {}", like));
  const double num = to_double(a, *scan(a), option), den = to_double(b, *scan(b), option);
  if (den == 0) refuse(option, text, "divides by 0");
  const double v = num / den;
  if (!std::isfinite(v)) refuse(option, text, "is too large (it overflows a double, max ~1.8e308)");
  if (v == 0 && num != 0) refuse(option, text, kUnderflows);
  return v;
}

std::uint64_t parse_whole(const std::string& text, const std::string& option, std::uint64_t min,
                          std::uint64_t max) {
  const std::string range = fmt::format("a whole number from {} to {}", min, max);
  const Decimal d = scan_or_refuse(text, option, range.c_str());
  if (d.digits.empty()) {
    if (min > 0) refuse(option, text, "is out of range; give " + range);
    return 0;
  }
  if (d.point < static_cast<long long>(d.digits.size()))
    refuse(option, text, "is not a whole number; give " + range);
  if (d.negative || d.point > 20) refuse(option, text, "is out of range; give " + range);
  std::uint64_t v = 0;
  for (long long k = 0; k < d.point; ++k) {
    const unsigned digit = k < static_cast<long long>(d.digits.size()) ? d.digits[k] - '0' : 0;
    if (v > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
      refuse(option, text, "is out of range; give " + range);
    v = v * 10 + digit;
  }
  if (v < min || v > max) refuse(option, text, "is out of range; give " + range);
  return v;
}

}  // namespace lrn::cli
