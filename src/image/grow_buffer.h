// GrowBuffer: bytes that grow as an image's rows arrive, for the paths that must hold a whole
// image (--rescale, EXIF rotation). Internal to lrn_io.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace lrn {

/// Grows with realloc, never reserving the size a header declares: a small file that declares
/// a huge image fails when its data runs out, having cost what it delivered. glibc serves
/// large blocks with mmap and grows them with mremap, so growing neither copies nor doubles
/// the peak; new bytes are left uninitialised (their pages resident once written).
class GrowBuffer {
 public:
  GrowBuffer() = default;
  ~GrowBuffer() { std::free(data_); }
  GrowBuffer(const GrowBuffer&) = delete;
  GrowBuffer& operator=(const GrowBuffer&) = delete;

  /// Makes size() at least n, keeping the bytes already there. Throws std::bad_alloc.
  void grow(std::size_t n) {
    if (n <= size_) return;
    if (n > capacity_) {
      const std::size_t cap = std::max(n, capacity_ + capacity_ / 2);
      void* p = std::realloc(data_, cap);
      if (!p) throw std::bad_alloc();
      data_ = static_cast<std::uint8_t*>(p);
      capacity_ = cap;
    }
    size_ = n;
  }
  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
};

}  // namespace lrn
