// lrn_img._lrn_img: the compiled half of the Python module (pybind11), a thin layer over the
// public C++ API (include/lrn_img/, through python/engine.h): NumPy arrays in and out, keyword
// arguments, lrn_img's errors as Python's, the GIL released while it computes, Ctrl-C honoured.
#include <pthread.h>
#include <pybind11/eval.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine.h"

namespace py = pybind11;
using lrn_img::InvalidArgument;
using lrn_img::param;

namespace {

// A wrong Python type: raised as TypeError.
struct TypeErr : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Arrays of at least this many values are normalized interruptibly on the main thread (below):
// about 10 ms of work, against the ~20 us of handing it to the helper thread and back.
constexpr std::size_t kInterruptibleValues = std::size_t{1} << 22;

unsigned long main_thread_id = 0;  // threading.main_thread().ident, read at import
PyObject* file_error = nullptr;    // lrn_img.FileError and lrn_img.LimitExceeded (OSErrors)
PyObject* limit_exceeded = nullptr;

// OSError's own str() turns into "[Errno None] None: 'x.png'" once .filename is set, so the
// file errors are OSError subclasses that print their message as it is.
constexpr const char* kFileErrors = R"py(
class FileError(OSError):
    """Anything about a file (missing, unreadable, damaged, unwritable); nothing was written.
    .filename is the file at fault, None when the error is not about one file."""
    __module__ = "lrn_img"
    def __str__(self):
        return str(self.args[0]) if self.args else ""

class LimitExceeded(FileError):
    """A file over one of the limits: .limit is its keyword ('max_pixels', 'max_npy_bytes',
    'max_row_bytes'), .value what the file declares, .maximum the limit in force."""
    __module__ = "lrn_img"
)py";

// The main thread's helper for interruptible calls (below): one long-lived thread, since a
// thread started per call cost ~7 ms a photo (its thread-local buffers and malloc arena made
// anew each time). Only the main thread posts to it, one job at a time. A forked child starts
// without it, so the child makes its own.
class Helper {
 public:
  Helper() {
    std::thread([this] { loop(); }).detach();
  }
  void post(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(m_);
      job_ = std::move(job);
    }
    cv_.notify_one();
  }

 private:
  [[noreturn]] void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(m_);
        cv_.wait(lock, [this] { return static_cast<bool>(job_); });
        job = std::move(job_);
        job_ = nullptr;
      }
      job();
    }
  }
  std::mutex m_;
  std::condition_variable cv_;
  std::function<void()> job_;
};

Helper* the_helper = nullptr;  // never freed: the thread lives as long as the process

Helper& helper() {
  if (!the_helper) {
    the_helper = new Helper;
    static const int once = pthread_atfork(nullptr, nullptr, [] { the_helper = nullptr; });
    (void)once;
  }
  return *the_helper;
}

// Runs work(cancel) without the GIL. Python runs signal handlers on the main thread only, so
// there the work goes to the helper thread while this one checks for signals every 50 ms,
// taking the GIL for that moment only: when a handler raises (Ctrl-C: KeyboardInterrupt), the
// cancel flag stops the work at its next row block and the handler's exception propagates.
// Elsewhere (Dask's or a pool's threads), or when `worth_it` is false, the work runs here.
template <class Work>
void run_interruptible(Work&& work, bool worth_it) {
  std::atomic<bool> cancel{false};
  if (!worth_it || PyThread_get_thread_ident() != main_thread_id) {
    py::gil_scoped_release nogil;
    work(&cancel);
    return;
  }
  Helper& h = helper();  // with the GIL: the main thread alone makes it
  std::exception_ptr failure;
  bool interrupted = false;
  {
    py::gil_scoped_release nogil;
    std::promise<void> finished;
    std::future<void> done = finished.get_future();
    h.post([&] {
      try {
        work(&cancel);
      } catch (...) {
        failure = std::current_exception();
      }
      finished.set_value();
    });
    while (done.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
      if (interrupted) continue;
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) {  // the handler's exception is now set
        interrupted = true;
        cancel = true;
      }
    }
  }
  if (interrupted) throw py::error_already_set();
  if (failure) std::rethrow_exception(failure);
}

