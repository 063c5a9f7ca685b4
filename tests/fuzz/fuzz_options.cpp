// libFuzzer harness for the command line: the input split at NUL or newline into argv for
// lrn::cli::parse_command_line. A UsageError is a clean answer; anything else is a bug, and so
// is a UsageError that lets CLI11's own message through (options.cpp's fallback).
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/options.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // --help and --version print to stdout; keep the fuzzer's terminal readable.
  const int null = open("/dev/null", O_WRONLY);
  if (null >= 0) dup2(null, 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args{"lrn-img"};
  std::string cur;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\0' || data[i] == '\n') {
      args.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(data[i]));
    }
  }
  if (!cur.empty()) args.push_back(cur);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  try {
    const auto parsed = lrn::cli::parse_command_line(static_cast<int>(args.size()), argv.data());
    if (parsed.proceed && parsed.options.print_params)
      (void)lrn::cli::describe_params(parsed.options.run.params);
  } catch (const lrn::UsageError& e) {
    // Our messages start with our words (a file name can hold any text, but never comes first).
    if (std::string(e.what()).rfind("the command line could not be read", 0) == 0) std::abort();
  }
  return 0;
}
