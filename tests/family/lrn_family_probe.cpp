// Test-only tool (not installed): applies one normalization-family method to a .npy float32
// array (H, W, C) or (H, W) and writes the result as float32 .npy, so the Python reference
// tests reach the C++ code without a Python module.
//
//   lrn_family_probe METHOD IN.npy OUT.npy [key=value ...]
//
// METHOD: spatial-lrn, lms, gcn, lcn, zca. Keys are the parameter structs' field names
// (convention, size, alpha, beta, bias, ...). Exit 2 on bad usage or invalid parameters.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "lrn/family/gcn.h"
#include "lrn/family/lcn.h"
#include "lrn/family/lms.h"
#include "lrn/family/spatial_lrn.h"
#include "lrn/family/zca.h"
#include "pipeline/driver.h"

using namespace lrn::family;

namespace {

struct Array {
  std::vector<std::size_t> shape;
  std::vector<float> data;
};

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "lrn_family_probe: error: %s\n", why.c_str());
  std::exit(2);
}

Array read_npy(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail("cannot open '" + path + "'");
  char magic[8];
  f.read(magic, 8);
  if (std::string(magic, 6) != "\x93NUMPY") fail("not a .npy file: '" + path + "'");
  std::size_t hlen = 0;
  if (magic[6] == 1) {
    unsigned char b[2];
    f.read(reinterpret_cast<char*>(b), 2);
    hlen = b[0] | (b[1] << 8);
  } else {
    unsigned char b[4];
    f.read(reinterpret_cast<char*>(b), 4);
    hlen = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::size_t>(b[3]) << 24);
  }
  std::string header(hlen, '\0');
  f.read(header.data(), static_cast<std::streamsize>(hlen));
  if (header.find("'<f4'") == std::string::npos) fail("'" + path + "' is not float32");
  if (header.find("'fortran_order': False") == std::string::npos) fail("Fortran order");
  Array a;
  const std::size_t open = header.find('(', header.find("'shape'"));
  const std::size_t close = header.find(')', open);
  std::string dims = header.substr(open + 1, close - open - 1);
  std::size_t count = 1;
  for (std::size_t at = 0; at < dims.size();) {
    const std::size_t comma = dims.find(',', at);
    const std::string d =
        dims.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    if (d.find_first_of("0123456789") != std::string::npos) {
      a.shape.push_back(std::stoull(d));
      count *= a.shape.back();
    }
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  a.data.resize(count);
  f.read(reinterpret_cast<char*>(a.data.data()), static_cast<std::streamsize>(count * 4));
  if (!f) fail("truncated '" + path + "'");
  return a;
}

