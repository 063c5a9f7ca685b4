// The command line, parsed with CLI11: options, presets, conventions, and the help text.
#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <cmath>
#include <map>
#include <optional>

#include "cli/cores.h"
#include "cli/numbers.h"
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

// -t and -j: more threads than this are a typo (-t 4294967295), not a machine; the OS
// would refuse to start them anyway. README and --help state it.
constexpr unsigned kMaxThreads = 1024;
constexpr int kMaxWindow = 1 << 20;  // --radius, --size: far beyond any channel count

// CLI11 takes every value as text; the numeric ones go through numbers.h. A value given
// empty (-O "$UNSET") is an error naming the option: taken as "not given" it would turn
// `a.jpg b.jpg -O ""` into `IN OUT` and overwrite b.jpg. --suffix "" is its default: none.
void refuse_empty_values(const CLI::App& app) {
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional() || opt->get_type_size() == 0 || opt->get_lnames().empty()) continue;
    const std::string name = "--" + opt->get_lnames().front();
    if (name == "--suffix") continue;
    for (const std::string& v : opt->results())
      if (v.empty()) throw UsageError(fmt::format("{}: the value is empty; give one or leave the option out", name));
  }
}

const char* kDescription =
    "lrn-img: Local Response Normalization (TensorFlow's tf.nn.lrn) applied to an image.\n\n"
    "For each pixel and channel c of the colour channels:\n"
    "  sqr_sum[c] = sum of x[c']^2 for c' = c-radius .. c+radius (clipped at the ends)\n"
    "  y[c]       = x[c] / (bias + alpha * sqr_sum[c]) ^ beta\n"
    "Decoded pixels are 0..255 floats (see --pixel-scale; LRN is not scale-invariant, so the\n"
    "range is part of what the parameters mean). Alpha passes through unchanged.\n"
    "IN: JPEG, PNG or .npy, recognised by content. OUT: .jpg/.jpeg, .png or .npy by its\n"
    "extension; .npy output is float32 (H, W, C), before clamping or rounding.";

const char* kFooter =
    "Examples:\n"
    "  lrn-img photo.jpg out.jpg                      # the blog's experiment (defaults)\n"
    "  lrn-img photo.jpg out.png --rescale            # stretch the dark result to 0..255\n"
    "  lrn-img photo.jpg out.jpg --radius 2 --alpha 0.001/9 --beta 0.75\n"
    "  lrn-img fmap.npy out.npy --convention torch --size 5 --alpha 1e-4\n"
    "  lrn-img --preset caffe-alexnet --print-params\n"
    "  lrn-img *.jpg -O out/ --suffix _lrn -j 2         # a batch, two images at a time\n"
    "  lrn-img -R photos -O out --skip-existing          # a folder tree, mirrored; reruns resume\n"
    "  find in -name '*.png' -print0 | lrn-img --files-from - -0 -O out/ --format npy\n"
    "  curl -s URL | lrn-img - - --format png > out.png  # a pipe\n\n"
    "Exit status: 0 success, 1 a file could not be read, decoded or written (in a batch: any\n"
    "image failed), 2 usage error, 130/143 interrupted by SIGINT/SIGTERM.";

