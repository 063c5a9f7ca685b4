// The command line, parsed with CLI11: options, presets, conventions, and the help text.
#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "cli/cores.h"
#include "lrn_version.h"

namespace lrn::cli {
namespace {

// A preset fills in what its framework uses; explicit flags win wherever they stand.
struct Preset {
  const char* name;
  const char* what;
  Convention convention;
  std::optional<int> window;  // radius under tf, size otherwise; none: the user must give it
  double bias, alpha, beta;
};

const Preset kPresets[] = {
    {"blog", "the blog's experiment (the defaults)", Convention::Tf, 2, 1.0, 0.001 / 9, 0.75},
    {"tf-cifar10", "TensorFlow's CIFAR-10 tutorial", Convention::Tf, 4, 1.0, 0.001 / 9, 0.75},
    {"tf-defaults", "tf.nn.lrn's own defaults", Convention::Tf, 5, 1.0, 1.0, 0.5},
    {"alexnet-paper", "Krizhevsky et al. 2012 (n=5, k=2; the paper does not divide alpha)",
     Convention::Tf, 2, 2.0, 1e-4, 0.75},
    {"caffe-alexnet", "Caffe's AlexNet LRN layer", Convention::Caffe, 5, 1.0, 1e-4, 0.75},
    {"torch-defaults", "torch.nn.LocalResponseNorm's defaults (give --size)", Convention::Torch,
     std::nullopt, 1.0, 1e-4, 0.75},
};

const Preset* find_preset(const std::string& name) {
  for (const Preset& p : kPresets)
    if (name == p.name) return &p;
  return nullptr;
}

std::string preset_list() {
  std::string s;
  for (const Preset& p : kPresets) s += fmt::format("\n  {:<15} {}", p.name, p.what);
  return s;
}

int parse_int(const std::string& text, const std::string& option) {
  int v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || text.empty())
    throw UsageError(fmt::format("{} wants a whole number, not '{}'", option, text));
  return v;
}

const char* kDescription =
    "lrn-img: Local Response Normalization (TensorFlow's tf.nn.lrn) applied to an image.\n\n"
    "For each pixel and channel c of the colour channels:\n"
    "  sqr_sum[c] = sum of x[c']^2 for c' = c-radius .. c+radius (clipped at the ends)\n"
    "  y[c]       = x[c] / (bias + alpha * sqr_sum[c]) ^ beta\n"
    "Decoded pixels are 0..255 floats (see --pixel-scale; LRN is not scale-invariant, so the\n"
    "range is part of what the parameters mean). Alpha passes through unchanged.\n"
    "IN: JPEG, PNG or .npy, recognised by content. OUT: .jpg/.jpeg, .png or .npy by its\n"
    "extension; .npy output is float32 (see --dtype), before clamping or rounding, shaped\n"
    "(H, W, C), or like the input with --layout. A .npy tensor may be channel-first and a\n"
    "batch: see --layout (PyTorch's (N, C, H, W) is nchw, TensorFlow's (N, H, W, C) nhwc).";

const char* kFooter =
    "Examples:\n"
    "  lrn-img photo.jpg out.jpg                      # the blog's experiment (defaults)\n"
    "  lrn-img photo.jpg out.png --rescale            # stretch the dark result to 0..255\n"
    "  lrn-img photo.jpg out.jpg --radius 2 --alpha 0.001/9 --beta 0.75\n"
    "  lrn-img fmap.npy out.npy --convention torch --size 5 --alpha 1e-4\n"
    "  lrn-img conv1.npy out.npy --layout nchw --preset caffe-alexnet  # PyTorch (N, C, H, W)\n"
    "  lrn-img --preset caffe-alexnet --print-params\n"
    "  lrn-img *.jpg -O out/ --suffix _lrn -j 2         # a batch, two images at a time\n"
    "  find in -name '*.png' -print0 | lrn-img --files-from - -0 -O out/ --format npy\n"
    "  curl -s URL | lrn-img - - --format png > out.png  # a pipe\n\n"
    "Exit status: 0 success, 1 a file could not be read, decoded or written (in a batch: any\n"
    "image failed), 2 usage error, 130/143 interrupted by SIGINT/SIGTERM.";

// --layout and --dtype: how a .npy tensor is read and written (lrn/layout.h). Kept together so
// the help text, the README table and the parser say the same thing.
const char* kLayoutHelp =
    ".npy input's axis order: hwc (H, W, C) or chw (C, H, W), nhwc (N, H, W, C) or nchw "
    "(N, C, H, W); C is the channel axis LRN runs across. Given: the .npy output keeps the "
    "input's shape. [read (H, W), (H, W, C), (N, H, W, C)]";
const char* kDtypeHelp =
    ".npy output type f32|f16 (f16 rounds to nearest even; overflow to inf warns) [f32]";

void add_tensor_options(CLI::App& app, std::string& layout, std::string& dtype) {
  app.add_option("--layout", layout, kLayoutHelp)->type_name("L");
  app.add_option("--dtype", dtype, kDtypeHelp)->type_name("T");
}

void resolve_tensor_options(const std::string& layout, const std::string& dtype, RunOptions& run) {
  if (!layout.empty()) {
    run.layout = parse_layout(layout);
    if (!run.layout)
      throw UsageError(fmt::format("--layout wants hwc, chw, nhwc or nchw, not '{}'", layout));
  }
  if (dtype == "f16") run.npy_type = SampleType::F16;
  else if (!dtype.empty() && dtype != "f32")
    throw UsageError(fmt::format("--dtype wants f32 or f16, not '{}'", dtype));
}

struct Raw {  // option text as typed, parsed by our own locale-independent parser
  std::string radius, size, bias, alpha, beta, pixel_scale, convention, preset, format;
  std::string layout, dtype;
  int quality = 90;
  std::uint64_t max_pixels = std::uint64_t{1} << 28;
  std::uint64_t max_npy_bytes = std::uint64_t{4} << 30;
  unsigned threads = 0;
  unsigned jobs = 0;
  std::vector<std::string> files;
  bool no_auto_orient = false;
};

void add_options(CLI::App& app, Raw& raw, CliOptions& o) {
  app.add_option("FILES", raw.files,
                 "IN OUT, or with -O: IN... (JPEG, PNG or .npy in; .jpg, .png or .npy out; - is "
                 "stdin/stdout)")
      ->type_name("");
  app.add_option("-r,--radius", raw.radius, "depth_radius (tf convention), integer >= 0 [2]")
      ->type_name("INT");
  app.add_option("-k,--bias", raw.bias, "bias k, >= 0 [1]")->type_name("NUM");
  app.add_option("-a,--alpha", raw.alpha, "alpha, >= 0; a quotient like 0.001/9 is fine [0.001/9]")
      ->type_name("NUM");
  app.add_option("-b,--beta", raw.beta, "beta, the exponent [0.75]")->type_name("NUM");
  app.add_option("--convention", raw.convention,
                 "how window and alpha are stated: tf (radius, alpha as given), torch, onnx, "
                 "caffe (--size N, alpha divided by N) [tf]")
      ->type_name("NAME");
  app.add_option("--size", raw.size, "window size N, for --convention torch|onnx|caffe")
      ->type_name("N");
  app.add_option("--preset", raw.preset, "named parameter set; explicit flags win:" + preset_list())
      ->type_name("NAME");
  app.add_flag("--print-params", o.print_params,
               "print the resolved parameters in every convention and exit (no files needed)");
  app.add_option("--format", raw.format,
                 "output format jpg|png|npy, when OUT's extension does not say (e.g. /dev/null)")
      ->type_name("FMT");
  app.add_option("-q,--quality", raw.quality, "JPEG quality 1..100, 4:2:0 chroma [90]")
      ->check(CLI::Range(1, 100));
  app.add_flag("--rescale", o.run.rescale,
               "map the output's min..max to the full range instead of clamping (image outputs)");
  add_tensor_options(app, raw.layout, raw.dtype);
  app.add_option("--pixel-scale", raw.pixel_scale,
                 "value of a full-scale pixel as LRN sees it: 255 or 1 [255]; .npy values are never scaled")
      ->type_name("255|1");
  app.add_option("--max-pixels", raw.max_pixels, "refuse larger images, checked from the header [268435456]")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-npy-bytes", raw.max_npy_bytes,
                 "refuse .npy arrays with more data (N*H*W*C*sample size) [4294967296]")
      ->check(CLI::PositiveNumber);
  app.add_flag("--lenient", o.run.lenient,
               "decode what can be decoded from damaged files, with a warning (exit 0)");
  app.add_flag("--strict", o.run.strict, "every warning is an error (exit 1)");
  app.add_option("-t,--threads", raw.threads, "threads inside one image [the usable cores]")
      ->check(CLI::PositiveNumber);
  app.add_option("-O,--output-dir", o.batch.out_dir, "batch: write each output into DIR")->type_name("DIR");
  app.add_option("--files-from", o.batch.files_from, "batch: read input paths from FILE (- is stdin), one per line")
      ->type_name("FILE");
  app.add_flag("-0,--null", o.batch.nul, "with --files-from: paths are NUL-separated (find -print0)");
  app.add_option("--suffix", o.batch.suffix, "batch: added to each output's stem [none]")->type_name("TEXT");
  app.add_flag("--skip-existing", o.batch.skip_existing, "batch: skip inputs whose output exists");
  app.add_option("-j,--jobs", raw.jobs, "batch: images processed in parallel [the usable cores]")
      ->check(CLI::PositiveNumber);
  app.add_flag("--quiet", o.batch.quiet, "no progress bar and no summary line");
  app.add_flag("--stats", o.batch.stats, "print per-channel min, max, mean of input and output (stderr)");
  app.add_flag("--json", o.batch.json, "print one JSON object per image on stdout as it finishes");
  app.add_flag("--no-auto-orient", raw.no_auto_orient, "keep JPEG pixels as stored (ignore EXIF orientation)");
  app.set_version_flag("--version", "lrn-img " LRN_IMG_VERSION);
}