void write_npy(const std::string& path, const Array& a) {
  std::string dims;
  for (std::size_t d : a.shape) dims += std::to_string(d) + ", ";
  if (a.shape.size() > 1) dims.resize(dims.size() - 2);
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::ofstream f(path, std::ios::binary);
  f.write("\x93NUMPY\x01\x00", 8);
  const unsigned short len = static_cast<unsigned short>(header.size());
  const char lb[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
  f.write(lb, 2);
  f << header;
  f.write(reinterpret_cast<const char*>(a.data.data()),
          static_cast<std::streamsize>(a.data.size() * 4));
  if (!f) fail("cannot write '" + path + "'");
}

using Keys = std::map<std::string, std::string>;

double num(const Keys& k, const std::string& key, double dflt) {
  const auto it = k.find(key);
  return it == k.end() ? dflt : std::strtod(it->second.c_str(), nullptr);
}
bool flag(const Keys& k, const std::string& key, bool dflt) {
  const auto it = k.find(key);
  return it == k.end() ? dflt : it->second == "1" || it->second == "true";
}
std::string str(const Keys& k, const std::string& key, const std::string& dflt) {
  const auto it = k.find(key);
  return it == k.end() ? dflt : it->second;
}

template <class P>
std::unique_ptr<Operation> checked(const P& p, const Geometry& g,
                                   std::unique_ptr<Operation> (*make)(const P&, const Geometry&)) {
  const auto problems = validate(p);
  if (!problems.empty()) fail(join_problems(problems));
  return make(p, g);
}

std::unique_ptr<Operation> make_op(const std::string& method, const Keys& k, const Geometry& g) {
  if (method == "spatial-lrn") {
    const auto c = parse_spatial_lrn_convention(str(k, "convention", "caffe"));
    if (!c) fail("unknown convention");
    SpatialLrnParams p = SpatialLrnParams::defaults(*c);
    p.size = static_cast<int>(num(k, "size", p.size));
    p.alpha = num(k, "alpha", p.alpha);
    p.beta = num(k, "beta", p.beta);
    if (k.count("bias")) p.bias = num(k, "bias", 1);
    return checked(p, g, make_spatial_lrn);
  }
  if (method == "lms") {
    LmsParams p;
    const auto c = parse_lms_convention(str(k, "convention", "torch7"));
    const auto kernel = parse_kernel(str(k, "kernel", "box"));
    if (!c || !kernel) fail("unknown convention or kernel");
    p.convention = *c;
    p.kernel = *kernel;
    p.size = static_cast<int>(num(k, "size", p.size));
    p.per_channel = flag(k, "per_channel", p.per_channel);
    return checked(p, g, make_lms);
  }
  if (method == "gcn") {
    const auto c = parse_gcn_convention(str(k, "convention", "pylearn2"));
    if (!c) fail("unknown convention");
    GcnParams p = GcnParams::defaults(*c);
    if (k.count("preset")) {
      const auto preset = GcnParams::preset(str(k, "preset", ""));
      if (!preset) fail("unknown preset");
      p = *preset;
    }
    p.scale = num(k, "scale", p.scale);
    p.sqrt_bias = num(k, "sqrt_bias", p.sqrt_bias);
    p.use_std = flag(k, "use_std", p.use_std);
    p.min_divisor = num(k, "min_divisor", p.min_divisor);
    p.per_channel = flag(k, "per_channel", p.per_channel);
    return checked(p, g, make_gcn);
  }
  if (method == "lcn") {
    const auto c = parse_lcn_convention(str(k, "convention", "torch7"));
    if (!c) fail("unknown convention");
    LcnParams p = LcnParams::defaults(*c);
    if (k.count("kernel")) {
      const auto kernel = parse_kernel(str(k, "kernel", ""));
      if (!kernel) fail("unknown kernel");
      p.kernel = *kernel;
    }
    p.size = static_cast<int>(num(k, "size", p.size));
    p.threshold = num(k, "threshold", p.threshold);
    p.per_channel = flag(k, "per_channel", p.per_channel);
    return checked(p, g, make_lcn);
  }
  if (method == "zca") {
    // mean=v,v,... P=v,v,... (row-major C x C), decimals as Python's repr writes them.
    auto list = [&](const std::string& key) {
      std::vector<double> v;
      const std::string s = str(k, key, "");
      for (std::size_t at = 0; at < s.size();) {
        const std::size_t comma = s.find(',', at);
        v.push_back(std::strtod(s.substr(at, comma - at).c_str(), nullptr));
        if (comma == std::string::npos) break;
        at = comma + 1;
      }
      return v;
    };
    const ZcaParams p{list("mean"), list("P")};
    const auto problems = validate(p, g.channels);
    if (!problems.empty()) fail(join_problems(problems));
    return make_zca(p, g);
  }
  fail("unknown method '" + method + "'");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) fail("usage: lrn_family_probe METHOD IN.npy OUT.npy [key=value ...]");
  Keys keys;
  for (int i = 4; i < argc; ++i) {
    const std::string kv = argv[i];
    const std::size_t eq = kv.find('=');
    if (eq == std::string::npos) fail("expected key=value, got '" + kv + "'");
    keys[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  Array in = read_npy(argv[2]);
  if (in.shape.size() == 2) in.shape.push_back(1);
  if (in.shape.size() != 3) fail("expected an (H, W, C) or (H, W) array");
  const Geometry g = Geometry::interleaved(in.shape[1], in.shape[0], in.shape[2]);
  const std::unique_ptr<Operation> op = make_op(argv[1], keys, g);
  Array out{in.shape, std::vector<float>(in.data.size())};
  // Streamed in small blocks through the ring, like the pipeline will: the references check
  // exactly what the engine produces.
  const std::size_t row = g.width * g.channels;
  const std::size_t block = static_cast<std::size_t>(num(keys, "block", 4));
  StreamDriver d(*op, row, block, [&](std::size_t y, const float* r) {
    std::copy(r, r + row, out.data.begin() + static_cast<std::ptrdiff_t>(y * row));
  });
  for (int p = 0; p < op->passes(); ++p) {
    for (std::size_t y = 0; y < g.height; ++y) d.push(in.data.data() + y * row);
    d.end_pass();
  }
  write_npy(argv[3], out);
  return 0;
}
