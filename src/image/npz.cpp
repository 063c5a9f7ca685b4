// .npz reading for ZCA: the zip container (central directory, stored or deflated members,
// CRC-32 checked) and the minimal .npy parsing two float arrays need. Every size comes from
// the file, so each is checked against what is there before it is used.
#include "image/npz.h"

#include <zlib.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <vector>

#include "image/errors.h"

namespace lrn {
namespace {

using Bytes = std::vector<unsigned char>;

struct Reader {
  std::string path;
  [[noreturn]] void fail(const std::string& why) const {
    throw FileError("cannot read the ZCA whitening " + quoted(path) + ": " + why);
  }
};

std::uint32_t le32(const unsigned char* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint16_t le16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

// The zip's members by name, uncompressed.
std::map<std::string, Bytes> unzip(const Bytes& z, const Reader& r) {
  if (z.size() < 22) r.fail("not a .npz file (too short for a zip)");
  // End of central directory: the last signature within the final 64 KB + 22 bytes.
  std::size_t eocd = std::string::npos;
  const std::size_t lowest = z.size() > 65557 ? z.size() - 65557 : 0;
  for (std::size_t i = z.size() - 22 + 1; i-- > lowest;)
    if (le32(&z[i]) == 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd == std::string::npos)
    r.fail("not a .npz file (no zip directory); write it with np.savez");
  const std::size_t entries = le16(&z[eocd + 10]);
  const std::uint32_t dir_size = le32(&z[eocd + 12]), dir_at = le32(&z[eocd + 16]);
  if (entries == 0xffff || dir_at == 0xffffffffu) r.fail("zip64 archives are not supported");
  if (std::uint64_t{dir_at} + dir_size > eocd) r.fail("damaged zip directory");
  std::map<std::string, Bytes> out;
  std::size_t at = dir_at;
  for (std::size_t e = 0; e < entries; ++e) {
    if (at + 46 > eocd || le32(&z[at]) != 0x02014b50) r.fail("damaged zip directory");
    const unsigned method = le16(&z[at + 10]);
    const std::uint32_t crc = le32(&z[at + 16]), csize = le32(&z[at + 20]),
                        usize = le32(&z[at + 24]);
    const std::size_t nlen = le16(&z[at + 28]), xlen = le16(&z[at + 30]), clen = le16(&z[at + 32]);
    const std::uint32_t local = le32(&z[at + 42]);
    if (at + 46 + nlen + xlen + clen > eocd) r.fail("damaged zip directory");
    const std::string name(reinterpret_cast<const char*>(&z[at + 46]), nlen);
    at += 46 + nlen + xlen + clen;
    if (name != "mean.npy" && name != "P.npy") continue;
    if (csize == 0xffffffffu || usize == 0xffffffffu || local == 0xffffffffu)
      r.fail("zip64 members are not supported");
    if (std::uint64_t{local} + 30 > z.size() || le32(&z[local]) != 0x04034b50)
      r.fail("damaged zip member '" + name + "'");
    const std::uint64_t data =
        std::uint64_t{local} + 30 + le16(&z[local + 26]) + le16(&z[local + 28]);
    if (data + csize > z.size()) r.fail("zip member '" + name + "' is truncated");
    if (usize > kMaxZcaBytes) r.fail("zip member '" + name + "' is too large");
    Bytes u(usize);
    if (method == 0) {
      if (csize != usize) r.fail("damaged zip member '" + name + "'");
      std::memcpy(u.data(), &z[data], usize);
    } else if (method == 8) {
      z_stream s{};
      if (inflateInit2(&s, -MAX_WBITS) != Z_OK) r.fail("zlib could not start");
      s.next_in = const_cast<unsigned char*>(&z[data]);
      s.avail_in = csize;
      s.next_out = u.data();
      s.avail_out = usize;
      const int rc = inflate(&s, Z_FINISH);
      const bool ok = rc == Z_STREAM_END && s.total_out == usize;
      inflateEnd(&s);
      if (!ok) r.fail("zip member '" + name + "' does not inflate to its stated size");
    } else {
      r.fail("zip member '" + name + "' uses compression method " + std::to_string(method) +
             " (np.savez writes 0, np.savez_compressed 8)");
    }
    if (crc32(0L, u.data(), static_cast<uInt>(u.size())) != crc)
      r.fail("zip member '" + name + "' fails its CRC-32 check");
    out[name] = std::move(u);
  }
  return out;
}

// A float32 / float64 little-endian array, C order (Fortran order of a 2-D array transposed).
std::vector<double> parse_npy(const Bytes& b, const std::string& what,
                              std::vector<std::size_t>* shape, const Reader& r) {
  const std::string where = "'" + what + "' ";
  if (b.size() < 10 || std::memcmp(b.data(), "\x93NUMPY", 6) != 0)
    r.fail(where + "is not a .npy array");
  std::size_t hlen = 0, hstart = 0;
  if (b[6] == 1) hlen = le16(&b[8]), hstart = 10;
  else if (b[6] == 2 || b[6] == 3) {
    if (b.size() < 12) r.fail(where + "is truncated");
    hlen = le32(&b[8]), hstart = 12;
  } else r.fail(where + "has an unknown .npy version");
  if (hstart + hlen > b.size()) r.fail(where + "is truncated");
  const std::string h(reinterpret_cast<const char*>(&b[hstart]), hlen);
  std::size_t size = 0;
  if (h.find("'descr': '<f8'") != std::string::npos) size = 8;
  else if (h.find("'descr': '<f4'") != std::string::npos) size = 4;
  else r.fail(where + "must be float32 or float64 (little-endian)");
  const bool fortran = h.find("'fortran_order': True") != std::string::npos;
  const std::size_t open = h.find('(', h.find("'shape'")), close = h.find(')', open);
  if (h.find("'shape'") == std::string::npos || open == std::string::npos ||
      close == std::string::npos)
    r.fail(where + "has no shape");
  shape->clear();
  std::uint64_t count = 1;
  for (std::size_t i = open + 1; i < close;) {
    while (i < close && (h[i] == ' ' || h[i] == ',')) ++i;
    if (i >= close) break;
    std::uint64_t d = 0;
    std::size_t digits = 0;
    // At most 9 digits per axis: count (<= kMaxZcaBytes after each axis) times one more axis
    // stays far inside 64 bits.
    for (; i < close && h[i] >= '0' && h[i] <= '9' && digits < 10; ++i, ++digits)
      d = d * 10 + (h[i] - '0');
    if (digits == 0) r.fail(where + "has a bad shape");
    if (digits == 10) r.fail(where + "is too large");
    shape->push_back(static_cast<std::size_t>(d));
    count *= d;
    if (count > kMaxZcaBytes) r.fail(where + "is too large");
  }
  const std::size_t data = hstart + hlen;
  if (b.size() - data != count * size)
    r.fail(where + "holds " + std::to_string(b.size() - data) + " data bytes, not the " +
           std::to_string(count * size) + " its shape needs");
  std::vector<double> v(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (size == 8) std::memcpy(&v[i], &b[data + 8 * i], 8);
    else {
      float f;
      std::memcpy(&f, &b[data + 4 * i], 4);
      v[i] = f;
    }
  }
  if (fortran && shape->size() == 2) {
    const std::size_t rows = (*shape)[0], cols = (*shape)[1];
    std::vector<double> t(count);
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) t[i * cols + j] = v[j * rows + i];
    v.swap(t);
  }
  for (double x : v)
    if (!std::isfinite(x)) r.fail(where + "holds a value that is not finite");
  return v;
}

}  // namespace

family::ZcaParams read_zca_npz(const std::string& path) {
  const Reader r{path};
  std::ifstream f(path, std::ios::binary);
  if (!f)
    throw FileError("cannot open the ZCA whitening " + quoted(path) + ": " + std::strerror(errno));
  f.seekg(0, std::ios::end);
  const std::streamoff n = f.tellg();
  if (n < 0) r.fail("cannot tell its size");
  if (static_cast<std::uint64_t>(n) > kMaxZcaBytes) r.fail("larger than 256 MB");
  f.seekg(0);
  Bytes z(static_cast<std::size_t>(n));
  if (!f.read(reinterpret_cast<char*>(z.data()), n)) r.fail("read failed");
  const auto members = unzip(z, r);
  for (const char* need : {"mean.npy", "P.npy"})
    if (!members.count(need))
      r.fail(std::string("no array '") + std::string(need, std::strlen(need) - 4) +
             "' (write it with np.savez(F, mean=mean, P=P))");
  std::vector<std::size_t> ms, ps;
  family::ZcaParams z_params;
  z_params.mean = parse_npy(members.at("mean.npy"), "mean", &ms, r);
  z_params.P = parse_npy(members.at("P.npy"), "P", &ps, r);
  if (ms.size() != 1 || ms[0] == 0) r.fail("'mean' must have shape (C,)");
  if (ps.size() != 2 || ps[0] != ms[0] || ps[1] != ms[0])
    r.fail("'P' must have shape (" + std::to_string(ms[0]) + ", " + std::to_string(ms[0]) +
           ") for a mean of " + std::to_string(ms[0]) + " values");
  return z_params;
}

}  // namespace lrn