std::string shape_of(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) s += (i ? ", " : "") + std::to_string(a.shape(i));
  return s + (a.ndim() == 1 ? ",)" : ")");
}

py::array as_ndarray(const py::object& o, const char* name) {
  if (!py::isinstance<py::array>(o))
    throw TypeErr(std::string(name) + " must be a NumPy array, got " +
                  py::str(py::type::of(o).attr("__name__")).cast<std::string>() +
                  " (a CPU torch.Tensor t passes as t.numpy(), without a copy)");
  return py::reinterpret_borrow<py::array>(o);
}

bool is_f32(const py::array& a) { return a.dtype().is(py::dtype::of<float>()); }

void check_dtype(const py::array& a) {
  const char kind = a.dtype().kind();
  const auto size = a.dtype().itemsize();
  if ((kind == 'f' && (size == 2 || size == 4 || size == 8)) || (kind == 'u' && size == 1)) return;
  throw TypeErr("array has dtype " + py::str(a.dtype()).cast<std::string>() +
                "; lrn takes float32, float64, float16 or uint8");
}

// A float32 array's strides in elements; empty when one is not a whole number of elements
// or the data is not aligned (then the array is read through a copy).
std::vector<std::ptrdiff_t> element_strides(const py::array& a) {
  std::vector<std::ptrdiff_t> s;
  if (reinterpret_cast<std::uintptr_t>(a.data()) % alignof(float) != 0) return s;
  for (py::ssize_t i = 0; i < a.ndim(); ++i) {
    if (a.strides(i) % static_cast<py::ssize_t>(sizeof(float)) != 0) return {};
    s.push_back(a.strides(i) / static_cast<py::ssize_t>(sizeof(float)));
  }
  if (s.empty()) s.push_back(1);  // a 0-D array: refused by view() anyway
  return s;
}

lrn_py::ParamArgs param_args(std::optional<int> radius, std::optional<int> size,
                             std::optional<double> bias, std::optional<double> alpha,
                             std::optional<double> beta, std::optional<std::string> convention,
                             std::optional<std::string> preset) {
  lrn_py::ParamArgs a;
  a.radius = radius, a.size = size, a.bias = bias, a.alpha = alpha, a.beta = beta;
  a.convention = std::move(convention), a.preset = std::move(preset);
  return a;
}

// The family's keywords (method's own) beyond lrn()'s, as the functions take them.
struct FamilyKw {
  std::string method = "lrn";
  std::optional<std::string> kernel;
  std::optional<double> threshold;
  std::optional<bool> per_channel;
  std::optional<double> scale, sqrt_bias;
  std::optional<bool> use_std;
  std::optional<double> min_divisor;
  py::object zca = py::none(), zca_file = py::none();
};

std::string path_of(const py::object& o, const char* name);

// All the normalization keywords as lrn_img::Params; zca=(mean, P) read through NumPy.
lrn_img::Params all_params(std::optional<int> radius, std::optional<int> size,
                           std::optional<double> bias, std::optional<double> alpha,
                           std::optional<double> beta, std::optional<std::string> convention,
                           std::optional<std::string> preset, const FamilyKw& f) {
  lrn_py::ParamArgs a = param_args(radius, size, bias, alpha, beta, convention, preset);
  a.method = f.method;
  a.kernel = f.kernel;
  a.threshold = f.threshold;
  a.per_channel = f.per_channel;
  a.scale = f.scale;
  a.sqrt_bias = f.sqrt_bias;
  a.use_std = f.use_std;
  a.min_divisor = f.min_divisor;
  if (!f.zca_file.is_none()) a.zca_file = path_of(f.zca_file, "zca_file");
  if (!f.zca.is_none()) {
    if (!py::isinstance<py::sequence>(f.zca) || py::isinstance<py::str>(f.zca) ||
        py::len(f.zca) != 2)
      throw TypeErr("zca must be a pair (mean, P) of arrays, got " +
                    py::str(py::type::of(f.zca).attr("__name__")).cast<std::string>());
    const auto np = py::module_::import("numpy");
    const auto seq = py::reinterpret_borrow<py::sequence>(f.zca);
    const py::array mean = np.attr("ascontiguousarray")(seq[0], py::arg("dtype") = "float64");
    const py::array P = np.attr("ascontiguousarray")(seq[1], py::arg("dtype") = "float64");
    if (mean.ndim() != 1 || P.ndim() != 2)
      throw InvalidArgument(param("zca") + " must be (mean, P) with mean of shape (C,) and P of " +
                                "shape (C, C), got shapes " + shape_of(mean) + " and " +
                                shape_of(P),
                            "zca");
    a.zca_mean = mean.cast<std::vector<double>>();
    a.zca_p = P.attr("ravel")().cast<std::vector<double>>();
  }
  return lrn_py::params(a);
}

