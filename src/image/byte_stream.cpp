// Byte sources over file descriptors and memory, and the memory sink.
#include "image/byte_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "image/errors.h"
#include "image/stop.h"

namespace lrn {

void ByteSource::read_exact(void* dst, std::size_t n, const char* what) {
  auto* out = static_cast<std::uint8_t*>(dst);
  while (n > 0) {
    const std::size_t got = read(out, n);
    if (got == 0)
      throw FileError("cannot decode " + quoted(name()) + ": " + what + " is truncated", name());
    out += got;
    n -= got;
  }
}

std::size_t ByteSource::read_at(std::uint64_t, void*, std::size_t) {
  throw std::logic_error("ByteSource::read_at on a stream that cannot seek");
}

namespace {

// 64 KB matches the kernel's default pipe capacity, so one read() usually drains a pipe.
constexpr std::size_t kBufferSize = 64 * 1024;

// A buffered reader over a file descriptor. Pipes, FIFOs and terminals cannot seek, so peek()
// keeps what it read in the buffer and later reads are served from there first.
class FdSource : public ByteSource {
 public:
  FdSource(int fd, bool owns_fd, std::string name, std::optional<std::uint64_t> size = {})
      : fd_(fd), owns_fd_(owns_fd), name_(std::move(name)), size_(size), buffer_(kBufferSize) {}
  ~FdSource() override {
    if (owns_fd_) ::close(fd_);
  }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;

  std::size_t read(void* dst, std::size_t n) override {
    if (n == 0) return 0;
    if (begin_ == end_) {
      // A large request bypasses the buffer: one copy fewer for whole rows.
      if (n >= buffer_.size()) return consumed(read_fd(dst, n));
      begin_ = 0;
      end_ = read_fd(buffer_.data(), buffer_.size());
    }
    const std::size_t take = std::min(n, end_ - begin_);
    std::memcpy(dst, buffer_.data() + begin_, take);
    begin_ += take;
    return consumed(take);
  }

  std::vector<std::uint8_t> peek(std::size_t n) override {
    if (buffer_.size() < begin_ + n) buffer_.resize(begin_ + n);
    // A pipe hands out what its writer has written so far: keep reading until n or the end.
    while (end_ - begin_ < n) {
      const std::size_t got = read_fd(buffer_.data() + end_, begin_ + n - end_);
      if (got == 0) break;
      end_ += got;
    }
    const std::size_t have = std::min(n, end_ - begin_);
    return {buffer_.begin() + static_cast<std::ptrdiff_t>(begin_),
            buffer_.begin() + static_cast<std::ptrdiff_t>(begin_ + have)};
  }

  const std::string& name() const override { return name_; }

  std::optional<std::uint64_t> remaining() const override {
    if (!size_) return std::nullopt;
    return *size_ > consumed_ ? *size_ - consumed_ : 0;
  }

  std::optional<std::uint64_t> size() const override { return size_; }

  std::size_t read_at(std::uint64_t offset, void* dst, std::size_t n) override {
    if (!size_) return ByteSource::read_at(offset, dst, n);
    for (;;) {
      throw_if_stopped();
      const ssize_t got = ::pread(fd_, dst, n, static_cast<off_t>(offset));
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR)
        throw FileError("cannot read " + quoted(name_) + ": " + errno_phrase(errno));
    }
  }

 private:
  std::size_t consumed(std::size_t n) {
    consumed_ += n;
    return n;
  }

  std::size_t read_fd(void* dst, std::size_t n) {
    // A stalled pipe blocks here: a stop request interrupts read() (EINTR) and ends it.
    for (;;) {
      throw_if_stopped();
      const ssize_t got = ::read(fd_, dst, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR)
        throw FileError("cannot read " + quoted(name_) + ": " + errno_phrase(errno), name_);
    }
  }

  int fd_;
  bool owns_fd_;
  std::string name_;
  std::optional<std::uint64_t> size_;  // regular files: the size when opened
  std::uint64_t consumed_ = 0;         // bytes handed out by read()
  std::vector<std::uint8_t> buffer_;
  std::size_t begin_ = 0;  // next unread byte in buffer_
  std::size_t end_ = 0;    // one past the last valid byte in buffer_
};

class MemorySource : public ByteSource {
 public:
  MemorySource(std::vector<std::uint8_t> bytes, std::string name)
      : bytes_(std::move(bytes)), name_(std::move(name)) {}

  std::size_t read(void* dst, std::size_t n) override {
    const std::size_t take = std::min(n, bytes_.size() - pos_);
    if (take > 0) std::memcpy(dst, bytes_.data() + pos_, take);
    pos_ += take;
    return take;
  }

  std::vector<std::uint8_t> peek(std::size_t n) override {
    const std::size_t have = std::min(n, bytes_.size() - pos_);
    const auto first = bytes_.begin() + static_cast<std::ptrdiff_t>(pos_);
    return {first, first + static_cast<std::ptrdiff_t>(have)};
  }

  const std::string& name() const override { return name_; }

  std::optional<std::uint64_t> remaining() const override { return bytes_.size() - pos_; }

  std::optional<std::uint64_t> size() const override { return bytes_.size(); }

  std::size_t read_at(std::uint64_t offset, void* dst, std::size_t n) override {
    if (offset >= bytes_.size()) return 0;
    const std::size_t take =
        std::min<std::size_t>(n, bytes_.size() - static_cast<std::size_t>(offset));
    std::memcpy(dst, bytes_.data() + offset, take);
    return take;
  }

 private:
  std::vector<std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::string name_;
};

[[noreturn]] void throw_read_error(const std::string& path, int err) {
  throw FileError("cannot read " + quoted(path) + ": " + errno_phrase(err), path);
}

}  // namespace

std::unique_ptr<ByteSource> open_source(const std::string& path) {
  // stdin belongs to the process: read it, never close it.
  if (path == "-") return std::make_unique<FdSource>(0, false, "<stdin>");
  int fd;
  do {  // opening a FIFO waits for a writer: a stop request interrupts it (EINTR) and ends it
    throw_if_stopped();
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw_read_error(path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw_read_error(path, err);
  }
  // Linux lets O_RDONLY open a directory; say so now rather than fail later with EISDIR.
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw_read_error(path, EISDIR);
  }
  std::optional<std::uint64_t> size;
  if (S_ISREG(st.st_mode)) size = static_cast<std::uint64_t>(st.st_size);
  return std::make_unique<FdSource>(fd, true, path, size);
}

std::unique_ptr<ByteSource> memory_source(std::vector<std::uint8_t> bytes, std::string name) {
  return std::make_unique<MemorySource>(std::move(bytes), std::move(name));
}

void MemorySink::write(const void* src, std::size_t n) {
  const auto* p = static_cast<const std::uint8_t*>(src);
  bytes.insert(bytes.end(), p, p + n);
}

bool MemorySink::write_at(std::uint64_t offset, const void* src, std::size_t n) {
  if (offset > bytes.size() || n > bytes.size() - offset)
    throw std::logic_error("MemorySink::write_at past the end");
  if (n > 0) std::memcpy(bytes.data() + offset, src, n);
  return true;
}

}  // namespace lrn