struct Raw {  // option text as typed, parsed by our own locale-independent parser
  std::string radius, size, bias, alpha, beta, pixel_scale, convention, preset, format;
  std::string quality, max_pixels, max_npy_bytes, threads, jobs;
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
      ->type_name("INT");
  app.add_flag("--rescale", o.run.rescale,
               "map the output's min..max to the full range instead of clamping (image outputs)");
  app.add_option("--pixel-scale", raw.pixel_scale,
                 "value of a full-scale pixel as LRN sees it: 255 or 1 [255]; .npy values are never scaled")
      ->type_name("255|1");
  app.add_option("--max-pixels", raw.max_pixels, "refuse larger images, checked from the header [268435456]")
      ->type_name("INT");
  app.add_option("--max-npy-bytes", raw.max_npy_bytes,
                 "refuse .npy arrays with more data (H*W*C*sample size) [4294967296]")
      ->type_name("INT");
  app.add_flag("--lenient", o.run.lenient,
               "decode what can be decoded from damaged files, with a warning (exit 0)");
  app.add_flag("--strict", o.run.strict, "every warning is an error (exit 1)");
  app.add_option("-t,--threads", raw.threads, "threads inside one image, 1..1024 [the usable cores]")
      ->type_name("INT");
  app.add_option("-O,--output-dir", o.batch.out_dir, "batch: write each output into DIR")->type_name("DIR");
  app.add_option("--files-from", o.batch.files_from, "batch: read input paths from FILE (- is stdin), one per line; no - lines")
      ->type_name("FILE");
  app.add_flag("-0,--null", o.batch.nul, "with --files-from: paths are NUL-separated (find -print0)");
  app.add_option("--suffix", o.batch.suffix, "batch: added to each output's stem [none]")->type_name("TEXT");
  app.add_flag("--skip-existing", o.batch.skip_existing, "batch: skip inputs whose output exists");
  app.add_option("-j,--jobs", raw.jobs, "batch: images processed in parallel, 1..1024 [the usable cores]")
      ->type_name("INT");
  app.add_flag("-R,--recursive", o.batch.recursive,
               "batch: walk folders among the inputs, mirroring their trees under -O");
  app.add_option("--base", o.batch.base, "batch: each input keeps its folder below DIR under -O")
      ->type_name("DIR");
  app.add_flag("--dry-run", o.batch.dry_run,
               "print the planned IN -> OUT pairs and exit; nothing decoded or written");
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
    throw UsageError(fmt::format("unknown preset {}; known presets:{}", quoted(raw.preset), preset_list()));
  FrameworkParams& f = o.framework;
  f.convention = preset->convention;
  if (!raw.convention.empty()) {
    const auto c = parse_convention(raw.convention);
    if (!c)
      throw UsageError(fmt::format("unknown convention {}; use tf, torch, onnx or caffe", quoted(raw.convention)));
    if (!raw.preset.empty() && *c != preset->convention)
      throw UsageError(fmt::format("--preset {} uses --convention {}, not {}", preset->name,
                                   convention_name(preset->convention), escaped(raw.convention)));
    f.convention = *c;
  }
  f.bias = preset->bias;
  f.alpha = preset->alpha;
  f.beta = preset->beta;
  if (!raw.bias.empty()) f.bias = parse_real(raw.bias, "--bias");
  if (!raw.alpha.empty()) f.alpha = parse_real_or_quotient(raw.alpha, "--alpha");
  if (!raw.beta.empty()) f.beta = parse_real(raw.beta, "--beta");

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
    f.window = static_cast<int>(parse_whole(window_text, tf ? "--radius" : "--size", 0, kMaxWindow));
  } else if (preset->window && preset->convention == f.convention) {
    f.window = *preset->window;
  } else if (!tf) {
    throw UsageError(fmt::format("--convention {} needs --size N (the window size)",
                                 convention_name(f.convention)));
  }
}

// Single mode (IN OUT) or batch mode (-O / --files-from), jobs and threads per image.
// threads, jobs: as given, 0 when not.
void resolve_files(const Raw& raw, unsigned threads, unsigned jobs, CliOptions& o) {
  BatchOptions& b = o.batch;
  const unsigned cores = std::min(usable_cores(), kMaxThreads);
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
    if (b.output == "-" && isatty(1) && !b.dry_run)
      throw UsageError("refusing to write binary image data to a terminal; redirect stdout");
    if (jobs > 1) throw UsageError("-j/--jobs needs a batch (-O DIR)");
    if (b.recursive) throw UsageError("-R/--recursive needs -O DIR, the folder that mirrors the input tree");
    if (!b.base.empty()) throw UsageError("--base needs -O DIR, the folder that mirrors the input tree");
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
  constexpr auto kMax64 = std::numeric_limits<std::uint64_t>::max();
  if (!raw.quality.empty()) o.run.quality = static_cast<int>(parse_whole(raw.quality, "--quality", 1, 100));
  if (!raw.max_pixels.empty()) o.run.max_pixels = parse_whole(raw.max_pixels, "--max-pixels", 1, kMax64);
  if (!raw.max_npy_bytes.empty())
    o.run.max_npy_bytes = parse_whole(raw.max_npy_bytes, "--max-npy-bytes", 1, kMax64);
  if (o.run.lenient && o.run.strict)
    throw UsageError("--lenient and --strict contradict each other: give one of them");
  o.run.auto_orient = !raw.no_auto_orient;
  if (!raw.pixel_scale.empty()) {
    const double s = parse_real(raw.pixel_scale, "--pixel-scale");
    if (s != 255 && s != 1) throw UsageError(fmt::format("--pixel-scale: {} is not 255 or 1", quoted(raw.pixel_scale)));
    o.run.pixel_scale = s;
  }
  if (!raw.format.empty()) {
    const auto f = format_from_extension("." + raw.format);
    if (!f) throw UsageError(fmt::format("--format wants jpg, png or npy, not {}", quoted(raw.format)));
    o.run.out_format = f;
  }
  const unsigned threads = raw.threads.empty() ? 0 : parse_whole(raw.threads, "--threads", 1, kMaxThreads);
  const unsigned jobs = raw.jobs.empty() ? 0 : parse_whole(raw.jobs, "--jobs", 1, kMaxThreads);
  if (o.print_params) return;
  resolve_files(raw, threads, jobs, o);
}

// Not an option, not "-" (stdin/stdout, which needs --format) and not empty.
bool is_plain_argument(const char* arg) { return arg[0] != '-' && arg[0] != '\0'; }

}  // namespace

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
    // CLI11 repeats arguments as typed (a file name, from a glob, can hold any byte).
    throw UsageError(escaped(msg) + "; run 'lrn-img --help' for usage");
  }
  refuse_empty_values(app);
  resolve(raw, result.options);
  result.proceed = true;
  return result;
}

}  // namespace lrn::cli
