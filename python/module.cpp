// lrn_img._lrn_img: the compiled half of the Python module (pybind11). A thin layer: NumPy arrays in and out, keyword
// arguments, the GIL released while the engine (python/engine.h) computes.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "engine.h"

namespace py = pybind11;
using lrn_py::ArgError;

namespace {

// Python exceptions for the engine's errors: ValueError for arguments, OSError for files.
struct TypeErr : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

std::string shape_of(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i)
    s += (i ? ", " : "") + std::to_string(a.shape(i));
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

lrn_py::ParamArgs param_args(std::optional<int> radius, std::optional<int> size,
                             std::optional<double> bias, std::optional<double> alpha,
                             std::optional<double> beta, std::optional<std::string> convention,
                             std::optional<std::string> preset) {
  return lrn_py::ParamArgs{radius, size, bias, alpha, beta, convention, preset};
}

py::array lrn(const py::object& array_obj, std::optional<int> radius, std::optional<int> size,
              std::optional<double> bias, std::optional<double> alpha, std::optional<double> beta,
              std::optional<std::string> convention, std::optional<std::string> preset,
              const std::string& layout, std::optional<long> threads, const py::object& out_obj) {
  const lrn_py::Params params =
      lrn_py::resolve(param_args(radius, size, bias, alpha, beta, convention, preset));
  const unsigned n_threads = lrn_py::thread_count(threads);
  py::array array = as_ndarray(array_obj, "array");
  check_dtype(array);
  std::vector<std::size_t> shape(array.shape(), array.shape() + array.ndim());
  const lrn_py::Geometry g = lrn_py::geometry(shape, layout);

  py::array_t<float> out;
  if (out_obj.is_none()) {
    out = py::array_t<float>(std::vector<py::ssize_t>(array.shape(), array.shape() + array.ndim()));
  } else {
    py::array o = as_ndarray(out_obj, "out");
    if (!is_f32(o))
      throw TypeErr("out must be a float32 array, got dtype " + py::str(o.dtype()).cast<std::string>());
    if (shape_of(o) != shape_of(array))
      throw ArgError("out has shape " + shape_of(o) + ", but array has shape " + shape_of(array));
    if (!(o.flags() & py::array::c_style))
      throw ArgError("out must be C-contiguous (np.ascontiguousarray, or a new array)");
    if (!o.writeable()) throw ArgError("out is read-only");
    out = py::reinterpret_borrow<py::array_t<float>>(o);
  }
  float* dst = out.mutable_data();
  const float* src = nullptr;
  py::object keep;  // a float32 copy of the input, when one is needed
  const bool direct = is_f32(array) && (array.flags() & py::array::c_style);
  const auto np = py::module_::import("numpy");
  const bool overlap = np.attr("may_share_memory")(array, out).cast<bool>();
  if (direct && (!overlap || array.data() == static_cast<const void*>(dst))) {
    src = static_cast<const float*>(array.data());  // no copy; in place when out is array
  } else if (!overlap) {
    np.attr("copyto")(out, array, py::arg("casting") = "unsafe");  // cast into out, then in place
    src = dst;
  } else {
    keep = np.attr("array")(array, py::arg("dtype") = np.attr("float32"), py::arg("order") = "C",
                            py::arg("copy") = true);  // a copy even of a contiguous float32
    src = static_cast<const float*>(py::reinterpret_borrow<py::array>(keep).data());
  }
  {
    py::gil_scoped_release nogil;
    lrn_py::normalize(src, dst, g, params, n_threads);
  }
  return std::move(out);
}

std::string path_of(const py::object& o, const char* name) {
  try {
    return py::str(py::module_::import("os").attr("fspath")(o)).cast<std::string>();
  } catch (const py::error_already_set&) {
    throw TypeErr(std::string(name) + " must be a path (str or os.PathLike), got " +
                  py::str(py::type::of(o).attr("__name__")).cast<std::string>());
  }
}

void process_file(const py::object& src, const py::object& dst, std::optional<int> radius,
                  std::optional<int> size, std::optional<double> bias,
                  std::optional<double> alpha, std::optional<double> beta,
                  std::optional<std::string> convention, std::optional<std::string> preset,
                  std::optional<std::string> layout, std::optional<long> threads,
                  std::optional<long> quality, bool rescale, std::optional<double> pixel_scale,
                  std::optional<std::string> format, std::optional<std::string> dtype,
                  std::optional<unsigned long long> max_pixels,
                  std::optional<unsigned long long> max_npy_bytes,
                  std::optional<unsigned long long> max_row_bytes, bool lenient, bool strict,
                  bool auto_orient) {
  const lrn_py::Params params =
      lrn_py::resolve(param_args(radius, size, bias, alpha, beta, convention, preset));
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
  const lrn_py::FileJob job =
      lrn_py::prepare_file(path_of(src, "src"), path_of(dst, "dst"), params, a);
  std::vector<std::string> warnings;
  {
    py::gil_scoped_release nogil;
    warnings = lrn_py::run_file(job);
  }
  const auto warn = py::module_::import("warnings").attr("warn");
  for (const std::string& w : warnings) warn(w, py::handle(PyExc_RuntimeWarning), 2);
}

py::dict describe_params(std::optional<int> radius, std::optional<int> size,
                         std::optional<double> bias, std::optional<double> alpha,
                         std::optional<double> beta, std::optional<std::string> convention,
                         std::optional<std::string> preset) {
  const lrn_py::Params p =
      lrn_py::resolve(param_args(radius, size, bias, alpha, beta, convention, preset));
  py::dict d;
  d["before"] = p.before;
  d["after"] = p.after;
  for (const std::string& c : lrn_py::convention_names()) {
    const auto s = lrn_py::state_as(p, c);
    if (!s) {
      d[c.c_str()] = py::none();
      continue;
    }
    py::dict e;
    e[c == "tf" ? "radius" : "size"] = s->window;
    e["bias"] = s->bias;
    e["alpha"] = s->alpha;
    e["beta"] = s->beta;
    d[c.c_str()] = e;
  }
  return d;
}

}  // namespace