// Convention and window from the preset and the flags; conflicts are usage errors.
void resolve_framework(const Raw& raw, CliOptions& o) {
  const Preset* preset = find_preset(raw.preset.empty() ? "blog" : raw.preset);
  if (!preset)
    throw UsageError(fmt::format("unknown preset '{}'; known presets:{}", raw.preset, preset_list()));
  FrameworkParams& f = o.framework;
  f.convention = preset->convention;
  if (!raw.convention.empty()) {
    const auto c = parse_convention(raw.convention);
    if (!c) throw UsageError(fmt::format("unknown convention '{}'; use tf, torch, onnx or caffe", raw.convention));
    if (!raw.preset.empty() && *c != preset->convention)
      throw UsageError(fmt::format("--preset {} uses --convention {}, not {}", preset->name,
                                   convention_name(preset->convention), raw.convention));
    f.convention = *c;
  }
  f.bias = preset->bias;
  f.alpha = preset->alpha;
  f.beta = preset->beta;
  if (!raw.bias.empty()) f.bias = parse_number(raw.bias, "--bias");
  if (!raw.alpha.empty()) f.alpha = parse_number(raw.alpha, "--alpha");
  if (!raw.beta.empty()) f.beta = parse_number(raw.beta, "--beta");

  const bool tf = f.convention == Convention::Tf;
  const char* where = raw.preset.empty() ? "" : " (from --preset)";
  if (tf && !raw.size.empty())
    throw UsageError(fmt::format(
        "--size belongs to --convention torch, onnx or caffe{}; under tf give --radius "
        "(--size 5 under torch == --radius 2 --alpha alpha/5 under tf)", where));
  if (!tf && !raw.radius.empty())
    throw UsageError(fmt::format(
        "--radius belongs to --convention tf, but this run uses {}{}; give --size N instead "
        "(--radius 2 --alpha a under tf == --size 5 --alpha 5*a under {})",
        convention_name(f.convention), where, convention_name(f.convention)));
  const std::string& window_text = tf ? raw.radius : raw.size;
  if (!window_text.empty()) {
    f.window = parse_int(window_text, tf ? "--radius" : "--size");
  } else if (preset->window && preset->convention == f.convention) {
    f.window = *preset->window;
  } else if (!tf) {
    throw UsageError(fmt::format("--convention {} needs --size N (the window size)",
                                 convention_name(f.convention)));
  }
}