// lrn() and normalize(): the parameters resolved, then the array normalized into out.
py::array run_array(const py::object& array_obj, const lrn_img::Resolved& params,
                    const std::string& layout, std::optional<long> threads,
                    const py::object& out_obj) {
  const unsigned n_threads = lrn_py::thread_count(threads);
  py::array array = as_ndarray(array_obj, "array");
  check_dtype(array);
  const lrn_img::Layout lay = lrn_py::parse_layout(layout);
  const std::vector<std::size_t> shape(array.shape(), array.shape() + array.ndim());
  lrn_py::view(nullptr, shape, std::vector<std::ptrdiff_t>(shape.size()), lay, layout);  // the rank

  py::array_t<float> out;
  if (out_obj.is_none()) {
    out = py::array_t<float>(std::vector<py::ssize_t>(array.shape(), array.shape() + array.ndim()));
  } else {
    py::array o = as_ndarray(out_obj, "out");
    if (!is_f32(o))
      throw TypeErr("out must be a float32 array, got dtype " +
                    py::str(o.dtype()).cast<std::string>());
    if (shape_of(o) != shape_of(array))
      throw InvalidArgument(param("out") + " has shape " + shape_of(o) + ", but " + param("array") +
                                " has shape " + shape_of(array),
                            "out");
    if (!(o.flags() & py::array::c_style))
      throw InvalidArgument(
          param("out") + " must be C-contiguous (np.ascontiguousarray, or a new array)", "out");
    if (!o.writeable()) throw InvalidArgument(param("out") + " is read-only", "out");
    out = py::reinterpret_borrow<py::array_t<float>>(o);
  }
  const lrn_img::TensorView dst =
      lrn_py::view(out.mutable_data(), shape, element_strides(out), lay, layout);
  // The input is read where it is when it is float32 (any strides): no copy. It is copied
  // first only when it is another dtype (cast into out, then normalized in place) or when it
  // overlaps out without being out itself.
  lrn_img::TensorView src;
  py::object keep;  // a float32 copy of the input, when one is needed
  const auto np = py::module_::import("numpy");
  const std::vector<std::ptrdiff_t> strides =
      is_f32(array) ? element_strides(array) : std::vector<std::ptrdiff_t>{};
  auto* data = static_cast<float*>(const_cast<void*>(array.data()));
  const bool direct = !strides.empty();
  const bool same = direct && data == dst.data && strides == element_strides(out);
  const bool overlap = !same && np.attr("may_share_memory")(array, out).cast<bool>();
  if (direct && !overlap) {
    src = lrn_py::view(data, shape, strides, lay, layout);
  } else if (!overlap) {
    np.attr("copyto")(out, array, py::arg("casting") = "unsafe");
    src = dst;
  } else {
    keep = np.attr("array")(array, py::arg("dtype") = np.attr("float32"), py::arg("order") = "C",
                            py::arg("copy") = true);
    const auto k = py::reinterpret_borrow<py::array>(keep);
    src = lrn_py::view(static_cast<float*>(const_cast<void*>(k.data())), shape, element_strides(k),
                       lay, layout);
  }
  if (out.size() == 0) return std::move(out);
  run_interruptible(
      [&](const std::atomic<bool>* cancel) {
        lrn_img::normalize(lrn_img::as_const(src), dst, params, n_threads, cancel);
      },
      static_cast<std::size_t>(out.size()) >= kInterruptibleValues);
  return std::move(out);
}

py::array lrn(const py::object& array_obj, std::optional<int> radius, std::optional<int> size,
              std::optional<double> bias, std::optional<double> alpha, std::optional<double> beta,
              std::optional<std::string> convention, std::optional<std::string> preset,
              const std::string& layout, std::optional<long> threads, const py::object& out_obj) {
  const lrn_img::Resolved params = lrn_img::resolve(
      lrn_py::params(param_args(radius, size, bias, alpha, beta, convention, preset)));
  return run_array(array_obj, params, layout, threads, out_obj);
}

