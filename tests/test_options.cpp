// Option parsing in-process: parse_command_line's shortcut for a plain `IN OUT` (no CLI11)
// must give exactly what CLI11's parse gives.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cli/options.h"
#include "image/errors.h"

namespace {

using lrn::cli::CliOptions;
using lrn::cli::ParseResult;

ParseResult parse(std::vector<std::string> args, bool with_cli11) {
  args.insert(args.begin(), "lrn-img");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int argc = static_cast<int>(args.size());
  return with_cli11 ? lrn::cli::parse_command_line_with_cli11(argc, argv.data())
                    : lrn::cli::parse_command_line(argc, argv.data());
}

void require_same(const CliOptions& a, const CliOptions& b) {
  CHECK(a.batch.inputs == b.batch.inputs);
  CHECK(a.batch.output == b.batch.output);
  CHECK(a.batch.out_dir == b.batch.out_dir);
  CHECK(a.batch.files_from == b.batch.files_from);
  CHECK(a.batch.suffix == b.batch.suffix);
  CHECK(a.batch.jobs == b.batch.jobs);
  CHECK(a.batch.nul == b.batch.nul);
  CHECK(a.batch.skip_existing == b.batch.skip_existing);
  CHECK(a.batch.quiet == b.batch.quiet);
  CHECK(a.batch.stats == b.batch.stats);
  CHECK(a.batch.json == b.batch.json);
  CHECK(a.framework.convention == b.framework.convention);
  CHECK(a.framework.window == b.framework.window);
  CHECK(a.framework.bias == b.framework.bias);
  CHECK(a.framework.alpha == b.framework.alpha);
  CHECK(a.framework.beta == b.framework.beta);
  CHECK(a.run.params.before == b.run.params.before);
  CHECK(a.run.params.after == b.run.params.after);
  CHECK(a.run.params.bias == b.run.params.bias);
  CHECK(a.run.params.alpha == b.run.params.alpha);
  CHECK(a.run.params.beta == b.run.params.beta);
  CHECK(a.run.quality == b.run.quality);
  CHECK(a.run.rescale == b.run.rescale);
  CHECK(a.run.pixel_scale == b.run.pixel_scale);
  CHECK(a.run.max_pixels == b.run.max_pixels);
  CHECK(a.run.max_npy_bytes == b.run.max_npy_bytes);
  CHECK(a.run.max_row_bytes == b.run.max_row_bytes);
  CHECK(a.run.lenient == b.run.lenient);
  CHECK(a.run.strict == b.run.strict);
  CHECK(a.run.threads == b.run.threads);
  CHECK(a.run.out_format == b.run.out_format);
  CHECK(a.run.auto_orient == b.run.auto_orient);
  CHECK(a.print_params == b.print_params);
}

}  // namespace

TEST_CASE("options: a plain IN OUT gives what CLI11's parse gives") {
  const std::vector<std::vector<std::string>> cases = {
      {"in.jpg", "out.jpg"},       {"photo.png", "out.npy"},   {"a b.jpeg", "c d.png"},
      {"in.jpg", "out.txt"},       {"in.jpg", "in.jpg"},       {"dir/x.npy", "=y.jpg"},
      {"no-extension", "out.JPG"}, {"in.jpg", "x=--radius 3"},
  };
  for (const auto& files : cases) {
    INFO(files[0] << " " << files[1]);
    const ParseResult fast = parse(files, false);
    const ParseResult cli11 = parse(files, true);
    REQUIRE(fast.proceed);
    REQUIRE(cli11.proceed);
    CHECK(fast.exit_code == cli11.exit_code);
    CHECK(fast.options.batch.inputs == std::vector<std::string>{files[0]});
    CHECK(fast.options.batch.output == files[1]);
    require_same(fast.options, cli11.options);
  }
}

TEST_CASE("options: anything but two plain arguments still goes through CLI11") {
  // "-" is stdout: CLI11's path asks for --format, as it does for any OUT of "-".
  CHECK_THROWS_AS(parse({"in.jpg", "-"}, false), lrn::UsageError);
  // An option among two arguments is parsed, not taken for a file.
  CHECK_THROWS_AS(parse({"in.jpg", "--radius"}, false), lrn::UsageError);
  const ParseResult three = parse({"in.jpg", "out.jpg", "--radius=3"}, false);
  REQUIRE(three.proceed);
  CHECK(three.options.run.params.before == 3);
  const ParseResult params = parse({"--print-params", "--radius=1"}, false);
  REQUIRE(params.proceed);
  CHECK(params.options.print_params);
  CHECK(params.options.run.params.after == 1);
}
