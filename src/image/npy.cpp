// NumPy .npy arrays as images: read float16/32/64 or uint8 arrays in any of lrn/layout.h's
// layouts (batches included); write float32 or float16 with the header NumPy itself writes.
#include <cstring>
#include <limits>
#include <stdexcept>

#include "image/codecs.h"

namespace lrn {

namespace {

// The format is specified in NumPy's numpy/lib/format.py (NEP 1): magic, version, a
// little-endian header length (2 bytes in 1.0, 4 in 2.0 and 3.0), then a Python dict literal
// padded with spaces and '\n' so the data starts at a multiple of 64 bytes.
constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
constexpr std::size_t kAlign = 64;
// NumPy refuses headers over 10000 bytes by default; a real image header is under 200.
constexpr std::uint32_t kMaxHeaderSize = 65536;
// Feature maps have tens to thousands of channels; far more is a damaged or hostile header
// that would make the pipeline allocate a huge row.
constexpr std::uint64_t kMaxChannels = 65536;

constexpr bool kHostBigEndian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

[[noreturn]] void fail(const std::string& name, const std::string& why) {
  throw FileError("cannot decode " + quoted(name) + ": " + why, name);
}

struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<std::uint64_t> shape;
};

// A parser for the one Python literal NumPy writes: {'descr': str, 'fortran_order': bool,
// 'shape': tuple of int}, keys in any order, any whitespace, trailing commas allowed.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& name) : s_(text), name_(name) {}

  Header parse() {
    Header h;
    bool seen_descr = false, seen_order = false, seen_shape = false;
    expect('{');
    while (!accept('}')) {
      const std::string key = parse_string();
      expect(':');
      if (key == "descr") {
        if (peek() == '[' || peek() == '(') malformed("structured dtypes are not supported");
        h.descr = parse_string();
        seen_descr = true;
      } else if (key == "fortran_order") {
        h.fortran_order = parse_bool();
        seen_order = true;
      } else if (key == "shape") {
        h.shape = parse_shape();
        seen_shape = true;
      } else {
        malformed("unexpected key " + quoted(key));
      }
      if (!accept(',')) {
        expect('}');
        break;
      }
    }
    skip_space();
    if (pos_ != s_.size()) malformed("unexpected text after the dictionary");
    if (!seen_descr) malformed("no 'descr'");
    if (!seen_order) malformed("no 'fortran_order'");
    if (!seen_shape) malformed("no 'shape'");
    return h;
  }

 private:
  [[noreturn]] void malformed(const std::string& why) const {
    fail(name_, "malformed .npy header: " + why);
  }

  void skip_space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n'))
      ++pos_;
  }
  // The next significant character, '\0' at the end.
  char peek() {
    skip_space();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  void expect(char c) {
    if (!accept(c)) malformed(std::string("expected '") + c + "' at byte " + std::to_string(pos_));
  }

  std::string parse_string() {
    const char q = peek();
    if (q != '\'' && q != '"')
      malformed("expected a quoted string at byte " + std::to_string(pos_));
    const auto end = s_.find(q, pos_ + 1);
    if (end == std::string::npos) malformed("unterminated string");
    std::string out = s_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return out;
  }

  bool parse_bool() {
    skip_space();
    for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
      if (s_.compare(pos_, std::strlen(word), word) == 0) {
        pos_ += std::strlen(word);
        return value;
      }
    }
    malformed("fortran_order is not True or False");
  }

  std::vector<std::uint64_t> parse_shape() {
    std::vector<std::uint64_t> dims;
    expect('(');
    while (!accept(')')) {
      dims.push_back(parse_dim());
      if (!accept(',')) {
        expect(')');
        break;
      }
    }
    return dims;
  }

  std::uint64_t parse_dim() {
    skip_space();
    const std::size_t start = pos_;
    std::uint64_t v = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      const unsigned digit = static_cast<unsigned>(s_[pos_++] - '0');
      if (v > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
        malformed("a dimension of the shape is too large");
      v = v * 10 + digit;
    }
    if (pos_ == start) malformed("the shape is not a tuple of integers");
    if (pos_ < s_.size() && (s_[pos_] == 'L' || s_[pos_] == 'l')) ++pos_;  // Python 2's long
    return v;
  }

  const std::string& s_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

struct Dtype {
  SampleType type;
  bool swap;  // stored in the other byte order than the host's
};

