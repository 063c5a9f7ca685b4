// --help: a hand-written option table, grouped and wrapped to the terminal. The same table
// says which options apply in which use (options.cpp refuses the others).
#include "cli/help.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <string_view>

namespace lrn::cli {
namespace {

const char* const kNorm = "Normalization";
const char* const kOut = "Output";
const char* const kMany = "Many files (IN... -O DIR, or --files-from LIST)";
const char* const kLimits = "Limits and damaged files";
const char* const kPerf = "Performance";
const char* const kOther = "Other";

// Defaults in [brackets], as the README's tables give them. A plain array: constant-initialised,
// so a run that never looks at it (a plain IN OUT) pays nothing for it at start-up.
const OptionDoc kDocs[] = {
    {kNorm, "-r,--radius", "R", "TensorFlow's depth_radius: the window is channels c-R..c+R [2]",
     kEveryUse},
    {kNorm, "-k,--bias", "K", "bias, >= 0 [1]", kEveryUse},
    {kNorm, "-a,--alpha", "A",
     "alpha, >= 0; a quotient such as 0.001/9 is taken as written [0.001/9]", kEveryUse},
    {kNorm, "-b,--beta", "B", "beta, the exponent [0.75]", kEveryUse},
    {kNorm, "--convention", "C",
     "how window and alpha are stated: tf (--radius, alpha as given), or torch, onnx, caffe "
     "(--size, alpha divided by the size) [tf]; each --method has its own",
     kEveryUse},
    {kNorm, "--size", "N",
     "window size, for --convention torch, onnx and caffe; the window side for spatial-lrn, lcn, lms (odd)",
     kEveryUse},
    {kNorm, "--preset", "P",
     "a named parameter set; flags given win: blog, tf-cifar10, tf-defaults, alexnet-paper, "
     "caffe-alexnet, torch-defaults [blog]; under --method gcn: maxout-cifar10, coates",
     kEveryUse},
    {kNorm, "--method", "M",
     "lrn (cross-channel, the above), spatial-lrn, lcn, lms (local mean subtraction), gcn or "
     "zca; each takes its own options and conventions (README, Normalization family) [lrn]",
     kEveryUse},
    {kNorm, "--kernel", "K", "lcn, lms: the window, box or gaussian [per convention]", kEveryUse},
    {kNorm, "--threshold", "T", "lcn: the divisor's floor, >= 0 [per convention]", kEveryUse},
    {kNorm, "--per-channel", "", "lcn, lms, gcn: statistics per channel plane", kEveryUse},
    {kNorm, "--joint", "", "lcn, lms, gcn: statistics over all channels together", kEveryUse},
    {kNorm, "--scale", "S", "gcn pylearn2: the output's scale, > 0 [1]", kEveryUse},
    {kNorm, "--sqrt-bias", "B", "gcn pylearn2: added under the square root, >= 0 [0]", kEveryUse},
    {kNorm, "--use-std", "", "gcn pylearn2: the variance (ddof 1) instead of the sum of squares",
     kEveryUse},
    {kNorm, "--min-divisor", "D", "gcn pylearn2: smaller divisors become 1, >= 0 [1e-8]",
     kEveryUse},
    {kNorm, "--zca-file", "F", "zca: an .npz holding mean (C) and P (C x C), as np.savez writes",
     kEveryUse},
    {kNorm, "--print-params", "",
     "print the parameters in every convention's terms and exit (no files)", kPrint},
    {kNorm, "--pixel-scale", "S",
     "a full-scale pixel is S for LRN, 255 or 1 [255]; .npy values are never scaled", kFileUses},
    {kNorm, "--layout", "L", ".npy input's axes hwc, chw, nhwc or nchw (C: LRN's axis) [hwc, nhwc]",
     kFileUses},
    {kNorm, "--no-auto-orient", "", "keep JPEG pixels as stored (ignore the EXIF orientation)",
     kFileUses},

    {kOut, "--format", "F",
     "jpg, png, pnm, tif, webp or npy: the format of an OUT without an extension (/dev/null, - for stdout), "
     "or of a batch's outputs [from the name]",
     kFileUses},
    {kOut, "-q,--quality", "Q", "JPEG and WebP quality 1..100 (JPEG: 4:2:0 chroma) [90]",
     kFileUses},
    {kOut, "--lossless", "", "WebP output: lossless instead of lossy", kFileUses},
    {kOut, "--keep-metadata", "",
     "copy EXIF and the ICC profile where both formats carry them (JPEG, PNG, WebP, TIFF) "
     "[dropped]",
     kFileUses},
    {kOut, "--rescale", "",
     "stretch the output's min..max to 0..255 instead of clamping (JPEG, PNG, PNM, WebP, 8/16-bit TIFF)",
     kFileUses},
    {kOut, "--dtype", "T",
     ".npy output's samples: f32 or f16 [f32]; given, TIFF output is float32 [the input's depth]",
     kFileUses},
    {kOut, "--stats", "", "per-channel min, max and mean of input and output, on stderr",
     kFileUses},
    {kOut, "--json", "", "one JSON object per image on stdout as it finishes (not with - as OUT)",
     kFileUses},

    {kMany, "-O,--output-dir", "DIR", "write each output into DIR as <stem><suffix>.<ext>", kBatch},
    {kMany, "--files-from", "LIST", "read input paths from LIST, one a line (- is stdin)", kBatch},
    {kMany, "-0,--null", "", "with --files-from: the paths are NUL-separated (find -print0)",
     kBatch},
    {kMany, "-R,--recursive", "", "directories as inputs: process their trees, mirrored under -O",
     kBatch},
    {kMany, "--base", "DIR", "with --files-from, keep paths' folders below DIR under -O", kBatch},
    {kMany, "--suffix", "S", "added to each output's stem [none]", kBatch},
    {kMany, "--skip-existing", "", "skip inputs whose output exists (resumes a batch)", kBatch},
    {kMany, "--dry-run", "", "print the planned IN -> OUT pairs and exit", kSingle | kBatch},
    {kMany, "--quiet", "", "no progress bar and no summary line", kBatch},

    {kLimits, "--max-pixels", "N",
     "refuse images that declare more pixels, before decoding [268435456]", kFileUses},
    {kLimits, "--max-npy-bytes", "N",
     "refuse .npy arrays with more data, before reading it [4294967296]", kFileUses},
    {kLimits, "--max-row-bytes", "N",
     "refuse images with wider decoded rows, from the header [16777216]", kFileUses},
    {kLimits, "--lenient", "", "decode what a damaged JPEG or PNG holds, warn, exit 0", kFileUses},
    {kLimits, "--strict", "", "every warning is an error (exit 1)", kFileUses},

    {kPerf, "-t,--threads", "N", "threads inside one image, 1..1024 [the usable cores]", kFileUses},
    {kPerf, "-j,--jobs", "N", "images processed in parallel, 1..1024 [the usable cores]", kBatch},

    {kOther, "-h,--help", "", "print this help and exit", kEveryUse},
    {kOther, "--version", "", "print the version and exit", kEveryUse},
};

// kKeep (unit separator) is a space the wrapping must not break at: the formula stays whole.
constexpr char kKeep = '\x1f';
const char* kSentence =
    "Local Response Normalization exactly as TensorFlow computes it, "
    "y[c]\037=\037x[c]\037/\037(bias\037+\037alpha\037*\037sqr_sum[c])\037^\037beta "
    "with sqr_sum[c] the sum of x^2 over channels c-radius..c+radius of the same pixel, for a "
    "JPEG, PNG, PNM, TIFF, WebP or .npy IN, written in the format OUT's extension names (- is stdin or stdout).";

// Not wrapped: each fits in the narrowest width (72 columns).
const char* kExamples =
    "Examples:\n"
    "  lrn-img photo.jpg out.jpg                # the blog's experiment\n"
    "  lrn-img *.jpg -O out/ --suffix _lrn -j 2 # many files\n"
    "  curl -s URL | lrn-img - - --format png > out.png\n";

constexpr std::size_t kTextColumn = 26;  // where descriptions start

// Appends `text` to `out` in lines of at most `width` columns, the first continuing a line
// already `used` columns long, the others indented to `indent`. Breaks at spaces only.
void wrap(std::string& out, std::string_view text, std::size_t used, std::size_t indent,
          std::size_t width) {
  std::size_t col = used;
  bool first_word = true;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find(' '), text.size());
    const std::string_view word = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (word.empty()) continue;
    if (!first_word && col + 1 + word.size() > width) {
      out += '\n';
      out.append(indent, ' ');
      col = indent;
    } else if (!first_word) {
      out += ' ';
      ++col;
    }
    for (char c : word) out += c == kKeep ? ' ' : c;
    col += word.size();
    first_word = false;
  }
  out += '\n';
}

