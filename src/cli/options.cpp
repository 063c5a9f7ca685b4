// The command line, parsed with CLI11: options, presets, conventions, and where each applies.
#include "cli/options.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "api/family.h"
#include "cli/command_line.h"
#include "cli/help.h"
#include "cli/numbers.h"
#include "cli/wording.h"
#include "image/codec_table.h"
#include "image/npz.h"
#include "lrn/method.h"
#include "lrn/resolve.h"
#include "lrn_img/params.h"
#include "lrn_version.h"
#include "pipeline/cores.h"

namespace lrn::cli {
namespace {

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const PresetDef& p : preset_defs()) names.push_back(p.name);
  return names;
}

// "--preset: 'caffe' is not blog, ... or torch-defaults; did you mean 'caffe-alexnet' (...)?".
[[noreturn]] void unknown_preset(const std::string& typed) {
  const std::vector<std::string> names = preset_names();
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i)
    list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  const std::string near = closest(typed, names);
  throw UsageError(fmt::format(
      "--preset: {} is not {}{}", quoted(typed), list,
      near.empty() ? "" : fmt::format("; did you mean '{}' ({})?", near, find_preset(near)->what)));
}

// -t and -j: more threads than this are a typo (-t 4294967295), not a machine; the OS
// would refuse to start them anyway. README and --help state it.
constexpr unsigned kMaxThreads = 1024;

// --layout and --dtype: how a .npy tensor is read and written (lrn/layout.h). Kept together so
// the help text, the README table and the parser say the same thing.
// --layout and --dtype: names only, like every option (help.cpp has their text).
void add_tensor_options(CLI::App& app, std::string& layout, std::string& dtype) {
  app.add_option("--layout", layout);
  app.add_option("--dtype", dtype);
}

void resolve_tensor_options(const std::string& layout, const std::string& dtype, RunOptions& run) {
  if (!layout.empty()) {
    run.layout = parse_layout(layout);
    if (!run.layout)
      throw UsageError(fmt::format("--layout: {} is not hwc, chw, nhwc or nchw{}", quoted(layout),
                                   did_you_mean(layout, {"hwc", "chw", "nhwc", "nchw"})));
  }
  run.dtype_given = !dtype.empty();
  if (dtype == "f16") run.npy_type = SampleType::F16;
  else if (!dtype.empty() && dtype != "f32")
    throw UsageError(fmt::format("--dtype: {} is not f32 or f16{}", quoted(dtype),
                                 did_you_mean(dtype, {"f32", "f16"})));
}

struct Raw {  // option text as typed, parsed by our own locale-independent parser
  std::string radius, size, bias, alpha, beta, pixel_scale, convention, preset, format;
  std::string quality, max_pixels, max_npy_bytes, max_row_bytes, threads, jobs;
  std::string layout, dtype;
  // The family (--method): lrn/method.h resolves them.
  std::string method, kernel, threshold, scale, sqrt_bias, min_divisor, zca_file;
  bool per_channel = false, joint = false, use_std = false;
  std::vector<std::string> files;
  std::vector<std::string> given;  // the options given, by long name ("--radius")
  bool no_auto_orient = false;
};

