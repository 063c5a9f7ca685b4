// The adapter from the Python module to the engine (python/engine.h): parameter resolution
// through lrn/presets.h, the kernel over row ranges, and the file pipeline; every error worded
// with Python's keyword names.
#include "engine.h"

#include <cmath>
#include <mutex>
#include <sstream>

#include "cli/cores.h"  // usable_cores(): the CLI's default for -t, and so for threads=None
#include "image/errors.h"
#include "image/format.h"
#include "pipeline/parallel.h"
#include "pipeline/pipeline.h"
#include "lrn/convention.h"
#include "lrn/kernel.h"
#include "lrn/layout.h"
#include "lrn/presets.h"
#include "lrn_version.h"

namespace lrn_py {
namespace {

constexpr int kMaxWindow = 1 << 20;  // as lrn-img's --radius and --size
constexpr long kMaxThreads = 1024;   // as lrn-img's -t

// Python's repr of a float, near enough for messages: shortest round-trip digits.
std::string num(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

std::string q(const std::string& s) { return "'" + lrn::escaped(s) + "'"; }

std::string one_of(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i)
    s += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + q(names[i]);
  return s;
}

lrn::LrnParams to_lrn_params(const Params& p) {
  return lrn::LrnParams{p.before, p.after, p.bias, p.alpha, p.beta};
}

[[noreturn]] void word_conflict(const lrn::ParamConflict& e, const ParamArgs& a) {
  using K = lrn::ParamConflict::Kind;
  const std::string conv = lrn::convention_name(e.convention);
  const std::string where = e.preset ? " (from preset " + q(e.preset->name) + ")" : "";
  switch (e.kind) {
    case K::PresetConvention:
      throw ArgError("preset " + q(e.preset->name) + " uses convention " +
                     q(lrn::convention_name(e.preset->convention)) + ", not " + q(*a.convention));
    case K::SizeUnderTf:
      throw ArgError("size belongs to convention 'torch', 'onnx' or 'caffe'" + where +
                     "; under 'tf' give radius (size=5 under torch == radius=2, alpha=alpha/5 "
                     "under tf)");
    case K::RadiusNotTf:
      throw ArgError("radius belongs to convention 'tf', but this call uses " + q(conv) + where +
                     "; give size=N instead (radius=2, alpha=a under tf == size=5, alpha=5*a "
                     "under " + conv + ")");
    case K::NeedsSize:
      throw ArgError("convention " + q(conv) + " needs size=N (the window size)");
  }
  throw ArgError("conflicting parameters");
}

void check_number(const std::optional<double>& v, const char* name, bool non_negative) {
  if (!v) return;
  if (!std::isfinite(*v) || (non_negative && *v < 0))
    throw ArgError(std::string(name) + " must be a finite number" + (non_negative ? " >= 0" : "") +
                   ", got " + num(*v));
}

void window_in_range(const std::optional<int>& v, const char* name, int least) {
  if (v && *v < least)
    throw ArgError(std::string(name) + " must be >= " + std::to_string(least) + ", got " +
                   std::to_string(*v));
  if (v && *v > kMaxWindow)
    throw ArgError(std::string(name) + " must be <= " + std::to_string(kMaxWindow) + ", got " +
                   std::to_string(*v));
}

// "(3, 4)", as Python prints a shape.
std::string py_shape(const std::vector<std::size_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace

Params resolve(const ParamArgs& a) {
  lrn::ParamRequest r;
  if (a.preset) {
    r.preset = lrn::find_preset(*a.preset);
    if (!r.preset) {
      std::vector<std::string> names;
      for (const lrn::Preset& p : lrn::presets()) names.push_back(p.name);
      throw ArgError("preset " + q(*a.preset) + " is not " + one_of(names));
    }
  }
  if (a.convention) {
    r.convention = lrn::parse_convention(*a.convention);
    if (!r.convention)
      throw ArgError("convention " + q(*a.convention) + " is not " + one_of(convention_names()));
  }
  check_number(a.bias, "bias", true);
  check_number(a.alpha, "alpha", true);
  check_number(a.beta, "beta", false);
  window_in_range(a.radius, "radius", 0);
  window_in_range(a.size, "size", 1);
  r.radius = a.radius;
  r.size = a.size;
  r.bias = a.bias;
  r.alpha = a.alpha;
  r.beta = a.beta;
  lrn::FrameworkParams f;
  try {
    f = lrn::resolve_request(r);
  } catch (const lrn::ParamConflict& e) {
    word_conflict(e, a);
  }
  std::string why;
  const auto p = lrn::to_lrn(f, &why);
  if (!p) {
    if (f.convention == lrn::Convention::Caffe && f.window >= 1)
      throw ArgError("convention 'caffe' takes an odd size only, got " + std::to_string(f.window) +
                     "; 'torch' and 'onnx' accept an even size");
    throw ArgError(why);
  }
  const std::vector<std::string> problems = lrn::validate(*p);
  if (!problems.empty()) {
    std::string all = problems[0];
    for (std::size_t i = 1; i < problems.size(); ++i) all += "; " + problems[i];
    throw ArgError(all);
  }
  return Params{p->before, p->after, p->bias, p->alpha, p->beta};
}

const std::vector<std::string>& convention_names() {
  static const std::vector<std::string> names = {"tf", "torch", "onnx", "caffe"};
  return names;
}

std::optional<Stated> state_as(const Params& p, const std::string& convention) {
  const auto c = lrn::parse_convention(convention);
  if (!c) throw ArgError("convention " + q(convention) + " is not " + one_of(convention_names()));
  const auto f = lrn::from_lrn(to_lrn_params(p), *c);
  if (!f) return std::nullopt;
  return Stated{f->window, f->bias, f->alpha, f->beta};
}

Geometry geometry(const std::vector<std::size_t>& shape, const std::string& layout) {
  const auto l = lrn::parse_layout(layout);
  if (!l)
    throw ArgError("layout " + q(layout) + " is not 'hwc', 'chw', 'nhwc' or 'nchw'");
  const std::vector<std::uint64_t> dims(shape.begin(), shape.end());
  const auto t = lrn::shape_for_layout(dims, *l);
  if (!t)
    throw ArgError("layout " + q(layout) + " needs a " + (lrn::has_batch(*l) ? "4" : "3") +
                   "-D array (or a 2-D (H, W) one), got shape " + py_shape(shape));
  Geometry g;
  g.images = t->images;
  g.height = t->height;
  g.width = t->width;
  g.channels = t->channels;
  g.planar = t->planar;
  return g;
}

unsigned thread_count(std::optional<long> threads) {
  // Read once: usable_cores() reads the cgroup quota file (~12 us), a tiny array's whole call.
  static const unsigned cores = std::min<unsigned>(lrn::cli::usable_cores(), kMaxThreads);
  if (!threads) return cores;
  if (*threads < 1 || *threads > kMaxThreads)
    throw ArgError("threads must be 1.." + std::to_string(kMaxThreads) + ", got " +
                   std::to_string(*threads));
  return static_cast<unsigned>(*threads);
}

void normalize(const float* in, float* out, const Geometry& g, const Params& p,
               unsigned threads) {
  if (g.values() == 0) return;
  const lrn::Kernel kernel(to_lrn_params(p), g.channels);
  const std::size_t pixels = g.height * g.width;  // per image
  const std::size_t total = g.images * pixels;
  // Parts of at least 16K values: below that a thread's start costs more than it saves.
  const std::size_t min_part = std::max<std::size_t>(1, (std::size_t{1} << 14) / g.channels);
  auto run = [&](std::size_t begin, std::size_t end) {
    if (!g.planar) {
      kernel.run(in + begin * g.channels, out + begin * g.channels, end - begin);
      return;
    }
    // Pixel indices over all images: a part may cross from one image's planes to the next.
    while (begin < end) {
      const std::size_t n = begin / pixels, i = begin % pixels;
      const std::size_t stop = std::min(end, (n + 1) * pixels);
      const std::size_t at = n * pixels * g.channels + i;
      kernel.run_planar(in + at, pixels, out + at, pixels, stop - begin);
      begin = stop;
    }
  };
  if (threads <= 1 || total < 2 * min_part) {
    run(0, total);
    return;
  }
  lrn::WorkerPool pool(threads);
  pool.run(total, min_part, run);
}

namespace {

std::optional<lrn::Format> named_format(const std::string& f) {
  return lrn::format_from_extension("." + f);
}

lrn::Format output_format(const std::string& dst, const FileArgs& a) {
  std::optional<lrn::Format> chosen;
  if (a.format) {
    chosen = named_format(*a.format);
    if (!chosen) throw ArgError("format " + q(*a.format) + " is not 'jpg', 'png' or 'npy'");
  }
  const auto named = lrn::format_from_extension(dst);
  if (chosen && named && *chosen != *named)
    throw ArgError("format " + q(*a.format) + " contradicts dst " + q(dst) + ", a " +
                   lrn::format_name(*named) + " name; name dst for the format, or leave format out");
  if (chosen) return *chosen;
  if (named) return *named;
  throw ArgError("cannot tell the output format of dst " + q(dst) +
                 ": name it .jpg, .jpeg, .png or .npy, or give format='jpg', 'png' or 'npy'");
}

lrn::RunOptions run_options(const FileJob& job) {
  const FileArgs& a = job.args;
  lrn::RunOptions o;
  o.params = to_lrn_params(job.params);
  o.out_format = output_format(job.dst, a);
  if (a.quality) {
    if (*a.quality < 1 || *a.quality > 100)
      throw ArgError("quality must be 1..100, got " + std::to_string(*a.quality));
    if (*o.out_format != lrn::Format::Jpeg)
      throw ArgError(std::string("quality applies to JPEG output, but dst ") + q(job.dst) +
                     " is written as " + lrn::format_name(*o.out_format));
    o.quality = static_cast<int>(*a.quality);
  }
  o.rescale = a.rescale;
  if (a.rescale && *o.out_format == lrn::Format::Npy)
    throw ArgError("rescale applies to JPEG and PNG output, but dst " + q(job.dst) +
                   " is written as .npy, which keeps the values unclamped");
  if (a.pixel_scale) {
    if (*a.pixel_scale != 255 && *a.pixel_scale != 1)
      throw ArgError("pixel_scale must be 255 or 1, got " + num(*a.pixel_scale));
    o.pixel_scale = *a.pixel_scale;
  }
  auto limit = [](const std::optional<unsigned long long>& v, const char* name,
                  std::uint64_t& field) {
    if (!v) return;
    if (*v < 1) throw ArgError(std::string(name) + " must be >= 1, got 0");
    field = *v;
  };
  limit(a.max_pixels, "max_pixels", o.max_pixels);
  limit(a.max_npy_bytes, "max_npy_bytes", o.max_npy_bytes);
  limit(a.max_row_bytes, "max_row_bytes", o.max_row_bytes);
  if (a.layout) {
    o.layout = lrn::parse_layout(*a.layout);
    if (!o.layout)
      throw ArgError("layout " + q(*a.layout) + " is not 'hwc', 'chw', 'nhwc' or 'nchw'");
  }
  if (a.dtype) {
    if (*a.dtype == "f16" || *a.dtype == "float16") o.npy_type = lrn::SampleType::F16;
    else if (*a.dtype != "f32" && *a.dtype != "float32")
      throw ArgError("dtype " + q(*a.dtype) + " is not 'float32' or 'float16'");
    if (*o.out_format != lrn::Format::Npy)
      throw ArgError("dtype applies to .npy output, but dst " + q(job.dst) + " is written as " +
                     lrn::format_name(*o.out_format));
  }
  if (a.lenient && a.strict)
    throw ArgError("lenient and strict contradict each other: give one of them");
  o.lenient = a.lenient;
  o.strict = a.strict;
  o.auto_orient = a.auto_orient;
  o.threads = thread_count(a.threads);
  return o;
}

// The pipeline's usage errors name lrn-img's flags; here they name the keywords. (Goes when
// the engine's errors carry data instead of wording: issue 12, item 0.)
std::string keyword_wording(std::string m) {
  for (const char* flag : {"--layout", "--format", "--dtype"}) {
    const std::string f = flag;
    for (std::size_t at; (at = m.find(f)) != std::string::npos;) m.replace(at, f.size(), f.substr(2));
  }
  return m;
}

}  // namespace

FileJob prepare_file(const std::string& src, const std::string& dst, const Params& p,
                     const FileArgs& a) {
  FileJob job{src, dst, p, a};
  run_options(job);  // every check, before any work
  return job;
}

std::vector<std::string> run_file(const FileJob& job) {
  lrn::RunOptions o = run_options(job);
  std::vector<std::string> warnings;
  std::mutex m;
  o.warn = [&](const std::string& w) {
    std::lock_guard<std::mutex> lock(m);
    warnings.push_back(w);
  };
  try {
    lrn::process_file(job.src, job.dst, o);
  } catch (const lrn::FileError& e) {
    throw FileError(e.what());
  } catch (const lrn::UsageError& e) {
    throw ArgError(keyword_wording(e.what()));
  }
  return warnings;
}

const char* version() { return LRN_IMG_VERSION; }

}  // namespace lrn_py
