// process_file (include/lrn_img/file.h): FileOptions checked and turned into the pipeline's
// RunOptions, then the same lrn::process_file the command line runs for IN OUT.
#include "lrn_img/file.h"

#include <fmt/format.h>

#include <atomic>
#include <utility>

#include "api/family.h"
#include "image/format.h"
#include "lrn/params.h"
#include "lrn/resolve.h"
#include "pipeline/cores.h"
#include "pipeline/pipeline.h"

namespace lrn_img {
namespace {

// The parameters of o: o.resolved as normalize() takes a Resolved, else o.params resolved.
void set_params(const FileOptions& o, lrn::RunOptions& run) {
  if (const Resolved* r = o.resolved ? &*o.resolved : nullptr) {
    if (r->method == Method::Lrn) {
      run.params = lrn::LrnParams{r->before, r->after, r->bias, r->alpha, r->beta};
      if (const auto problems = lrn::validate(run.params); !problems.empty())
        throw InvalidArgument(problems[0], "resolved");
    } else if (r->family &&
               static_cast<int>(r->family->method.method) == static_cast<int>(r->method)) {
      run.method = r->family->method;
    } else {
      throw InvalidArgument(std::string("a Resolved for method ") + method_name(r->method) +
                                " must come from resolve()",
                            "resolved");
    }
  } else if (o.params.method == Method::Lrn) {
    check_method_params(o.params);
    run.params = lrn::resolve_params(o.params);
  } else {
    run.method = resolve_family(o.params);
  }
}

// warnings: counts every warning given (process_file's FileReport::warnings).
lrn::RunOptions run_options(const FileOptions& o, std::atomic<std::size_t>& warnings) {
  lrn::RunOptions run;
  set_params(o, run);
  if (o.quality < 1 || o.quality > 100)
    throw InvalidArgument(param("quality") + ": " + std::to_string(o.quality) + " is not in 1..100",
                          "quality", std::to_string(o.quality));
  if (o.pixel_scale != 255 && o.pixel_scale != 1)
    throw InvalidArgument(param("pixel_scale") + fmt::format(": {} is not 255 or 1", o.pixel_scale),
                          "pixel_scale", fmt::format("{}", o.pixel_scale));
  if (o.lenient && o.strict)
    throw InvalidArgument(
        param("lenient") + " and " + param("strict") + " contradict each other: give one of them",
        "strict");
  for (const auto& [value, name] :
       {std::pair{o.max_pixels, "max_pixels"}, std::pair{o.max_npy_bytes, "max_npy_bytes"},
        std::pair{o.max_row_bytes, "max_row_bytes"}})
    if (value == 0) throw InvalidArgument(param(name) + " must be >= 1", name, "0");
  run.quality = o.quality;
  run.lossless = o.lossless;
  run.rescale = o.rescale;
  run.pixel_scale = o.pixel_scale;
  run.max_pixels = o.max_pixels;
  run.max_npy_bytes = o.max_npy_bytes;
  run.max_row_bytes = o.max_row_bytes;
  if (o.layout) run.layout = static_cast<lrn::Layout>(static_cast<int>(*o.layout));
  run.npy_type = o.dtype == Dtype::F16 ? lrn::SampleType::F16 : lrn::SampleType::F32;
  run.dtype_given = o.dtype.has_value();
  run.lenient = o.lenient;
  run.strict = o.strict;
  run.auto_orient = o.auto_orient;
  run.keep_metadata = o.keep_metadata;
  run.threads = o.threads ? o.threads : lrn::usable_cores();
  if (o.format) run.out_format = static_cast<lrn::Format>(static_cast<int>(*o.format));
  run.cancel = o.cancel;
  // As the command line does: under strict a warning fails the file; otherwise it goes to
  // the caller in the caller's spelling.
  run.warn = [strict = o.strict, warn = o.warn, spelling = o.spelling,
              &warnings](const std::string& m) {
    warnings.fetch_add(1, std::memory_order_relaxed);
    if (strict)
      throw FileError("cannot process " + m + "; " + param("strict") + " makes warnings errors");
    if (warn) warn(worded(m, spelling));
  };
  return run;
}

}  // namespace

// The public enums mirror the internal ones value for value (checked here, where both are
// visible), so converting is a cast.
static_assert(static_cast<int>(Layout::Nchw) == static_cast<int>(lrn::Layout::Nchw));
static_assert(static_cast<int>(Layout::Chw) == static_cast<int>(lrn::Layout::Chw));
static_assert(static_cast<int>(Layout::Nhwc) == static_cast<int>(lrn::Layout::Nhwc));
static_assert(static_cast<int>(Format::Npy) == static_cast<int>(lrn::Format::Npy));
static_assert(static_cast<int>(Format::Png) == static_cast<int>(lrn::Format::Png));
static_assert(static_cast<int>(Format::Pnm) == static_cast<int>(lrn::Format::Pnm));
static_assert(static_cast<int>(Format::Tiff) == static_cast<int>(lrn::Format::Tiff));
static_assert(static_cast<int>(Format::Webp) == static_cast<int>(lrn::Format::Webp));
static_assert(static_cast<int>(Format::Jpeg) == static_cast<int>(lrn::Format::Jpeg));

std::optional<Format> format_of_name(const std::string& name) {
  const auto f = lrn::format_from_extension(name);
  if (!f) return std::nullopt;
  return static_cast<Format>(static_cast<int>(*f));
}

const char* format_name(Format f) {
  return lrn::format_name(static_cast<lrn::Format>(static_cast<int>(f)));
}

FileReport process_file(const std::string& in, const std::string& out, const FileOptions& options) {
  std::atomic<std::size_t> warnings{0};
  lrn::RunOptions run = run_options(options, warnings);
  lrn::FileFacts facts;
  lrn::ImageStats stats;
  run.facts = &facts;
  if (options.stats) run.stats = &stats;
  try {
    lrn::process_file(in, out, run);
  } catch (const lrn::Cancelled&) {
    throw FileCancelled("cannot process " + lrn::quoted(in) + ": cancelled", in);
  }
  FileReport r;
  r.input_format = static_cast<Format>(static_cast<int>(facts.in_format));
  r.output_format = static_cast<Format>(static_cast<int>(facts.out_format));
  r.width = facts.width;
  r.height = facts.height;
  r.channels = facts.channels;
  r.images = facts.images;
  r.batch = facts.batch;
  r.warnings = warnings.load();
  if (options.stats) {
    r.stats.resize(stats.input.size());
    for (std::size_t i = 0; i < r.stats.size(); ++i) {
      r.stats[i].input = {std::move(stats.input[i].min), std::move(stats.input[i].max),
                          std::move(stats.input[i].mean)};
      r.stats[i].output = {std::move(stats.output[i].min), std::move(stats.output[i].max),
                           std::move(stats.output[i].mean)};
    }
  }
  return r;
}

}  // namespace lrn_img