// Names only: --help is help.cpp's table, which tests/test_help.cpp holds to these names.
// Every value is taken as text and checked by resolve() (numbers through numbers.h).
void add_options(CLI::App& app, Raw& raw, CliOptions& o) {
  app.add_option("FILES", raw.files);
  app.add_option("-r,--radius", raw.radius);
  app.add_option("-k,--bias", raw.bias);
  app.add_option("-a,--alpha", raw.alpha);
  app.add_option("-b,--beta", raw.beta);
  app.add_option("--convention", raw.convention);
  app.add_option("--size", raw.size);
  app.add_option("--preset", raw.preset);
  app.add_option("--method", raw.method);
  app.add_option("--kernel", raw.kernel);
  app.add_option("--threshold", raw.threshold);
  app.add_flag("--per-channel", raw.per_channel);
  app.add_flag("--joint", raw.joint);
  app.add_option("--scale", raw.scale);
  app.add_option("--sqrt-bias", raw.sqrt_bias);
  app.add_flag("--use-std", raw.use_std);
  app.add_option("--min-divisor", raw.min_divisor);
  app.add_option("--zca-file", raw.zca_file);
  app.add_flag("--print-params", o.print_params);
  app.add_option("--pixel-scale", raw.pixel_scale);
  app.add_flag("--no-auto-orient", raw.no_auto_orient);
  app.add_flag("--keep-metadata", o.run.keep_metadata);
  app.add_option("--format", raw.format);
  app.add_option("-q,--quality", raw.quality);
  app.add_flag("--rescale", o.run.rescale);
  app.add_flag("--lossless", o.run.lossless);
  app.add_flag("--stats", o.batch.stats);
  app.add_flag("--json", o.batch.json);
  app.add_option("-O,--output-dir", o.batch.out_dir);
  app.add_option("--files-from", o.batch.files_from);
  app.add_flag("-0,--null", o.batch.nul);
  app.add_option("--suffix", o.batch.suffix);
  app.add_flag("--skip-existing", o.batch.skip_existing);
  app.add_flag("--quiet", o.batch.quiet);
  app.add_option("--max-pixels", raw.max_pixels);
  app.add_option("--max-npy-bytes", raw.max_npy_bytes);
  app.add_option("--max-row-bytes", raw.max_row_bytes);
  app.add_flag("--lenient", o.run.lenient);
  app.add_flag("--strict", o.run.strict);
  app.add_option("-t,--threads", raw.threads);
  app.add_option("-j,--jobs", raw.jobs);
  add_tensor_options(app, raw.layout, raw.dtype);
  app.add_flag("-R,--recursive", o.batch.recursive);
  app.add_option("--base", o.batch.base);
  app.add_flag("--dry-run", o.batch.dry_run);
  app.set_version_flag("--version", "lrn-img " LRN_IMG_VERSION);
}

// How each option may be spelt, for normalize_arguments.
std::vector<OptionSpelling> spellings(const CLI::App& app) {
  std::vector<OptionSpelling> all;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional()) continue;
    OptionSpelling s;
    s.long_name = "--" + opt->get_lnames().front();
    for (const std::string& n : opt->get_snames()) s.short_names += n;
    s.takes_value = opt->get_items_expected_max() != 0;  // as CLI11 tells a flag
    all.push_back(s);
  }
  return all;
}

// The parameters as typed, parsed, then resolved by the library's own rules (lrn/resolve.h),
// whose errors name parameters that main spells as these options.
void resolve_framework(const Raw& raw, CliOptions& o) {
  lrn_img::Params p;
  if (!raw.preset.empty()) {
    if (!find_preset(raw.preset)) unknown_preset(raw.preset);
    p.preset = raw.preset;
  }
  if (!raw.convention.empty()) {
    const auto c = parse_convention(raw.convention);
    if (!c)
      throw UsageError(fmt::format("--convention: {} is not tf, torch, onnx or caffe{}",
                                   quoted(raw.convention),
                                   did_you_mean(raw.convention, {"tf", "torch", "onnx", "caffe"})));
    p.convention = to_public(*c);
  }
  if (!raw.bias.empty()) p.bias = parse_real(raw.bias, "--bias");
  if (!raw.alpha.empty()) p.alpha = parse_real_or_quotient(raw.alpha, "--alpha");
  if (!raw.beta.empty()) p.beta = parse_real(raw.beta, "--beta");
  if (!raw.radius.empty())
    p.radius = static_cast<int>(parse_whole(raw.radius, "--radius", 0, kMaxWindow));
  if (!raw.size.empty()) p.size = static_cast<int>(parse_whole(raw.size, "--size", 0, kMaxWindow));
  o.run.params = resolve_params(p, &o.framework);
}