// "-r,--radius" + "R" -> "  -r, --radius R"; a long-only name lines up with the long ones.
std::string label(const OptionDoc& d) {
  std::string names = d.names;
  const auto comma = names.find(',');
  std::string s = comma == std::string::npos
                      ? "      " + names
                      : "  " + names.substr(0, comma) + ", " + names.substr(comma + 1);
  if (*d.value) s += std::string(" ") + d.value;
  return s;
}

int terminal_columns(int fd) {
  winsize ws{};
  return ioctl(fd, TIOCGWINSZ, &ws) == 0 ? ws.ws_col : 0;
}

}  // namespace

const std::vector<OptionDoc>& option_docs() {
  static const std::vector<OptionDoc> docs(std::begin(kDocs), std::end(kDocs));
  return docs;
}

std::string long_name(const OptionDoc& d) {
  const std::string names = d.names;
  const auto at = names.find("--");
  return at == std::string::npos ? names : names.substr(at);
}

const OptionDoc* find_option_doc(const std::string& name) {
  const std::string bare = name.substr(
      name.find_first_not_of('-') == std::string::npos ? 0 : name.find_first_not_of('-'));
  for (const OptionDoc& d : kDocs) {
    if (d.pending) continue;
    std::string_view names = d.names;
    while (!names.empty()) {
      const std::size_t end = std::min(names.find(','), names.size());
      std::string_view one = names.substr(0, end);
      names.remove_prefix(std::min(end + 1, names.size()));
      while (!one.empty() && one.front() == '-') one.remove_prefix(1);
      if (one == bare) return &d;
    }
  }
  return nullptr;
}

const char* usage_line() {
  return "usage: lrn-img IN OUT [options], or lrn-img IN... -O DIR [options]";
}

std::string help_text(int width) {
  const std::size_t w = static_cast<std::size_t>(std::max(width, 72));
  std::string s = std::string(usage_line()) + "\n\n";
  wrap(s, kSentence, 0, 0, w);
  const char* group = nullptr;
  for (const OptionDoc& d : kDocs) {
    if (d.pending) continue;
    if (group != d.group) {
      group = d.group;
      s += std::string("\n") + group + ":\n";
    }
    std::string line = label(d);
    if (line.size() + 2 > kTextColumn) {
      s += line + "\n";
      line.clear();
    }
    line.resize(kTextColumn, ' ');
    s += line;
    wrap(s, d.text, kTextColumn, kTextColumn, w);
  }
  return s + "\n" + kExamples;
}

int help_width() {
  int cols = 0;
  if (const char* env = std::getenv("COLUMNS")) cols = std::atoi(env);
  if (cols <= 0) cols = terminal_columns(STDOUT_FILENO);
  if (cols <= 0) cols = terminal_columns(STDERR_FILENO);
  if (cols <= 0) return 80;
  return std::clamp(cols, 72, 160);
}

}  // namespace lrn::cli
