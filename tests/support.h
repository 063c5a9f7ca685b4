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
  std::vector<std::string> entries() const { return entries_of(path_); }
  /// Names of the entries in any folder.
  static std::vector<std::string> entries_of(const std::string& dir);

 private:
  std::string path_;
};

std::vector<std::uint8_t> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes);
bool exists(const std::string& path);

struct RunResult {
  int exit_code = -1;  ///< the process's exit status; 128 + signal when killed by one
  std::string out;     ///< everything on stdout
  std::string err;     ///< everything on stderr
};

/// Runs the lrn-img binary with args (no shell), stdin from /dev/null or `input`.
RunResult run_cli(const std::vector<std::string>& args, const std::string& input = {});

/// Runs any program: argv[0] is its path (no PATH search). Otherwise as run_cli.
RunResult run_program(const std::vector<std::string>& argv, const std::string& input = {});

/// Paths of the project's files used by tests. binary_path: $LRN_IMG_TEST_BINARY when set.
std::string binary_path();
std::string data_path(const std::string& name);    ///< tests/data/<name>
std::string sample_path(const std::string& name);  ///< samples/<name>
std::string source_path(const std::string& name);  ///< <the project's root>/<name>

}  // namespace lrn_test

#include "image/format.h"

namespace lrn_test {

/// A whole decoded image: its info and all its rows' bytes.
struct Decoded {
  lrn::ImageInfo info;
  std::vector<std::uint8_t> bytes;
  /// Sample i (row-major, channels interleaved) as a double, whatever the sample type.
  double at(std::size_t i) const;
  std::size_t samples() const { return info.height * info.row_samples(); }
};

/// A source whose every read throws FileError "cannot read '<name>': boom".
struct FailingSource : lrn::ByteSource {
  explicit FailingSource(std::string n) : n_(std::move(n)) {}
  std::size_t read(void*, std::size_t) override;
  std::vector<std::uint8_t> peek(std::size_t) override { return {}; }
  const std::string& name() const override { return n_; }
  std::string n_;
};

/// A sink whose every write throws FileError "cannot write '<name>': disk full".
struct FailingSink : lrn::ByteSink {
  explicit FailingSink(std::string n) : n_(std::move(n)) {}
  void write(const void*, std::size_t) override;
  const std::string& name() const override { return n_; }
  std::string n_;
};

/// Decodes a file with lrn-img's own readers (default options).
Decoded decode_file(const std::string& path);

/// An image decoded by one codec's reader, with the warnings the reader gave.
struct DecodedImage {
  lrn::ImageInfo info;
  std::vector<std::uint8_t> pixels;
  std::vector<std::string> warnings;
};

/// A codec's reader factory, such as lrn::open_jpeg_reader (image/codecs.h).
using ReaderFactory = std::unique_ptr<lrn::ImageReader> (*)(std::unique_ptr<lrn::ByteSource>,
                                                            const lrn::DecodeOptions&);

/// Decodes `bytes` (named `name` in messages) with `open`, collecting warnings instead of
/// opt.warn, in two read_rows calls of different sizes as the pipeline reads in strips: the
/// first takes height / split rows.
DecodedImage decode_in_two_reads(ReaderFactory open, const std::vector<std::uint8_t>& bytes,
                                 lrn::DecodeOptions opt, const std::string& name,
                                 std::size_t split);

/// Writes an image file with lrn-img's own writer: `height` rows of packed `info` samples.
void write_image(const std::string& path, lrn::Format format, const lrn::ImageInfo& info,
                 const void* pixels);

/// Writes float32 HWC values as a .npy file with lrn-img's writer.
void write_npy(const std::string& path, std::size_t h, std::size_t w, std::size_t c,
               const std::vector<float>& values);

}  // namespace lrn_test
