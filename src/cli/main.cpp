// lrn-img's entry point: parse, run, and map errors to exit codes (0 ok, 1 file, 2 usage).
#include <fmt/format.h>

#include <csignal>
#include <cstdio>

#include "cli/options.h"
#include "cli/plan.h"
#include "cli/wording.h"

namespace {

int fail(int code, const std::exception& e) {
  const std::string msg = lrn::cli::in_cli_words(e);
  fmt::print(stderr, "lrn-img: error: {}\n", msg);
  return code;
}

int run(int argc, char** argv) {
  auto parsed = lrn::cli::parse_command_line(argc, argv);
  if (!parsed.proceed) return parsed.exit_code;
  auto& o = parsed.options;
  if (o.print_params) {
    if (o.run.method) fmt::print("{}", lrn::cli::describe_method(*o.run.method));
    else fmt::print("{}", lrn::cli::describe_params(o.run.params));
    return 0;
  }
  return lrn::cli::run_files(o);
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe (lrn-img --help | head) ends the process quietly, as it does for cat, even
  // when the parent left SIGPIPE ignored. Image runs ignore SIGPIPE instead (run_jobs): they
  // see EPIPE, remove their temporary files and return 141 themselves.
  signal(SIGPIPE, SIG_DFL);
  try {
    return run(argc, argv);
  } catch (const lrn::UsageError& e) {
    return fail(2, e);
  } catch (const lrn::FileError& e) {
    return fail(1, e);
  } catch (const std::bad_alloc&) {
    return fail(1, std::runtime_error("out of memory"));
  } catch (const std::exception& e) {
    return fail(1, e);
  }
}