// "'a', 'b', 'c'", at most four of them.
std::string listed(const std::vector<std::string>& files) {
  std::string s;
  for (std::size_t i = 0; i < files.size() && i < 4; ++i) s += (i ? ", " : "") + quoted(files[i]);
  if (files.size() > 4) s += fmt::format(" and {} more", files.size() - 4);
  return s;
}

// Which use of lrn-img this is (help.h's Use), checking that the files fit it.
unsigned use_of(const Raw& raw, const CliOptions& o) {
  const std::vector<std::string>& files = raw.files;
  if (o.print_params) {
    if (!files.empty())
      throw UsageError(
          fmt::format("--print-params prints the parameters and exits; it takes no files, but "
                      "was given {}",
                      listed(files)));
    return kPrint;
  }
  if (o.batch.batch()) return kBatch;
  if (files.size() > 2)
    throw UsageError(
        fmt::format("expected IN OUT, but got {} files ({}); several inputs need -O DIR "
                    "(like cp a b c dir/)",
                    files.size(), listed(files)));
  if (files.size() == 1)
    throw UsageError(
        fmt::format("expected IN and OUT, but got only {}; give OUT too, or -O DIR for a batch",
                    quoted(files[0])));
  if (files.empty()) throw UsageError("expected IN and OUT; run 'lrn-img --help' for usage");
  return files[0] == "-" || files[1] == "-" ? kStream : kSingle;
}

// An option outside its use (README, "Which options apply where") would do nothing: refuse it.
void check_applicable(const std::vector<std::string>& given, unsigned use) {
  for (const std::string& name : given) {
    const OptionDoc* d = find_option_doc(name);
    if (!d || (d->uses & use)) continue;
    if (use == kPrint)
      throw UsageError(
          fmt::format("{} does not apply with --print-params, which only prints the parameters; "
                      "leave it out",
                      name));
    throw UsageError(
        fmt::format("{} applies to many files (IN... -O DIR, or --files-from), not to {}; leave "
                    "it out",
                    name, use == kStream ? "- as IN or OUT" : "one IN OUT"));
  }
}

// The output format, where the command line decides it, must agree with OUT's name and with
// -q (JPEG only) and --rescale (JPEG and PNG only).
void check_output_format(const Raw& raw, const CliOptions& o, unsigned use) {
  const std::optional<Format> chosen = o.run.out_format;
  std::optional<Format> known = chosen;
  std::string what = chosen ? fmt::format("--format {}", escaped(raw.format)) : "";
  if (use != kBatch && raw.files[1] != "-") {
    const std::string& out = raw.files[1];
    if (const auto named = format_from_extension(out)) {
      if (chosen && *named != *chosen)
        throw UsageError(
            fmt::format("--format {} contradicts OUT {}, a {} name; name OUT for the format, or "
                        "leave --format out",
                        escaped(raw.format), quoted(out), format_name(*named)));
      known = named;
      what = fmt::format("OUT {}", quoted(out));
    }
  }
  if (!known) return;
  const Codec& writes = codec_of(*known);
  if (!raw.quality.empty() && !writes.quality)
    throw UsageError(fmt::format("--quality applies to {} output, but {} writes {}; leave it out",
                                 codec_names([](const Codec& c) { return c.quality; }), what,
                                 writes.name));
  if (o.run.lossless && writes.format != Format::Webp)
    throw UsageError(fmt::format(
        "--lossless applies to WebP output, but {} writes {}; leave it out", what, writes.name));
  if (o.run.lossless && !raw.quality.empty())
    throw UsageError(
        "--quality applies to lossy output, and --lossless asks for lossless; give one of them");
  if (o.run.rescale && !writes.clamps)
    throw UsageError(
        fmt::format("--rescale applies to {} output, but {} writes {}, which keeps "
                    "the values unclamped; leave it out",
                    codec_names([](const Codec& c) { return c.clamps; }), what, writes.name));
}