// Single mode (IN OUT) or batch mode (-O / --files-from), jobs and threads per image.
void resolve_files(const Raw& raw, CliOptions& o) {
  BatchOptions& b = o.batch;
  const unsigned cores = usable_cores();
  if (!b.batch()) {
    if (raw.files.size() != 2)
      throw UsageError(raw.files.size() > 2
                           ? "several inputs need -O DIR (like cp a b c dir/)"
                           : "expected IN and OUT; run 'lrn-img --help' for usage");
    b.inputs = {raw.files[0]};
    b.output = raw.files[1];
    if (b.output == "-" && !o.run.out_format)
      throw UsageError("writing to stdout (-) needs --format jpg|png|npy");
    if (b.output == "-" && b.json)
      throw UsageError("--json writes to stdout, which - as OUT already uses");
    if (b.output == "-" && isatty(1))
      throw UsageError("refusing to write binary image data to a terminal; redirect stdout");
    if (raw.jobs > 1) throw UsageError("-j/--jobs needs a batch (-O DIR)");
    b.jobs = 1;
    o.run.threads = raw.threads ? raw.threads : cores;
    return;
  }
  if (b.out_dir.empty()) throw UsageError("--files-from needs -O DIR for the outputs");
  b.inputs = raw.files;
  for (const std::string& in : b.inputs)
    if (in == "-") throw UsageError("- (stdin) cannot be an input of a batch (-O or --files-from)");
  b.jobs = raw.jobs ? raw.jobs : cores;
  // Threads per image are filled in by the batch runner, which knows how many images there are.
  o.run.threads = raw.threads;
}

