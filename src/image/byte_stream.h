// Byte sources and sinks: how codecs see files, so that a path, stdin or a FIFO all work and
// the format can be sniffed from the first bytes without seeking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lrn {

/// A forward-only byte stream with a name for messages. Reads are buffered.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Up to n bytes into dst; returns the count, 0 only at end of stream. Throws FileError
  /// ("cannot read 'name': ...") on an I/O error.
  virtual std::size_t read(void* dst, std::size_t n) = 0;
  /// The first up-to-n bytes of the stream without consuming them (only before any read).
  /// Fewer than n only at end of stream. Works on pipes and FIFOs: the bytes stay buffered.
  virtual std::vector<std::uint8_t> peek(std::size_t n) = 0;
  /// The name used in messages: the path as given, or "<stdin>".
  virtual const std::string& name() const = 0;
  /// Bytes left to read when the source knows it (a regular file opened by path, memory);
  /// nullopt for pipes, FIFOs and stdin. A hint for refusing a truncated file before
  /// allocating for it: the file can still change, so reads must check for the end anyway.
  virtual std::optional<std::uint64_t> remaining() const { return std::nullopt; }
  /// Reads exactly n bytes or throws FileError "cannot decode 'name': <what> is truncated".
  void read_exact(void* dst, std::size_t n, const char* what);
  /// Random access, for formats that need it (TIFF): the stream's whole size when it can be
  /// read at any offset (a regular file opened by path, memory); nullopt for pipes, FIFOs and
  /// stdin.
  virtual std::optional<std::uint64_t> size() const { return std::nullopt; }
  /// Up to n bytes from `offset` into dst, independent of read(); 0 at or past the end. Only
  /// where size() is known (a logic error otherwise). Throws FileError on an I/O error.
  virtual std::size_t read_at(std::uint64_t offset, void* dst, std::size_t n);
};

/// Opens a path for reading ("-" is stdin). Throws FileError naming the path when it does
/// not exist, is a directory or cannot be opened.
std::unique_ptr<ByteSource> open_source(const std::string& path);

/// A source over bytes in memory (tests, fuzzing).
std::unique_ptr<ByteSource> memory_source(std::vector<std::uint8_t> bytes, std::string name);

/// Where encoders put bytes. Throws FileError ("cannot write 'name': ...") on failure.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const void* src, std::size_t n) = 0;
  virtual const std::string& name() const = 0;
  /// Overwrites n bytes already written, from `offset` (offset + n at most what was written),
  /// for formats that patch their header at the end (TIFF). False when the sink cannot (a
  /// pipe, a terminal): nothing was written then.
  virtual bool write_at(std::uint64_t offset, const void* src, std::size_t n) {
    (void)offset, (void)src, (void)n;
    return false;
  }
};

/// A sink into memory (tests).
class MemorySink : public ByteSink {
 public:
  explicit MemorySink(std::string name = "<memory>") : name_(std::move(name)) {}
  void write(const void* src, std::size_t n) override;
  bool write_at(std::uint64_t offset, const void* src, std::size_t n) override;
  const std::string& name() const override { return name_; }
  std::vector<std::uint8_t> bytes;

 private:
  std::string name_;
};

}  // namespace lrn