// Single mode (IN OUT) or batch mode (-O / --files-from), jobs and threads per image.
// threads, jobs: as given, 0 when not.
void resolve_files(const Raw& raw, unsigned threads, unsigned jobs, CliOptions& o) {
  BatchOptions& b = o.batch;
  const unsigned cores = std::min(usable_cores(), kMaxThreads);
  if (b.nul && b.files_from.empty())
    throw UsageError("--null needs --files-from: it says that list is NUL-separated");
  if (!b.batch()) {
    b.inputs = {raw.files[0]};
    b.output = raw.files[1];
    if (b.output == "-" && !o.run.out_format)
      throw UsageError("writing to stdout (-) needs --format " + output_extensions("|"));
    if (b.output == "-" && b.json)
      throw UsageError("--json writes to stdout, which - as OUT already uses");
    if (b.output == "-" && isatty(1) && !b.dry_run)
      throw UsageError("refusing to write binary image data to a terminal; redirect stdout");
    b.jobs = 1;
    o.run.threads = threads ? threads : cores;
    return;
  }
  if (b.out_dir.empty()) throw UsageError("--files-from needs -O DIR for the outputs");
  b.inputs = raw.files;
  for (const std::string& in : b.inputs)
    if (in == "-") throw UsageError("- (stdin) cannot be an input of a batch (-O or --files-from)");
  b.jobs = jobs ? jobs : cores;
  // Threads per image are filled in by the batch runner, which knows how many images there are.
  o.run.threads = threads;
}

// Which parameter of lrn/method.h each option sets.
struct MethodOption {
  const char* option;
  const char* param;
};
const MethodOption kMethodOptions[] = {{"--radius", "radius"},
                                       {"--size", "size"},
                                       {"--bias", "bias"},
                                       {"--alpha", "alpha"},
                                       {"--beta", "beta"},
                                       {"--convention", "convention"},
                                       {"--preset", "preset"},
                                       {"--kernel", "kernel"},
                                       {"--threshold", "threshold"},
                                       {"--per-channel", "per_channel"},
                                       {"--joint", "per_channel"},
                                       {"--scale", "scale"},
                                       {"--sqrt-bias", "sqrt_bias"},
                                       {"--use-std", "use_std"},
                                       {"--min-divisor", "min_divisor"},
                                       {"--zca-file", "zca"}};

// "a, b or c".
std::string one_of(const std::vector<std::string>& names) {
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i)
    list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return list;
}

Method resolve_method_name(const Raw& raw) {
  if (raw.method.empty()) return Method::Lrn;
  const auto m = parse_method(raw.method);
  if (!m)
    throw UsageError(fmt::format("--method: {} is not {}{}", quoted(raw.method),
                                 one_of(method_names()), did_you_mean(raw.method, method_names())));
  return *m;
}

// An option of another method is refused, naming the methods it belongs to.
void check_method_options(const Raw& raw, Method m) {
  const std::string which = raw.method.empty() ? "--method lrn (the default)"
                                               : fmt::format("--method {}", method_name(m));
  for (const std::string& given : raw.given)
    for (const MethodOption& mo : kMethodOptions) {
      if (given != mo.option || method_takes(m, mo.param)) continue;
      std::vector<std::string> owners;
      for (const std::string& name : method_names())
        if (method_takes(*parse_method(name), mo.param)) owners.push_back(name);
      throw UsageError(fmt::format("{} does not apply to {}; it belongs to --method {}", given,
                                   which, one_of(owners)));
    }
  if (raw.per_channel && raw.joint)
    throw UsageError("--per-channel and --joint contradict each other: give one of them");
}

// Whether an option was given (by long name).
bool given(const Raw& raw, const char* name) {
  return std::find(raw.given.begin(), raw.given.end(), name) != raw.given.end();
}