void resolve(const Raw& raw, CliOptions& o) {
  resolve_framework(raw, o);
  std::string why;
  const auto p = to_lrn(o.framework, &why);
  if (!p) throw UsageError(why);
  std::vector<std::string> problems = validate(*p);
  if (!problems.empty()) {
    std::string all = problems[0];
    for (std::size_t i = 1; i < problems.size(); ++i) all += "; " + problems[i];
    throw UsageError(all);
  }
  o.run.params = *p;
  o.run.quality = raw.quality;
  o.run.max_pixels = raw.max_pixels;
  o.run.max_npy_bytes = raw.max_npy_bytes;
  if (o.run.lenient && o.run.strict)
    throw UsageError("--lenient and --strict contradict each other: give one of them");
  o.run.auto_orient = !raw.no_auto_orient;
  if (!raw.pixel_scale.empty()) {
    const double s = parse_number(raw.pixel_scale, "--pixel-scale");
    if (s != 255 && s != 1) throw UsageError("--pixel-scale must be 255 or 1");
    o.run.pixel_scale = s;
  }
  if (!raw.format.empty()) {
    const auto f = format_from_extension("." + raw.format);
    if (!f) throw UsageError(fmt::format("--format wants jpg, png or npy, not '{}'", raw.format));
    o.run.out_format = f;
  }
  resolve_tensor_options(raw.layout, raw.dtype, o.run);
  if (o.print_params) return;
  resolve_files(raw, o);
}

// Not an option, not "-" (stdin/stdout, which needs --format) and not empty.
bool is_plain_argument(const char* arg) { return arg[0] != '-' && arg[0] != '\0'; }

}  // namespace

double parse_number(const std::string& text, const std::string& option) {
  auto one = [&](const std::string& t, double* v) {
    const char* end = t.data() + t.size();
    auto [ptr, ec] = std::from_chars(t.data(), end, *v);
    return !t.empty() && ec == std::errc() && ptr == end;
  };
  double v = 0;
  const auto slash = text.find('/');
  bool ok;
  if (slash == std::string::npos) {
    ok = one(text, &v);
  } else {
    double num = 0, den = 0;
    ok = one(text.substr(0, slash), &num) && one(text.substr(slash + 1), &den) && den != 0;
    v = num / den;
  }
  if (!ok || !std::isfinite(v))
    throw UsageError(fmt::format("{} wants a finite number (like 0.75 or 0.001/9), not '{}'",
                                 option, text));
  return v;
}

std::string describe_params(const LrnParams& p) {
  std::string s = fmt::format("window: {} channel(s) before c, {} after c\n", p.before, p.after);
  s += fmt::format("{:<11} {:<10} {:<8} {:<24} {}\n", "convention", "window", "bias", "alpha", "beta");
  for (Convention c : {Convention::Tf, Convention::Torch, Convention::Onnx, Convention::Caffe}) {
    const auto f = from_lrn(p, c);
    if (!f) {
      s += fmt::format("{:<11} n/a (cannot express this window)\n", convention_name(c));
      continue;
    }
    const std::string window =
        fmt::format("{} {}", c == Convention::Tf ? "--radius" : "--size", f->window);
    s += fmt::format("{:<11} {:<10} {:<8} {:<24} {}\n", convention_name(c), window, f->bias,
                     f->alpha, f->beta);
  }
  return s;
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

ParseResult parse_command_line_with_cli11(int argc, char** argv) {
  CLI::App app(kDescription, "lrn-img");
  app.footer(kFooter);
  app.get_formatter()->column_width(34);
  ParseResult result;
  Raw raw;
  add_options(app, raw, result.options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", app.help());
    return result;
  } catch (const CLI::CallForVersion&) {
    fmt::print("lrn-img {}\n", LRN_IMG_VERSION);
    return result;
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    if (!msg.empty()) msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
    throw UsageError(msg + "; run 'lrn-img --help' for usage");
  }
  resolve(raw, result.options);
  result.proceed = true;
  return result;
}

}  // namespace lrn::cli
