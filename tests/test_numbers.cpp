// The one number grammar of the command line (src/cli/numbers.h), in-process: what is a
// number, exact whole numbers, overflow and underflow, and messages that name the option.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "cli/numbers.h"
#include "image/errors.h"

using Catch::Matchers::Contains;
using lrn::UsageError;
using lrn::cli::parse_real;
using lrn::cli::parse_real_or_quotient;
using lrn::cli::parse_whole;

namespace {
constexpr auto kMax64 = std::numeric_limits<std::uint64_t>::max();
}

TEST_CASE("numbers: decimals with sign and exponent, in any locale", "[cli][numbers]") {
  CHECK(parse_real("+1", "--beta") == 1);
  CHECK(parse_real("-0.5", "--beta") == -0.5);
  CHECK(parse_real(".75", "--beta") == 0.75);
  CHECK(parse_real("5.", "--beta") == 5);
  CHECK(parse_real("1e-4", "--beta") == 1e-4);
  CHECK(parse_real("2E+3", "--beta") == 2000);
  CHECK(parse_real("1e-310", "--beta") == 1e-310);  // subnormal, but not 0: kept
  CHECK(parse_real_or_quotient("0.001/9", "--alpha") == 0.001 / 9);
  CHECK(parse_real_or_quotient("+1/-4", "--alpha") == -0.25);
}

TEST_CASE("numbers: anything else is a usage error naming the option and the value",
          "[cli][numbers]") {
  const std::string text = GENERATE(as<std::string>{}, "0x10", "inf", "-inf", "nan", "1,5", " 1",
                                    "1 ", "1e", "e5", ".", "+", "--1", "1.2.3", "١", "1/", "/2");
  INFO(text);
  CHECK_THROWS_WITH(parse_real_or_quotient(text, "--alpha"),
                    Contains("--alpha: ") && Contains("is not a decimal number"));
  CHECK_THROWS_AS(parse_whole(text, "--max-pixels", 1, kMax64), UsageError);
  CHECK_THROWS_WITH(parse_real("", "--beta"), Contains("--beta: the value is empty"));
}

TEST_CASE("numbers: overflow, underflow and division by 0 say so", "[cli][numbers]") {
  CHECK_THROWS_WITH(parse_real("1e400", "--beta"),
                    "--beta: '1e400' is too large (it overflows a double, max ~1.8e308)");
  CHECK_THROWS_WITH(parse_real("-1e400", "--beta"), Contains("overflows"));
  CHECK_THROWS_WITH(parse_real_or_quotient("1e-400", "--alpha"),
                    Contains("--alpha: '1e-400' underflows"));
  CHECK_THROWS_WITH(parse_real_or_quotient("1e-200/1e200", "--alpha"), Contains("underflows"));
  CHECK_THROWS_WITH(parse_real_or_quotient("1e200/1e-200", "--alpha"), Contains("overflows"));
  CHECK_THROWS_WITH(parse_real_or_quotient("1/0", "--alpha"), Contains("divides by 0"));
  CHECK(parse_real("0e-400", "--beta") == 0);  // zero is zero, not an underflow
  CHECK(parse_real("0.000e999999999999", "--beta") == 0);
}

TEST_CASE("numbers: whole numbers are exact and range-checked", "[cli][numbers]") {
  CHECK(parse_whole("+16", "--threads", 1, 1024) == 16);
  CHECK(parse_whole("1e6", "--max-pixels", 1, kMax64) == 1000000);
  CHECK(parse_whole("4.0", "--radius", 0, 100) == 4);
  CHECK(parse_whole("-0", "--radius", 0, 100) == 0);
  CHECK(parse_whole("18446744073709551615", "--max-pixels", 1, kMax64) == kMax64);
  CHECK(parse_whole("1.8446744073709551615e19", "--max-pixels", 1, kMax64) == kMax64);
  CHECK_THROWS_WITH(
      parse_whole("18446744073709551616", "--max-pixels", 1, kMax64),
      Contains("is out of range; give a whole number from 1 to 18446744073709551615"));
  CHECK_THROWS_WITH(parse_whole("1e30", "--max-pixels", 1, kMax64), Contains("out of range"));
  CHECK_THROWS_WITH(parse_whole("4294967295", "--threads", 1, 1024),
                    "--threads: '4294967295' is out of range; give a whole number from 1 to 1024");
  CHECK_THROWS_WITH(parse_whole("0", "--threads", 1, 1024), Contains("out of range"));
  CHECK_THROWS_WITH(parse_whole("-1", "--radius", 0, 100), Contains("out of range"));
  CHECK_THROWS_WITH(parse_whole("2.5", "--radius", 0, 100),
                    Contains("'2.5' is not a whole number"));
  CHECK_THROWS_WITH(parse_whole("1e-3", "--radius", 0, 100), Contains("not a whole number"));
}