// --method other than lrn: the family's parameters through lrn/method.h.
void resolve_family(const Raw& raw, Method m, CliOptions& o) {
  const std::string conv = raw.convention.empty() ? "caffe" : raw.convention;
  if (m == Method::SpatialLrn && given(raw, "--bias") && (conv == "caffe" || conv == "matconvnet"))
    throw UsageError(fmt::format(
        "--bias does not apply to --method spatial-lrn --convention {}: {} has no k and adds 1; "
        "give --convention onednn for a bias",
        conv, conv == "caffe" ? "Caffe ignores its k," : "MatConvNet"));
  MethodRequest r;
  r.method = m;
  if (!raw.convention.empty()) r.convention = raw.convention;
  if (!raw.kernel.empty()) r.kernel = raw.kernel;
  if (!raw.preset.empty()) r.preset = raw.preset;
  if (!raw.size.empty())
    r.size = static_cast<long long>(parse_whole(raw.size, "--size", 0, kMaxWindow));
  if (!raw.alpha.empty()) r.alpha = parse_real_or_quotient(raw.alpha, "--alpha");
  if (!raw.beta.empty()) r.beta = parse_real(raw.beta, "--beta");
  if (!raw.bias.empty()) r.bias = parse_real(raw.bias, "--bias");
  if (!raw.threshold.empty()) r.threshold = parse_real(raw.threshold, "--threshold");
  if (!raw.scale.empty()) r.scale = parse_real(raw.scale, "--scale");
  if (!raw.sqrt_bias.empty()) r.sqrt_bias = parse_real(raw.sqrt_bias, "--sqrt-bias");
  if (!raw.min_divisor.empty()) r.min_divisor = parse_real(raw.min_divisor, "--min-divisor");
  if (raw.per_channel) r.per_channel = true;
  if (raw.joint) r.per_channel = false;
  if (raw.use_std) r.use_std = true;
  if (m == Method::Zca) {
    if (raw.zca_file.empty())
      throw UsageError(
          "--method zca needs --zca-file F.npz (arrays mean, shape (C,), and P, (C, C))");
    r.zca = read_zca_npz(raw.zca_file);
  }
  try {
    o.run.method = resolve_method(r);
  } catch (const MethodError& e) {
    if (!e.choices.empty())
      throw UsageError(fmt::format("--{}: {} is not {} (--method {}){}", e.param, quoted(e.value),
                                   one_of(e.choices), method_name(m),
                                   did_you_mean(e.value, e.choices)));
    std::string why = e.what();
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"sqrt_bias", "--sqrt-bias"},
                                   {"min_divisor", "--min-divisor"},
                                   {"scale must", "--scale must"}})
      for (std::size_t at = 0; (at = why.find(from, at)) != std::string::npos; at += to.size())
        why.replace(at, from.size(), to);
    throw UsageError(fmt::format("--method {}: {}", method_name(m), why));
  }
}

// A JSON value: true/false and numbers as they are, anything else a string.
std::string json_value(const std::string& v) {
  if (v == "true" || v == "false") return v;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  if (!v.empty() && end && *end == '\0' && v.find_first_of("0123456789") != std::string::npos)
    return v;
  return "\"" + v + "\"";
}

// "method":...,"convention":...,"params":{...} for --json (values from our own tables: no
// escaping needed beyond json_value's quotes).
std::string json_method(const CliOptions& o) {
  std::string params;
  auto add = [&](const std::string& k, const std::string& v) {
    params += fmt::format("{}\"{}\":{}", params.empty() ? "" : ",", k, json_value(v));
  };
  if (o.run.method) {
    for (const auto& [k, v] : o.run.method->describe()) add(k, v);
    return fmt::format(R"("method":"{}","convention":"{}","params":{{{}}})",
                       method_name(o.run.method->method), o.run.method->convention(), params);
  }
  const FrameworkParams& f = o.framework;
  add(f.convention == Convention::Tf ? "radius" : "size", std::to_string(f.window));
  add("bias", fmt::format("{}", f.bias));
  add("alpha", fmt::format("{}", f.alpha));
  add("beta", fmt::format("{}", f.beta));
  return fmt::format(R"("method":"lrn","convention":"{}","params":{{{}}})",
                     convention_name(f.convention), params);
}

