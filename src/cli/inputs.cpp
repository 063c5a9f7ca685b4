// Input expansion: the -R folder walk, sniffing found files, and --base.
#include "cli/inputs.h"

#include "cli/wording.h"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "image/byte_stream.h"
#include "image/signatures.h"

namespace lrn::cli {
namespace {

std::string without_trailing_slashes(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

void warn(const std::string& message) { fmt::print(stderr, "lrn-img: warning: {}\n", message); }

// The folder below `base` that mirrors `path` (for a file: its folder), or nullopt when path
// is not below base. Lexical, on absolute paths: a folder reached through a symlink inside
// base is inside, as `find base` would list it.
std::optional<std::string> folder_below(const std::string& path, const std::string& base,
                                        bool is_dir) {
  namespace fs = std::filesystem;
  std::error_code ec_p, ec_b;  // absolute() fails only when the working folder is gone
  const fs::path p = fs::absolute(without_trailing_slashes(path), ec_p).lexically_normal();
  const fs::path b = fs::absolute(base, ec_b).lexically_normal();
  if (ec_p || ec_b) return std::nullopt;
  fs::path rel = p.lexically_relative(b);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  if (!is_dir) rel = rel.parent_path();
  std::string s = without_trailing_slashes(rel.generic_string());
  return s == "." ? std::string() : s;
}

std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir == "/" ? "/" + name : dir + "/" + name;
}

class Walker {
 public:
  Walker(Inputs& out, const std::string& out_dir) : out_(out), out_dir_(out_dir) {
    struct stat st {};
    if (stat(out_dir.c_str(), &st) == 0) out_id_ = {st.st_dev, st.st_ino};
  }

  void walk_root(const std::string& dir, const std::string& rel, const struct stat& st) {
    ancestors_.push_back({st.st_dev, st.st_ino, dir});
    walk(dir, rel);
    ancestors_.pop_back();
  }

 private:
  struct Folder {
    dev_t dev;
    ino_t ino;
    std::string path;
  };

  void walk(const std::string& dir, const std::string& rel) {
    DIR* d = opendir(dir.c_str());
    if (!d) throw FileError("cannot read the folder " + quoted(dir) + ": " + errno_phrase(errno));
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    const int err = errno;
    closedir(d);
    if (err) throw FileError("cannot read the folder " + quoted(dir) + ": " + errno_phrase(err));
    // Bytewise, as LC_ALL=C sort: the same order on every machine and in every locale.
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) entry(join(dir, name), join(rel, name), rel);
  }

  void entry(const std::string& path, const std::string& sub, const std::string& rel) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {  // a broken symlink, or gone since readdir
      const std::string why = errno_phrase(errno);
      out_.files.push_back(
          {path, rel, std::nullopt, "cannot read " + quoted(path) + ": " + why, why});
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      for (const Folder& a : ancestors_)
        if (a.dev == st.st_dev && a.ino == st.st_ino) {
          warn(quoted(path) + " leads back to " + quoted(a.path) +
               " (a file system loop); not followed");
          return;
        }
      // -O reached through a symlink: refuse_output_inside() could not see it by path.
      if (out_id_ == std::make_pair(st.st_dev, st.st_ino))
        throw UsageError("-O " + quoted(out_dir_) + " is inside the input folder " +
                         lrn::quoted(ancestors_.front().path) + " (as " + quoted(path) +
                         "); a rerun would read its own outputs: give an -O outside it");
      ancestors_.push_back({st.st_dev, st.st_ino, path});
      walk(path, sub);
      ancestors_.pop_back();
    } else if (S_ISREG(st.st_mode)) {
      file(path, rel);
    } else {
      out_.not_images.push_back(path);  // FIFO, socket, device: never opened
    }
  }

  // By content, from the first bytes: decoding is left to the run.
  void file(const std::string& path, const std::string& rel) {
    std::vector<std::uint8_t> head;
    try {
      head = open_source(path)->peek(kSniffBytes);
    } catch (const FileError& e) {
      out_.files.push_back({path, rel, std::nullopt, in_cli_words(e), "cannot be read"});
      return;
    }
    if (const auto f = sniff_format(head)) {
      out_.files.push_back({path, rel, f, "", ""});
      return;
    }
    const Signature* s = unsupported_format(head);
    if (s && s->image) {
      out_.files.push_back({path, rel, std::nullopt, unsupported_message(path, *s), s->what});
      return;
    }
    // A name that promises an image is worth a word: a half-downloaded photo, an HTML page.
    if (const auto named = format_from_extension(path))
      warn(fmt::format("{} is {} (its name says {}); skipped", quoted(path),
                       head.empty() ? "empty"
                       : s          ? s->what
                                    : "not an image",
                       format_name(*named)));
    out_.not_images.push_back(path);
  }

  Inputs& out_;
  const std::string& out_dir_;
  std::pair<dev_t, ino_t> out_id_{};
  std::vector<Folder> ancestors_;
};

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

// A rerun would walk into its own outputs.
void refuse_output_inside(const std::string& dir, const std::string& out_dir) {
  const std::string d = real_path(dir), o = real_path(out_dir);
  if (d.empty() || o.empty()) return;
  if (o == d || d == "/" || o.compare(0, d.size() + 1, d + "/") == 0)
    throw UsageError("-O " + quoted(out_dir) + " is inside the input folder " + quoted(dir) +
                     "; a rerun would read its own outputs: give an -O outside it");
}

}  // namespace

Inputs expand_inputs(const std::vector<std::string>& args, const BatchOptions& b) {
  const std::string base = without_trailing_slashes(b.base);
  if (!base.empty()) {
    struct stat st {};
    if (stat(base.c_str(), &st) != 0)
      throw UsageError("--base " + quoted(base) + ": " + errno_phrase(errno));
    if (!S_ISDIR(st.st_mode)) throw UsageError("--base " + quoted(base) + " is not a folder");
  }
  auto below_base = [&](const std::string& path, bool is_dir) {
    if (base.empty()) return std::string();
    const auto rel = folder_below(path, base, is_dir);
    if (!rel)
      throw UsageError(quoted(path) + " is not below --base " + quoted(base) +
                       "; give a --base folder that holds every input");
    return *rel;
  };
  Inputs out;
  Walker walker(out, b.out_dir);
  for (const std::string& arg : args) {
    struct stat st {};
    if (stat(arg.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      out.files.push_back({arg, below_base(arg, false), std::nullopt, "", ""});
      continue;
    }
    if (!b.recursive)
      throw UsageError(quoted(arg) +
                       " is a directory; add -R (--recursive) to process the images below it");
    const std::string dir = without_trailing_slashes(arg);
    refuse_output_inside(dir, b.out_dir);
    walker.walk_root(dir, below_base(dir, true), st);
  }
  return out;
}

}  // namespace lrn::cli