PYBIND11_MODULE(_lrn_img, m) {  // wrapped by lrn_img/__init__.py
  m.doc() = "Local Response Normalization, exactly as TensorFlow's tf.nn.local_response_normalization "
            "computes it (the lrn-img engine).";
  m.attr("__version__") = lrn_py::version();
  py::register_exception_translator([](std::exception_ptr e) {
    try {
      if (e) std::rethrow_exception(e);
    } catch (const TypeErr& x) {
      PyErr_SetString(PyExc_TypeError, x.what());
    } catch (const lrn_py::ArgError& x) {
      PyErr_SetString(PyExc_ValueError, x.what());
    } catch (const lrn_py::FileError& x) {
      PyErr_SetString(PyExc_OSError, x.what());
    }
  });
  using py::arg;
  m.def("lrn", &lrn, arg("array"), py::kw_only(), arg("radius") = py::none(),
        arg("size") = py::none(), arg("bias") = py::none(), arg("alpha") = py::none(),
        arg("beta") = py::none(), arg("convention") = py::none(), arg("preset") = py::none(),
        arg("layout") = "hwc", arg("threads") = py::none(), arg("out") = py::none(),
        R"doc(LRN across the channel axis of a NumPy array; returns float32 of the same shape.

array: float32, float64, float16 or uint8 (as 0..255 values), any strides; a C-contiguous
float32 array is read where it is (no copy). layout: 'hwc', 'chw', 'nhwc' or 'nchw' (a 2-D
(H, W) array is one channel). radius/size/bias/alpha/beta/convention/preset: as lrn-img's
flags; None takes the preset's (default 'blog') or the default value. threads: None uses the
usable cores; results are bit-identical for any count. out: a C-contiguous float32 array of the
same shape to write into; it may be array itself (in place). The GIL is released while it
computes. Raises ValueError (bad arguments), TypeError (unsupported dtype or type).)doc");
  m.def("process_file", &process_file, arg("src"), arg("dst"), py::kw_only(),
        arg("radius") = py::none(), arg("size") = py::none(), arg("bias") = py::none(),
        arg("alpha") = py::none(), arg("beta") = py::none(), arg("convention") = py::none(),
        arg("preset") = py::none(), arg("layout") = py::none(), arg("threads") = py::none(),
        arg("quality") = py::none(), arg("rescale") = false, arg("pixel_scale") = py::none(),
        arg("format") = py::none(), arg("dtype") = py::none(), arg("max_pixels") = py::none(),
        arg("max_npy_bytes") = py::none(), arg("max_row_bytes") = py::none(),
        arg("lenient") = false, arg("strict") = false, arg("auto_orient") = true,
        R"doc(What `lrn-img SRC DST [options]` does: read a JPEG, PNG or .npy file, apply LRN, write
DST all-or-nothing (format from its extension, or format='jpg'|'png'|'npy'). Keywords are
lrn-img's options with underscores (quality, rescale, pixel_scale, dtype, max_pixels, ...).
Raises OSError for anything about either file, ValueError for bad arguments; warnings (a
damaged file read with lenient=True, ...) are RuntimeWarnings. Releases the GIL.)doc");
  m.def("describe_params", &describe_params, py::kw_only(), arg("radius") = py::none(),
        arg("size") = py::none(), arg("bias") = py::none(), arg("alpha") = py::none(),
        arg("beta") = py::none(), arg("convention") = py::none(), arg("preset") = py::none(),
        R"doc(The resolved parameters in every convention, as `lrn-img --print-params` prints them:
{'before': 2, 'after': 2, 'tf': {'radius': 2, 'bias': ..., 'alpha': ..., 'beta': ...},
 'torch': {'size': 5, ...}, 'onnx': {...}, 'caffe': {...}}; a convention that cannot state the
window maps to None.)doc");
}