void resolve(const Raw& raw, CliOptions& o) {
  const unsigned use = use_of(raw, o);
  check_applicable(raw.given, use);
  const Method method = resolve_method_name(raw);
  check_method_options(raw, method);
  if (method != Method::Lrn) {
    resolve_family(raw, method, o);
  } else {
    resolve_framework(raw, o);
  }
  o.batch.json_method = json_method(o);
  constexpr auto kMax64 = std::numeric_limits<std::uint64_t>::max();
  if (!raw.quality.empty())
    o.run.quality = static_cast<int>(parse_whole(raw.quality, "--quality", 1, 100));
  if (!raw.max_pixels.empty())
    o.run.max_pixels = parse_whole(raw.max_pixels, "--max-pixels", 1, kMax64);
  if (!raw.max_npy_bytes.empty())
    o.run.max_npy_bytes = parse_whole(raw.max_npy_bytes, "--max-npy-bytes", 1, kMax64);
  if (!raw.max_row_bytes.empty())
    o.run.max_row_bytes = parse_whole(raw.max_row_bytes, "--max-row-bytes", 1, kMax64);
  if (o.run.lenient && o.run.strict)
    throw UsageError("--lenient and --strict contradict each other: give one of them");
  o.run.auto_orient = !raw.no_auto_orient;
  if (!raw.pixel_scale.empty()) {
    const double s = parse_real(raw.pixel_scale, "--pixel-scale");
    if (s != 255 && s != 1)
      throw UsageError(fmt::format("--pixel-scale: {} is not 255 or 1", quoted(raw.pixel_scale)));
    o.run.pixel_scale = s;
  }
  if (!raw.format.empty()) {
    const auto f = format_from_extension("." + raw.format);
    if (!f)
      throw UsageError(fmt::format("--format: {} is not {}{}", quoted(raw.format),
                                   output_extensions("or"),
                                   did_you_mean(raw.format, all_extensions())));
    o.run.out_format = f;
  }
  // parse_whole bounds both by kMaxThreads, so the narrowing is exact.
  const auto threads = static_cast<unsigned>(
      raw.threads.empty() ? 0 : parse_whole(raw.threads, "--threads", 1, kMaxThreads));
  const auto jobs =
      static_cast<unsigned>(raw.jobs.empty() ? 0 : parse_whole(raw.jobs, "--jobs", 1, kMaxThreads));
  resolve_tensor_options(raw.layout, raw.dtype, o.run);
  if (use == kPrint) return;
  check_output_format(raw, o, use);
  resolve_files(raw, threads, jobs, o);
}

}  // namespace

lrn_img::FileOptions file_options(const CliOptions& o, unsigned threads) {
  const RunOptions& run = o.run;
  lrn_img::FileOptions f;
  lrn_img::Resolved r;
  if (run.method) {
    auto family = std::make_shared<lrn_img::ResolvedFamily>(lrn_img::ResolvedFamily{*run.method});
    r.method = static_cast<lrn_img::Method>(static_cast<int>(run.method->method));
    r.convention = run.method->convention();
    r.values = run.method->describe();
    r.family = std::move(family);
  } else {
    r = lrn_img::Resolved{lrn_img::Method::Lrn,
                          run.params.before,
                          run.params.after,
                          run.params.bias,
                          run.params.alpha,
                          run.params.beta,
                          {},
                          {},
                          {}};
  }
  f.resolved = std::move(r);
  f.quality = run.quality;
  f.lossless = run.lossless;
  f.rescale = run.rescale;
  f.pixel_scale = run.pixel_scale;
  f.max_pixels = run.max_pixels;
  f.max_npy_bytes = run.max_npy_bytes;
  f.max_row_bytes = run.max_row_bytes;
  if (run.layout) f.layout = static_cast<lrn_img::Layout>(static_cast<int>(*run.layout));
  if (run.dtype_given)
    f.dtype = run.npy_type == SampleType::F16 ? lrn_img::Dtype::F16 : lrn_img::Dtype::F32;
  f.lenient = run.lenient;
  f.strict = run.strict;
  f.auto_orient = run.auto_orient;
  f.keep_metadata = run.keep_metadata;
  f.threads = threads;
  if (run.out_format) f.format = static_cast<lrn_img::Format>(static_cast<int>(*run.out_format));
  f.spelling = option_spelling;
  f.stats = o.batch.stats || o.batch.json;
  return f;
}