py::array normalize(const py::object& array_obj, const std::string& method,
                    std::optional<std::string> convention, std::optional<std::string> preset,
                    std::optional<int> radius, std::optional<int> size, std::optional<double> bias,
                    std::optional<double> alpha, std::optional<double> beta,
                    std::optional<std::string> kernel, std::optional<double> threshold,
                    std::optional<bool> per_channel, std::optional<double> scale,
                    std::optional<double> sqrt_bias, std::optional<bool> use_std,
                    std::optional<double> min_divisor, const py::object& zca,
                    const py::object& zca_file, const std::string& layout,
                    std::optional<long> threads, const py::object& out_obj) {
  const FamilyKw f{method,    kernel,  threshold,   per_channel, scale,
                   sqrt_bias, use_std, min_divisor, zca,         zca_file};
  const lrn_img::Resolved params =
      lrn_img::resolve(all_params(radius, size, bias, alpha, beta, convention, preset, f));
  return run_array(array_obj, params, layout, threads, out_obj);
}

std::string path_of(const py::object& o, const char* name) {
  try {
    return py::str(py::module_::import("os").attr("fspath")(o)).cast<std::string>();
  } catch (const py::error_already_set&) {
    throw TypeErr(std::string(name) + " must be a path (str or os.PathLike), got " +
                  py::str(py::type::of(o).attr("__name__")).cast<std::string>());
  }
}

// A format as the format= keyword names it.
const char* format_keyword(lrn_img::Format f) {
  switch (f) {
    case lrn_img::Format::Jpeg: return "jpg";
    case lrn_img::Format::Png: return "png";
    case lrn_img::Format::Pnm: return "pnm";
    case lrn_img::Format::Tiff: return "tif";
    case lrn_img::Format::Webp: return "webp";
    case lrn_img::Format::Npy: break;
  }
  return "npy";
}

py::dict channel_stats(const lrn_img::ChannelStats& c) {
  py::dict d;
  d["min"] = c.min;
  d["max"] = c.max;
  d["mean"] = c.mean;
  return d;
}

// The FileReport as a dict: what `lrn-img --json` says of the file, and the formats.
py::dict report_dict(const lrn_img::FileReport& r, bool stats) {
  py::dict d;
  d["input_format"] = format_keyword(r.input_format);
  d["output_format"] = format_keyword(r.output_format);
  d["width"] = r.width;
  d["height"] = r.height;
  d["channels"] = r.channels;
  d["images"] = r.images;
  d["batch"] = r.batch;
  d["warnings"] = r.warnings;
  if (stats) {
    py::list per_image;
    for (const lrn_img::ImageStats& s : r.stats) {
      py::dict one;
      one["input"] = channel_stats(s.input);
      one["output"] = channel_stats(s.output);
      per_image.append(one);
    }
    d["stats"] = per_image;
  }
  return d;
}