// '<f4', '>f8', '|u1', 'f4' (no order: native) and the like; anything else is not an image.
std::optional<Dtype> parse_dtype(const std::string& descr) {
  char order = '=';
  std::string code = descr;
  if (!code.empty() && std::strchr("<>|=", code[0])) {
    order = code[0];
    code.erase(0, 1);
  }
  const bool foreign = (order == '<' && kHostBigEndian) || (order == '>' && !kHostBigEndian);
  if (code == "u1") return Dtype{SampleType::U8, false};
  if (code == "f2") return Dtype{SampleType::F16, foreign};
  if (code == "f4") return Dtype{SampleType::F32, foreign};
  if (code == "f8") return Dtype{SampleType::F64, foreign};
  return std::nullopt;
}

// The shape the array has under the layout asked for (or the default reading), or why not:
// a UsageError when the shape does not fit an explicit layout, a FileError otherwise.
TensorShape tensor_shape(const std::string& name, const std::vector<std::uint64_t>& dims,
                         const DecodeOptions& opt) {
  if (opt.layout) {
    if (auto s = shape_for_layout(dims, *opt.layout)) return *s;
    const char* want = "";
    switch (*opt.layout) {
      case Layout::Hwc: want = "(H, W, C) or (H, W)"; break;
      case Layout::Chw: want = "(C, H, W) or (H, W)"; break;
      case Layout::Nhwc: want = "(N, H, W, C) or (H, W)"; break;
      case Layout::Nchw: want = "(N, C, H, W) or (H, W)"; break;
    }
    throw UsageError(quoted(name) + " has shape " + shape_text(dims) + ", which " +
                         param("layout") + " " + layout_name(*opt.layout) +
                         " does not fit: it wants " + want,
                     "layout", layout_name(*opt.layout));
  }
  auto s = default_shape(dims);
  if (!s)
    fail(name, "shape " + shape_text(dims) +
                   " is not an image; want (H, W, C), (N, H, W, C) or (H, W), or give " +
                   param("layout"));
  // The shapes written before --layout existed: (H, W) and (1, H, W, C) come out as (H, W, C).
  if (s->images == 1) s->dims = {s->height, s->width, s->channels};
  return *s;
}

// Without a layout, a shape that looks channel-first is read channel-last with a warning
// naming both readings (an error under strict).
void warn_if_channel_first(const std::string& name, const std::vector<std::uint64_t>& dims,
                           const TensorShape& s, const DecodeOptions& opt) {
  if (!opt.layout && looks_channel_first(dims)) {
    const bool batch = dims.size() == 4;
    const std::string reading = (batch ? "N=" + std::to_string(s.images) + ", " : std::string()) +
                                "H=" + std::to_string(s.height) + ", W=" + std::to_string(s.width) +
                                ", C=" + std::to_string(s.channels);
    const std::string msg = quoted(name) + ": shape " + shape_text(dims) + " read as " + reading +
                            "; if it is " + (batch ? "NCHW" : "CHW") + ", pass " + param("layout") +
                            " " + (batch ? "nchw" : "chw") + " (" + param("layout") + " " +
                            (batch ? "nhwc" : "hwc") + " keeps this reading without this warning)";
    if (opt.strict)
      throw FileError("cannot process " + msg + "; " + param("strict") + " makes warnings errors",
                      name);
    if (opt.warn) opt.warn(msg);
  }
}

// The tensor of an array shape, checked against the limits, or a FileError saying why not.
TensorShape checked_shape(const std::string& name, const std::vector<std::uint64_t>& dims,
                          SampleType type, const DecodeOptions& opt) {
  const TensorShape s = tensor_shape(name, dims, opt);
  if (s.images == 0) fail(name, "shape " + shape_text(dims) + " holds no images");
  check_dimensions(name, s.width, s.height, opt.max_pixels);
  if (s.channels == 0) fail(name, "shape " + shape_text(dims) + " has no channels");
  if (s.channels > kMaxChannels)
    fail(name, std::to_string(s.channels) + " channels is over the limit of " +
                   std::to_string(kMaxChannels));
  // A large enough max_pixels could still let N * H * W * C * size overflow size_t.
  std::uint64_t bytes = sample_size(type);
  for (const std::uint64_t d : dims) {
    if (__builtin_mul_overflow(bytes, d, &bytes) || bytes > std::numeric_limits<std::size_t>::max())
      fail(name, "shape " + shape_text(dims) + " is too large");
  }
  return s;
}

