// OutputFile: all-or-nothing output. A regular (or new) file is written to a temporary file in
// the same folder and renamed into place on commit(); anything else (/dev/null, a FIFO,
// stdout) is written directly, never renamed over.
#pragma once

#include <memory>
#include <string>

#include "image/byte_stream.h"

namespace lrn {

class OutputFile : public ByteSink {
 public:
  /// Prepares to write `path` ("-" is stdout). Throws FileError naming the path when its
  /// folder does not exist or is not writable. Nothing visible changes before commit().
  explicit OutputFile(const std::string& path);
  /// Without commit(): the temporary file is removed and an existing file is untouched.
  ~OutputFile() override;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(const void* src, std::size_t n) override;
  const std::string& name() const override { return path_; }
  /// Flushes, syncs and renames into place. Throws FileError; then nothing has changed.
  void commit();
  /// True when writing goes straight to the target (not a regular file).
  bool direct() const { return direct_; }

 private:
  void flush_buffer();
  std::string path_;
  std::string temp_path_;  // empty when direct
  int fd_ = -1;
  bool direct_ = false;
  bool committed_ = false;
  bool owns_fd_ = true;
  std::string buffer_;
};

/// True when a and b name the same existing file (same device and inode).
bool same_file(const std::string& a, const std::string& b);

}  // namespace lrn