namespace {

// Not an option, not "-" (stdin/stdout, which needs --format) and not empty.
bool is_plain_argument(const char* arg) { return arg[0] != '-' && arg[0] != '\0'; }

}  // namespace

std::string describe_method(const FamilyMethod& m) {
  std::string s =
      fmt::format("method: {}\nconvention: {}\n", method_name(m.method), m.convention());
  for (const auto& [k, v] : m.describe()) s += fmt::format("{}: {}\n", k, v);
  return s;
}

std::string describe_params(const LrnParams& p) {
  return lrn_img::describe(
      lrn_img::Resolved{lrn_img::Method::Lrn, p.before, p.after, p.bias, p.alpha, p.beta});
}

ParseResult parse_command_line(int argc, char** argv) {
  // `lrn-img IN OUT` with no option (the blog's experiment, and what most scripts run) needs
  // no CLI11: building its parser for our ~30 options costs ~0.2 ms of CPU, 4% of a whole
  // 640x427 photo (bench/, figure 5). Two arguments that do not start with '-' can only be
  // the two FILES positionals, so the result is CLI11's (tests/test_options.cpp compares them).
  if (argc == 3 && is_plain_argument(argv[1]) && is_plain_argument(argv[2])) {
    ParseResult result;
    Raw raw;
    raw.files = {argv[1], argv[2]};
    resolve(raw, result.options);
    result.proceed = true;
    return result;
  }
  return parse_command_line_with_cli11(argc, argv);
}

std::vector<std::string> parsed_option_names() {
  CLI::App app;
  Raw raw;
  CliOptions o;
  add_options(app, raw, o);
  std::vector<std::string> names;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional()) continue;
    std::string n;
    for (const std::string& s : opt->get_snames()) n += (n.empty() ? "-" : ",-") + s;
    for (const std::string& l : opt->get_lnames()) n += (n.empty() ? "--" : ",--") + l;
    names.push_back(n);
  }
  return names;
}

ParseResult parse_command_line_with_cli11(int argc, char** argv) {
  ParseResult result;
  if (argc <= 1) {
    fmt::print(stderr, "{}\ntry 'lrn-img --help' for the options\n", usage_line());
    result.exit_code = 2;
    return result;
  }
  CLI::App app("", "lrn-img");
  Raw raw;
  add_options(app, raw, result.options);
  // normalize_arguments finds every mistake CLI11 would report, in our words, and hands it a
  // command line it cannot misread (CLI11 wants it reversed).
  std::vector<std::string> args = normalize_arguments(spellings(app), {argv + 1, argv + argc});
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", help_text(help_width()));
    return result;
  } catch (const CLI::CallForVersion&) {
    fmt::print("lrn-img {}\n", LRN_IMG_VERSION);
    return result;
  } catch (const CLI::ParseError&) {
    // Not reached: the fuzzer (tests/fuzz/fuzz_options.cpp) treats this message as a bug.
    throw UsageError("the command line could not be read; run 'lrn-img --help' for usage");
  }
  for (const CLI::Option* opt : app.get_options())
    if (!opt->get_positional() && opt->count() > 0)
      raw.given.push_back("--" + opt->get_lnames().front());
  resolve(raw, result.options);
  result.proceed = true;
  return result;
}

}  // namespace lrn::cli