void swap_bytes(void* data, std::size_t count, SampleType type) {
  auto* p = static_cast<unsigned char*>(data);
  if (type == SampleType::F16) {
    for (std::size_t i = 0; i < count; ++i, p += 2) std::swap(p[0], p[1]);
  } else if (type == SampleType::F32) {
    for (std::size_t i = 0; i < count; ++i, p += 4) {
      std::uint32_t v;
      std::memcpy(&v, p, 4);
      v = __builtin_bswap32(v);
      std::memcpy(p, &v, 4);
    }
  } else if (type == SampleType::F64) {
    for (std::size_t i = 0; i < count; ++i, p += 8) {
      std::uint64_t v;
      std::memcpy(&v, p, 8);
      v = __builtin_bswap64(v);
      std::memcpy(p, &v, 8);
    }
  }
}

// The data's size against --max-npy-bytes and, when the source knows, the bytes it has left:
// both refused before the pipeline allocates a single row.
void check_data_size(const ByteSource& src, std::uint64_t bytes, std::uint64_t max_bytes) {
  if (bytes > max_bytes)
    throw LimitExceeded("cannot decode " + quoted(src.name()) + ": the array holds " +
                            std::to_string(bytes) + " bytes, over the limit of " +
                            std::to_string(max_bytes) + " (raise it with " +
                            param("max_npy_bytes") + ")",
                        src.name(), lrn_img::Limit::NpyBytes, bytes, max_bytes);
  const auto left = src.remaining();
  if (left && *left < bytes)
    fail(src.name(), "pixel data is truncated (the header declares " + std::to_string(bytes) +
                         " bytes, the file holds " + std::to_string(*left) + ")");
}

// Magic, version and header text; leaves src at the first byte of the data.
std::string read_header_text(ByteSource& src) {
  unsigned char pre[kMagicSize + 2];
  src.read_exact(pre, sizeof pre, ".npy header");
  if (std::memcmp(pre, kMagic, kMagicSize) != 0) fail(src.name(), "not a .npy file");
  const unsigned major = pre[kMagicSize], minor = pre[kMagicSize + 1];
  if (major < 1 || major > 3)
    fail(src.name(),
         "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor));
  unsigned char len_bytes[4] = {0, 0, 0, 0};
  src.read_exact(len_bytes, major == 1 ? 2 : 4, ".npy header");
  const std::uint32_t len = len_bytes[0] | len_bytes[1] << 8 | len_bytes[2] << 16 |
                            static_cast<std::uint32_t>(len_bytes[3]) << 24;
  if (len > kMaxHeaderSize)
    fail(src.name(), ".npy header of " + std::to_string(len) + " bytes is too long");
  std::string text(len, '\0');
  src.read_exact(text.data(), len, ".npy header");
  return text;
}

class NpyReader : public ImageReader {
 public:
  NpyReader(std::unique_ptr<ByteSource> src, const TensorShape& shape, SampleType type, bool swap)
      : src_(std::move(src)), shape_(shape), swap_(swap) {
    info_.height = shape.images * shape.height;
    info_.width = shape.width;
    info_.channels = shape.channels;
    info_.type = type;
    rows_left_ = info_.height;
  }

  const ImageInfo& info() const override { return info_; }
  const TensorShape* tensor() const override { return &shape_; }

  void read_rows(void* dst, std::size_t rows) override {
    if (rows > rows_left_) throw std::logic_error("NpyReader::read_rows past the last row");
    if (shape_.planar && rows % shape_.height != 0)
      throw std::logic_error("NpyReader::read_rows: a planar array is read in whole images");
    src_->read_exact(dst, rows * info_.row_bytes(), "pixel data");
    if (swap_) swap_bytes(dst, rows * info_.row_samples(), info_.type);
    rows_left_ -= rows;
  }

 private:
  std::unique_ptr<ByteSource> src_;
  TensorShape shape_;
  ImageInfo info_;
  bool swap_;
  std::size_t rows_left_ = 0;
};

// The header NumPy 1.x/2.x's np.save writes for a C-ordered array of float32 ('<f4') or
// float16 ('<f2') of shape `dims`: sorted keys, repr() of the tuple, spare spaces for growing
// the first axis, padding.
std::string npy_header(const std::vector<std::uint64_t>& dims, SampleType type) {
  const char* descr =
      type == SampleType::F16 ? (kHostBigEndian ? ">f2" : "<f2") : (kHostBigEndian ? ">f4" : "<f4");
  std::string tuple;
  for (std::size_t i = 0; i < dims.size(); ++i) tuple += (i ? ", " : "") + std::to_string(dims[i]);
  if (dims.size() == 1) tuple += ",";
  std::string dict =
      std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" + tuple + "), }";
  const std::string first = dims.empty() ? "" : std::to_string(dims[0]);
  constexpr std::size_t kGrowthDigits = 21;  // NumPy's GROWTH_AXIS_MAX_DIGITS
  if (first.size() < kGrowthDigits) dict.append(kGrowthDigits - first.size(), ' ');
  const std::size_t prefix = kMagicSize + 2 + 2;
  // Like NumPy, a header already aligned still gets a full kAlign of padding.
  const std::size_t pad = kAlign - (prefix + dict.size() + 1) % kAlign;
  dict.append(pad, ' ');
  dict.push_back('\n');
  std::string out(kMagic, kMagicSize);
  out.push_back('\x01');
  out.push_back('\x00');
  out.push_back(static_cast<char>(dict.size() & 0xFF));
  out.push_back(static_cast<char>(dict.size() >> 8));
  return out + dict;
}

