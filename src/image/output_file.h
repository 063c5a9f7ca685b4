// OutputFile: all-or-nothing output. A regular (or new) file is written to a temporary file in
// the same folder (an unnamed O_TMPFILE where the file system has it, so that even SIGKILL
// leaves nothing) and renamed into place on commit(); anything else (/dev/null, a FIFO,
// stdout) is written directly, never renamed over.
#pragma once

#include <memory>
#include <string>

#include "image/byte_stream.h"

namespace lrn {

class OutputFile : public ByteSink {
 public:
  /// Prepares to write `path` ("-" is stdout, named "<stdout>" in messages). Throws FileError
  /// naming the path when its folder does not exist or is not writable. For a regular or new
  /// file nothing visible changes before commit() (without O_TMPFILE: a hidden
  /// `.<name>.lrn-img-XXXXXX` beside it). A symlink to a regular file is followed: the file it
  /// points at is replaced (atomically, in its own folder), the link stays. A dangling symlink
  /// is refused (FileError), never replaced. Opening an existing FIFO blocks until it has a
  /// reader; that wait and every write end with Cancelled once lrn::request_stop() was called.
  /// Writing to a closed stdout (EPIPE) calls request_stop(SIGPIPE) and throws Cancelled.
  explicit OutputFile(const std::string& path);
  /// Without commit(): the temporary file is removed and an existing file is untouched. A
  /// direct output keeps whatever was already flushed to it.
  ~OutputFile() override;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(const void* src, std::size_t n) override;
  /// A regular output (its temporary file) can be patched; a direct one cannot (false).
  bool write_at(std::uint64_t offset, const void* src, std::size_t n) override;
  const std::string& name() const override { return path_; }
  /// Flushes and renames into place, keeping an existing target's permission bits (a new file
  /// gets 0666 & ~umask). No fsync: see the .cpp. Throws FileError; then nothing has changed
  /// (for a regular file). For direct outputs it only flushes. write() after commit() is a
  /// logic error; a second commit() does nothing.
  void commit();
  /// True when writing goes straight to the target (not a regular file).
  bool direct() const { return direct_; }

 private:
  void flush_buffer();
  void apply_final_mode();
  void link_unnamed();
  std::string path_;         // as given ("<stdout>" for "-"), for messages
  std::string target_path_;  // what commit() renames over: path_ with a symlink resolved
  std::string temp_path_;    // the named temporary: empty when direct, or unnamed until commit()
  bool unnamed_ = false;     // fd_ is an O_TMPFILE, linked to temp_path_ by commit()
  int fd_ = -1;
  bool direct_ = false;
  bool committed_ = false;
  bool owns_fd_ = true;
  std::string buffer_;
};

/// Whether regular outputs start as unnamed O_TMPFILE files where the file system supports
/// them (default: yes, unless LRN_IMG_NO_O_TMPFILE is set in the environment). Tests turn it
/// off to exercise the named fallback. Affects OutputFiles constructed afterwards.
void set_unnamed_temporaries(bool on);

/// True when a and b name the same existing file (same device and inode).
bool same_file(const std::string& a, const std::string& b);

}  // namespace lrn
