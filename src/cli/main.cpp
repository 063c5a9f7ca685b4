// lrn-img's entry point: parse, run, and map errors to exit codes (0 ok, 1 file, 2 usage).
#include <fmt/format.h>

#include <cstdio>

#include "cli/options.h"

namespace {

void warn(const std::string& msg) { fmt::print(stderr, "lrn-img: warning: {}\n", msg); }

int fail(int code, const char* msg) {
  fmt::print(stderr, "lrn-img: error: {}\n", msg);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto parsed = lrn::cli::parse_command_line(argc, argv);
    if (!parsed.proceed) return parsed.exit_code;
    auto& o = parsed.options;
    if (o.print_params) {
      fmt::print("{}", lrn::cli::describe_params(o.run.params));
      return 0;
    }
    o.run.warn = warn;
    lrn::process_file(o.input, o.output, o.run);
    return 0;
  } catch (const lrn::UsageError& e) {
    return fail(2, e.what());
  } catch (const lrn::FileError& e) {
    return fail(1, e.what());
  } catch (const std::bad_alloc&) {
    return fail(1, "out of memory");
  } catch (const std::exception& e) {
    return fail(1, e.what());
  }
}