// The shape written: the caller's, else (H, W, C).
std::vector<std::uint64_t> output_dims(const ImageInfo& info, const EncodeOptions& opt) {
  if (opt.npy_dims.empty()) return {info.height, info.width, info.channels};
  std::uint64_t values = 1;
  for (const std::uint64_t d : opt.npy_dims) values *= d;
  if (values != std::uint64_t{info.height} * info.width * info.channels)
    throw std::logic_error("open_npy_writer: npy_dims does not hold the image's values");
  return opt.npy_dims;
}

class NpyWriter : public ImageWriter {
 public:
  NpyWriter(ByteSink& sink, const ImageInfo& info, const EncodeOptions& opt)
      : sink_(sink), info_(info) {
    const std::string header = npy_header(output_dims(info, opt), info.type);
    sink_.write(header.data(), header.size());
  }

  void write_rows(const void* src, std::size_t rows) override {
    if (rows > info_.height - rows_written_)
      throw std::logic_error("NpyWriter::write_rows past the last row");
    sink_.write(src, rows * info_.row_bytes());
    rows_written_ += rows;
  }

  void finish() override {
    if (rows_written_ != info_.height)
      throw std::logic_error("NpyWriter::finish before the last row");
  }

 private:
  ByteSink& sink_;
  ImageInfo info_;
  std::size_t rows_written_ = 0;
};

}  // namespace

std::unique_ptr<ImageReader> open_npy_reader(std::unique_ptr<ByteSource> src,
                                             const DecodeOptions& opt) {
  const Header h = HeaderParser(read_header_text(*src), src->name()).parse();
  if (h.fortran_order)
    fail(src->name(),
         "Fortran-ordered arrays are not supported; save a C-ordered copy "
         "(numpy.ascontiguousarray)");
  const auto dtype = parse_dtype(h.descr);
  if (!dtype)
    fail(src->name(), "dtype " + quoted(h.descr) +
                          " is not supported; want float32 ('<f4'), "
                          "float64 ('<f8'), float16 ('<f2') or uint8 ('|u1')");
  const TensorShape shape = checked_shape(src->name(), h.shape, dtype->type, opt);
  // One decoded row, as the pipeline holds it (W x C samples in either layout).
  check_row_bytes(src->name(),
                  std::uint64_t{shape.width} * shape.channels * sample_size(dtype->type),
                  opt.max_row_bytes);
  check_data_size(*src, shape.values() * sample_size(dtype->type), opt.max_npy_bytes);
  // After the limits: a file over them fails for that reason, even under --strict.
  warn_if_channel_first(src->name(), h.shape, shape, opt);
  return std::make_unique<NpyReader>(std::move(src), shape, dtype->type, dtype->swap);
}

std::unique_ptr<ImageWriter> open_npy_writer(ByteSink& sink, const ImageInfo& info,
                                             const EncodeOptions& opt) {
  if (info.type != SampleType::F32 && info.type != SampleType::F16)
    throw FileError(
        "cannot write " + quoted(sink.name()) + ": .npy output takes float32 or float16 samples",
        sink.name());
  if (info.width == 0 || info.height == 0 || info.channels == 0)
    throw FileError("cannot write " + quoted(sink.name()) + ": the image has no pixels",
                    sink.name());
  return std::make_unique<NpyWriter>(sink, info, opt);
}

}  // namespace lrn