py::dict process_file(const py::object& src, const py::object& dst, std::optional<int> radius,
                      std::optional<int> size, std::optional<double> bias,
                      std::optional<double> alpha, std::optional<double> beta,
                      std::optional<std::string> convention, std::optional<std::string> preset,
                      std::optional<std::string> layout, std::optional<long> threads,
                      std::optional<long> quality, bool rescale, std::optional<double> pixel_scale,
                      std::optional<std::string> format, std::optional<std::string> dtype,
                      std::optional<unsigned long long> max_pixels,
                      std::optional<unsigned long long> max_npy_bytes,
                      std::optional<unsigned long long> max_row_bytes, bool lenient, bool strict,
                      bool auto_orient, bool keep_metadata, const std::string& method,
                      std::optional<std::string> kernel, std::optional<double> threshold,
                      std::optional<bool> per_channel, std::optional<double> scale,
                      std::optional<double> sqrt_bias, std::optional<bool> use_std,
                      std::optional<double> min_divisor, const py::object& zca,
                      const py::object& zca_file, bool stats) {
  const FamilyKw f{method,    kernel,  threshold,   per_channel, scale,
                   sqrt_bias, use_std, min_divisor, zca,         zca_file};
  lrn_py::FileArgs a;
  a.layout = layout;
  a.format = format;
  a.dtype = dtype;
  a.threads = threads;
  a.quality = quality;
  a.pixel_scale = pixel_scale;
  a.max_pixels = max_pixels;
  a.max_npy_bytes = max_npy_bytes;
  a.max_row_bytes = max_row_bytes;
  a.rescale = rescale;
  a.lenient = lenient;
  a.strict = strict;
  a.auto_orient = auto_orient;
  a.keep_metadata = keep_metadata;
  const lrn_img::Params params = all_params(radius, size, bias, alpha, beta, convention, preset, f);
  lrn_img::resolve(params);  // its errors before any other
  const std::string in = path_of(src, "src"), out = path_of(dst, "dst");
  lrn_img::FileOptions options = lrn_py::file_options(out, params, a);
  options.stats = stats;
  lrn_img::FileReport report;
  std::vector<std::string> warnings;
  std::mutex m;
  options.warn = [&](const std::string& w) {
    std::lock_guard<std::mutex> lock(m);
    warnings.push_back(w);
  };
  run_interruptible(
      [&](const std::atomic<bool>* cancel) {
        lrn_img::FileOptions o = options;
        o.cancel = cancel;
        report = lrn_img::process_file(in, out, o);
      },
      true);
  const auto warn = py::module_::import("warnings").attr("warn");
  for (const std::string& w : warnings) warn(w, py::handle(PyExc_RuntimeWarning), 2);
  return report_dict(report, stats);
}

py::dict describe_params(std::optional<int> radius, std::optional<int> size,
                         std::optional<double> bias, std::optional<double> alpha,
                         std::optional<double> beta, std::optional<std::string> convention,
                         std::optional<std::string> preset, const std::string& method,
                         std::optional<std::string> kernel, std::optional<double> threshold,
                         std::optional<bool> per_channel, std::optional<double> scale,
                         std::optional<double> sqrt_bias, std::optional<bool> use_std,
                         std::optional<double> min_divisor, const py::object& zca,
                         const py::object& zca_file) {
  const FamilyKw f{method,    kernel,  threshold,   per_channel, scale,
                   sqrt_bias, use_std, min_divisor, zca,         zca_file};
  const lrn_img::Resolved r =
      lrn_img::resolve(all_params(radius, size, bias, alpha, beta, convention, preset, f));
  py::dict d;
  if (r.method != lrn_img::Method::Lrn) {  // as --json records it: typed values
    const auto builtins = py::module_::import("builtins");
    py::dict values;
    for (const auto& [k, v] : r.values) {
      if (v == "true" || v == "false") {
        values[k.c_str()] = v == "true";
        continue;
      }
      try {
        values[k.c_str()] = v.find_first_of(".e") == std::string::npos ? builtins.attr("int")(v)
                                                                       : builtins.attr("float")(v);
      } catch (const py::error_already_set&) {
        values[k.c_str()] = v;
      }
    }
    d["method"] = lrn_img::method_name(r.method);
    d["convention"] = r.convention;
    d["params"] = values;
    d["text"] = lrn_img::describe(r);
    return d;
  }
  d["before"] = r.before;
  d["after"] = r.after;
  for (const lrn_img::Statement& s : lrn_img::restate(r)) {
    const char* name = lrn_img::convention_name(s.convention);
    if (!s.window) {
      d[name] = py::none();
      continue;
    }
    py::dict e;
    e[s.convention == lrn_img::Convention::Tf ? "radius" : "size"] = *s.window;
    e["bias"] = s.bias;
    e["alpha"] = s.alpha;
    e["beta"] = s.beta;
    d[name] = e;
  }
  return d;
}

// Sets `type`(message) as the Python error, with `attrs` on the exception object.
void raise(PyObject* type, const std::string& message,
           std::vector<std::pair<const char*, py::object>> attrs) {
  py::object e = py::reinterpret_borrow<py::object>(type)(message);
  for (auto& [name, value] : attrs) e.attr(name) = value;
  PyErr_SetObject(type, e.ptr());
}

py::object or_none(const std::string& s) {
  return s.empty() ? py::object(py::none()) : py::object(py::str(s));
}

