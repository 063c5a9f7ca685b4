// Planning: output names, clash checks, --dry-run's listing, and mkdir -p for mirrored trees.
#include "cli/plan.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>
#include <utility>

#include "cli/inputs.h"
#include "image/codec_table.h"

namespace lrn::cli {
namespace {

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

// "photo.JPG" -> {"photo", "JPG"}; no extension -> {"photo", ""}.
std::pair<std::string, std::string> split_ext(const std::string& name) {
  const auto dot = name.find_last_of('.');
  if (dot == std::string::npos || dot == 0) return {name, ""};
  return {name.substr(0, dot), name.substr(dot + 1)};
}

// The extension outputs of a format are named with: the codec table's first.
const char* ext_of(Format f) { return codec_of(f).extensions[0]; }

std::string output_ext(const Input& in, const std::string& ext, const RunOptions& run) {
  if (run.out_format) return ext_of(*run.out_format);
  if (format_from_extension("." + ext)) return ext;
  if (in.content) return ext_of(*in.content);  // found by content: scan.jfif -> scan.jpg
  throw UsageError("cannot name the output of " + quoted(in.path) +
                   ": its extension names no output format; give --format " +
                   output_extensions("|"));
}

// The fix for two inputs that would write one output.
std::string clash_hint(const Input& a, const Input& b, const BatchOptions& opt,
                       const RunOptions& run) {
  if (a.path == b.path) return "the same input is given twice";
  if (opt.base.empty() && a.rel_dir == b.rel_dir && folder_of(a.path) != folder_of(b.path))
    return "give --base DIR, a folder above both, to keep their folders apart under -O";
  if (run.out_format) return "rename one, or leave out --format so each keeps its extension";
  return "rename one";
}

}  // namespace

Plan plan_batch(const std::vector<std::string>& args, const BatchOptions& b,
                const RunOptions& run) {
  struct stat st {};
  if (stat(b.out_dir.c_str(), &st) != 0)
    throw FileError("cannot write to " + quoted(b.out_dir) + ": " +
                    (errno == ENOENT ? std::string("no such folder; create it first (mkdir -p)")
                                     : errno_phrase(errno)));
  if (!S_ISDIR(st.st_mode))
    throw FileError(quoted(b.out_dir) +
                    " is not a directory; -O wants a folder (for one input and "
                    "one output, give IN OUT without -O)");
  std::string dir = b.out_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();

  Inputs inputs = expand_inputs(args, b);
  Plan plan;
  plan.not_images = std::move(inputs.not_images);
  std::map<std::string, std::size_t> outputs;  // output path -> index in inputs.files
  std::set<std::pair<dev_t, ino_t>> input_ids;
  for (const Input& in : inputs.files)
    if (stat(in.path.c_str(), &st) == 0) input_ids.insert({st.st_dev, st.st_ino});
  for (std::size_t i = 0; i < inputs.files.size(); ++i) {
    const Input& in = inputs.files[i];
    if (!in.error.empty()) {  // known to fail: no output to name
      plan.jobs.push_back({in.path, "", in.error});
      plan.why.push_back(in.why);
      continue;
    }
    const auto [stem, ext] = split_ext(base_name(in.path));
    const std::string folder = in.rel_dir.empty() ? dir : dir + "/" + in.rel_dir;
    Job job{in.path, folder + "/" + stem + b.suffix + "." + output_ext(in, ext, run), ""};
    const auto [at, fresh] = outputs.emplace(job.out, i);
    if (!fresh) {
      const Input& first = inputs.files[at->second];
      throw UsageError(fmt::format("two inputs would write {}: {} and {}; {}", quoted(job.out),
                                   quoted(first.path), quoted(in.path),
                                   clash_hint(first, in, b, run)));
    }
    if (stat(job.out.c_str(), &st) == 0 && input_ids.count({st.st_dev, st.st_ino}))
      throw UsageError("the output " + quoted(job.out) + " of " + quoted(in.path) +
                       " would overwrite an input; use another -O DIR or a --suffix");
    plan.jobs.push_back(std::move(job));
    plan.why.emplace_back();
  }
  // A mirrored folder named like another input's output (x.jpg/ and x.jpg) cannot be both.
  for (const Job& job : plan.jobs)
    for (auto slash = job.out.find('/', dir.size() + 1); slash != std::string::npos;
         slash = job.out.find('/', slash + 1)) {
      const auto other = outputs.find(job.out.substr(0, slash));
      if (other != outputs.end())
        throw UsageError(fmt::format(
            "the output {} of {} is also the folder of the output of {}; rename one",
            quoted(other->first), quoted(inputs.files[other->second].path), quoted(job.in)));
    }
  return plan;
}

namespace {

std::string count(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// --dry-run: one line per input on stdout, nothing decoded or written.
int print_plan(const Plan& plan, const BatchOptions& b) {
  std::size_t todo = 0, skipped = 0, failing = 0;
  std::string text;
  for (std::size_t i = 0; i < plan.jobs.size(); ++i) {
    const Job& job = plan.jobs[i];
    if (!job.error.empty()) {
      text += fmt::format("{} (would fail: {})\n", quoted(job.in), plan.why[i]);
      ++failing;
      continue;
    }
    struct stat st {};
    const bool there = job.out != "-" && stat(job.out.c_str(), &st) == 0;
    const bool skip = b.skip_existing && there;
    // A device or FIFO as OUT is written to, not replaced.
    const bool replaced = there && S_ISREG(st.st_mode);
    text += fmt::format("{} -> {}{}\n", quoted(job.in), quoted(job.out),
                        skip       ? " (exists: skipped)"
                        : replaced ? " (exists: replaced)"
                                   : "");
    ++(skip ? skipped : todo);
  }
  for (const std::string& path : plan.not_images)
    text += fmt::format("{} (not an image: skipped)\n", quoted(path));
  std::fputs(text.c_str(), stdout);
  if (b.quiet || !b.batch()) return 0;
  std::string s = fmt::format("lrn-img: dry run: {} to do", todo);
  if (failing) s += fmt::format(", {} would fail", failing);
  if (skipped) s += fmt::format(", {} skipped", skipped);
  if (!plan.not_images.empty())
    s += "; " + count(plan.not_images.size(), "not an image", "not images") + ", skipped";
  fmt::print(stderr, "{}; nothing written\n", s);
  return 0;
}

// mkdir -p for every folder below -O that an output goes to.
void make_output_folders(const Plan& plan, const std::string& out_dir) {
  std::string dir = out_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::set<std::string> made;
  for (const Job& job : plan.jobs) {
    if (job.out.empty()) continue;
    for (auto slash = job.out.find('/', dir.size() + 1); slash != std::string::npos;
         slash = job.out.find('/', slash + 1)) {
      const std::string folder = job.out.substr(0, slash);
      if (!made.insert(folder).second) continue;
      if (mkdir(folder.c_str(), 0777) != 0 && errno != EEXIST)
        throw FileError("cannot create the folder " + quoted(folder) + ": " + errno_phrase(errno));
    }
  }
}

}  // namespace

int run_files(const CliOptions& o) {
  const BatchOptions& b = o.batch;
  if (!b.batch()) {
    const std::string& in = b.inputs[0];
    struct stat st {};
    if (in != "-" && stat(in.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      throw UsageError(quoted(in) +
                       " is a directory; to process the images below it, give -R and -O DIR "
                       "(lrn-img -R IN_DIR -O OUT_DIR)");
    Plan plan{{{in, b.output, ""}}, {""}, {}};
    if (!b.dry_run) return run_jobs(plan.jobs, o);
    output_format(b.output, o.run);  // the usage error a run would give
    return print_plan(plan, b);
  }
  auto inputs = b.inputs;
  if (!b.files_from.empty()) {
    const auto listed = read_file_list(b.files_from, b.nul);
    inputs.insert(inputs.end(), listed.begin(), listed.end());
  }
  const Plan plan = plan_batch(inputs, b, o.run);
  if (b.dry_run) return print_plan(plan, b);
  make_output_folders(plan, b.out_dir);
  return run_jobs(plan.jobs, o, plan.not_images.size());
}

}  // namespace lrn::cli
