// Test helpers: temporary folders, file bytes, and running the real lrn-img binary.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lrn_test {

/// A fresh folder under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  /// Names of the entries in the folder (to check that no temporary file was left).
  std::vector<std::string> entries() const;

 private:
  std::string path_;
};

std::vector<std::uint8_t> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes);
bool exists(const std::string& path);

struct RunResult {
  int exit_code = -1;   ///< the process's exit status; 128 + signal when killed by one
  std::string out;      ///< everything on stdout
  std::string err;      ///< everything on stderr
};

/// Runs the lrn-img binary with args (no shell), stdin from /dev/null or `input`.
RunResult run_cli(const std::vector<std::string>& args, const std::string& input = {});

/// Paths of the project's files used by tests.
std::string binary_path();
std::string data_path(const std::string& name);     ///< tests/data/<name>
std::string sample_path(const std::string& name);   ///< samples/<name>

}  // namespace lrn_test