// lrn_img's errors as Python's, worded with the keyword names and keeping their data:
// InvalidArgument -> ValueError (.parameter, .value), FileError -> lrn_img.FileError, an OSError
// (.filename), LimitExceeded -> lrn_img.LimitExceeded, a FileError (also .limit, .value, .maximum).
void translate(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const TypeErr& x) {
    PyErr_SetString(PyExc_TypeError, x.what());
  } catch (const lrn_img::InvalidArgument& x) {
    raise(PyExc_ValueError, x.worded(lrn_py::keyword),
          {{"parameter", or_none(x.parameter())}, {"value", or_none(x.value())}});
  } catch (const lrn_img::LimitExceeded& x) {
    raise(limit_exceeded, x.worded(lrn_py::keyword),
          {{"filename", or_none(x.path())},
           {"limit", py::str(lrn_img::limit_name(x.limit()))},
           {"value", py::int_(x.value())},
           {"maximum", py::int_(x.maximum())}});
  } catch (const lrn_img::FileError& x) {
    raise(file_error, x.worded(lrn_py::keyword), {{"filename", or_none(x.path())}});
  }
}

}  // namespace

PYBIND11_MODULE(_lrn_img, m) {  // wrapped by lrn_img/__init__.py
  m.doc() =
      "Local Response Normalization, exactly as TensorFlow's tf.nn.local_response_normalization "
      "computes it (the lrn-img engine).";
  m.attr("__version__") = lrn_img::version();
  main_thread_id =
      py::module_::import("threading").attr("main_thread")().attr("ident").cast<unsigned long>();
  py::dict scope;
  scope["__builtins__"] = py::module_::import("builtins");
  py::exec(kFileErrors, scope);
  m.attr("FileError") = scope["FileError"];
  m.attr("LimitExceeded") = scope["LimitExceeded"];
  file_error = scope["FileError"].ptr();  // kept alive as attributes of the module
  limit_exceeded = scope["LimitExceeded"].ptr();
  py::register_exception_translator(translate);
  using py::arg;
  m.def("lrn", &lrn, arg("array"), py::kw_only(), arg("radius") = py::none(),
        arg("size") = py::none(), arg("bias") = py::none(), arg("alpha") = py::none(),
        arg("beta") = py::none(), arg("convention") = py::none(), arg("preset") = py::none(),
        arg("layout") = "hwc", arg("threads") = py::none(), arg("out") = py::none(),
        R"doc(LRN across the channel axis of a NumPy array; returns float32 of the same shape.
(normalize(array, method=...) computes every method, LRN included.)

array: float32, float64, float16 or uint8 (as 0..255 values), any strides; a float32 array is
read where it is (no copy). layout: 'hwc', 'chw', 'nhwc' or 'nchw' (a 2-D
(H, W) array is one channel). radius/size/bias/alpha/beta/convention/preset: as lrn-img's
flags; None takes the preset's (default 'blog') or the default value. threads: None uses the
usable cores; results are bit-identical for any count. out: a C-contiguous float32 array of the
same shape to write into; it may be array itself (in place). The GIL is released while it
computes; Ctrl-C stops a long call. Raises ValueError (bad arguments; .parameter names the
keyword), TypeError (unsupported dtype or type).)doc");
  m.def("normalize", &normalize, arg("array"), py::kw_only(), arg("method") = "lrn",
        arg("convention") = py::none(), arg("preset") = py::none(), arg("radius") = py::none(),
        arg("size") = py::none(), arg("bias") = py::none(), arg("alpha") = py::none(),
        arg("beta") = py::none(), arg("kernel") = py::none(), arg("threshold") = py::none(),
        arg("per_channel") = py::none(), arg("scale") = py::none(), arg("sqrt_bias") = py::none(),
        arg("use_std") = py::none(), arg("min_divisor") = py::none(), arg("zca") = py::none(),
        arg("zca_file") = py::none(), arg("layout") = "hwc", arg("threads") = py::none(),
        arg("out") = py::none(),
        R"doc(Any method of lrn-img's --method on a NumPy array; returns float32 of the same shape.

method: 'lrn' (default; as lrn()), 'spatial-lrn', 'lcn', 'lms', 'gcn' or 'zca'. The other
keywords are lrn-img's options for it, with underscores: convention, preset, radius, size,
bias, alpha, beta (lrn, spatial-lrn), kernel ('box' or 'gaussian'), threshold, per_channel
(False is --joint), scale, sqrt_bias, use_std, min_divisor, zca=(mean, P) or zca_file (an .npz
with arrays mean and P). None takes the method's (or its convention's) default; a keyword the
method does not take is a ValueError naming the method. Statistics (gcn, lcn jarrett and
pylearn2) are per image, also for each image of an 'nhwc' or 'nchw' array. Results equal
lrn-img's on the same float32 values bit for bit, for any threads. array, layout, threads and
out as lrn(): float32, float64, float16 or uint8, any strides; the GIL is released.)doc");
  m.def("process_file", &process_file, arg("src"), arg("dst"), py::kw_only(),
        arg("radius") = py::none(), arg("size") = py::none(), arg("bias") = py::none(),
        arg("alpha") = py::none(), arg("beta") = py::none(), arg("convention") = py::none(),
        arg("preset") = py::none(), arg("layout") = py::none(), arg("threads") = py::none(),
        arg("quality") = py::none(), arg("rescale") = false, arg("pixel_scale") = py::none(),
        arg("format") = py::none(), arg("dtype") = py::none(), arg("max_pixels") = py::none(),
        arg("max_npy_bytes") = py::none(), arg("max_row_bytes") = py::none(),
        arg("lenient") = false, arg("strict") = false, arg("auto_orient") = true,
        arg("keep_metadata") = false, arg("method") = "lrn", arg("kernel") = py::none(),
        arg("threshold") = py::none(), arg("per_channel") = py::none(), arg("scale") = py::none(),
        arg("sqrt_bias") = py::none(), arg("use_std") = py::none(), arg("min_divisor") = py::none(),
        arg("zca") = py::none(), arg("zca_file") = py::none(), arg("stats") = false,
        R"doc(What `lrn-img SRC DST [options]` does: read a JPEG, PNG, .npy, PNM, TIFF or WebP
file, apply LRN (or method=, with its keywords as normalize() takes them), write
DST all-or-nothing (format from its extension, or format='jpg'|'png'|'npy'|...). Keywords are
lrn-img's options with underscores (quality, rescale, pixel_scale, dtype, max_pixels, ...).
Returns a dict: input_format and output_format (as format= names them), width, height,
channels (colour), images (N of a .npy batch, else 1), batch (a 4-D array), warnings (their
count); with stats=True also "stats", one {"input": {"min", "max", "mean"}, "output": ...}
per image with a value per channel, the numbers `lrn-img --stats` and --json print.
Raises lrn_img.FileError (an OSError; .filename) for anything about either file,
lrn_img.LimitExceeded (a FileError; .limit, .value, .maximum) for a file over a limit,
ValueError for bad arguments; warnings (a damaged file read with lenient=True, ...) are
RuntimeWarnings. Releases the GIL; Ctrl-C stops it and nothing is written.)doc");
  m.def("describe_params", &describe_params, py::kw_only(), arg("radius") = py::none(),
        arg("size") = py::none(), arg("bias") = py::none(), arg("alpha") = py::none(),
        arg("beta") = py::none(), arg("convention") = py::none(), arg("preset") = py::none(),
        arg("method") = "lrn", arg("kernel") = py::none(), arg("threshold") = py::none(),
        arg("per_channel") = py::none(), arg("scale") = py::none(), arg("sqrt_bias") = py::none(),
        arg("use_std") = py::none(), arg("min_divisor") = py::none(), arg("zca") = py::none(),
        arg("zca_file") = py::none(),
        R"doc(For a family method (method='lcn', ...): {'method': 'lcn', 'convention': 'torch7',
'params': {'kernel': 'box', 'size': 9, ...}, 'text': ...}, the method, convention and params of
lrn-img's --json record, and text what `lrn-img --method ... --print-params` prints. For LRN
(the default):
The resolved parameters in every convention, as `lrn-img --print-params` prints them:
{'before': 2, 'after': 2, 'tf': {'radius': 2, 'bias': ..., 'alpha': ..., 'beta': ...},
 'torch': {'size': 5, ...}, 'onnx': {...}, 'caffe': {...}}; a convention that cannot state the
window maps to None.)doc");
}
