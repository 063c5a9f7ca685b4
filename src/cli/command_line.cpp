// The command line's syntax, read by hand so that each mistake gets its own message.
#include "cli/command_line.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "cli/help.h"
#include "image/errors.h"

namespace lrn::cli {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each cost 1 ("radious" -> "radius" and "jsno" -> "json" are 1).
std::size_t edits(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Reader {
 public:
  explicit Reader(const std::vector<OptionSpelling>& options) : options_(options) {
    for (const OptionSpelling& o : options) long_names_.push_back(o.long_name);
  }

  std::vector<std::string> read(const std::vector<std::string>& args);

 private:
  // Reads the option(s) in args[i] and the value of the last; i moves on past a value taken
  // from the next argument.
  void read_option(const std::vector<std::string>& args, std::size_t& i);
  // The value of `o`: `v` when attached (--alpha=1, -a1), else the next argument.
  void take(const OptionSpelling& o, std::string v, bool attached,
            const std::vector<std::string>& args, std::size_t& i);
  const OptionSpelling* find_long(const std::string& name) const {
    for (const OptionSpelling& o : options_)
      if (o.long_name == name) return &o;
    return nullptr;
  }
  const OptionSpelling* find_short(char c) const {
    for (const OptionSpelling& o : options_)
      if (o.short_names.find(c) != std::string::npos) return &o;
    return nullptr;
  }
  // True for an argument read as an option rather than a file: a dash and more, except "-"
  // itself and, as CLI11 has it, what starts like a negative number ("-1.jpg", "-.5") unless
  // that digit is an option's (-0).
  bool looks_like_option(const std::string& a) const {
    if (a.size() < 2 || a[0] != '-') return false;
    return !((is_digit(a[1]) && !find_short(a[1])) || a[1] == '.');
  }
  // True when `a` spells one of our options (so is no value): "--alpha", "--alpha=1", "-a".
  bool names_option(const std::string& a) const {
    if (a.size() > 2 && a[0] == '-' && a[1] == '-') return find_long(a.substr(0, a.find('=')));
    return a.size() >= 2 && a[0] == '-' && std::isalpha(static_cast<unsigned char>(a[1])) &&
           find_short(a[1]);
  }
  // typed: the option as far as it was read ("-p"); arg: the whole argument ("-photo.jpg").
  [[noreturn]] void unknown(const std::string& typed, const std::string& arg) const {
    std::string msg = fmt::format("unknown option {}", quoted(typed));
    if (arg[1] != '-' && arg != typed) msg += fmt::format(" (in {})", quoted(arg));
    const std::string hint = did_you_mean(typed, long_names_);
    if (!hint.empty()) throw UsageError(msg + hint);
    throw UsageError(
        fmt::format("{}; run 'lrn-img --help' for the options (a file named {}: write ./{})", msg,
                    escaped(arg), escaped(arg)));
  }
  void flag(const OptionSpelling& o, const std::string& typed, const std::string& v,
            bool has_value) {
    if (has_value)
      throw UsageError(fmt::format("{} takes no value, but was given {}; write {} alone",
                                   o.long_name, quoted(v), typed));
    if (std::find(flags_.begin(), flags_.end(), o.long_name) == flags_.end())
      flags_.push_back(o.long_name);
  }
  // An empty value (-O "$UNSET") is an error naming the option: taken as "not given" it would
  // turn `a.jpg b.jpg -O ""` into `IN OUT` and overwrite b.jpg. --suffix "" is its default.
  // The same value twice is harmless; two different ones leave the user's intent unknown.
  void value(const OptionSpelling& o, const std::string& v) {
    if (v.empty() && o.long_name != "--suffix")
      throw UsageError(
          fmt::format("{}: the value is empty; give one or leave the option out", o.long_name));
    const auto [at, fresh] = given_.emplace(o.long_name, v);
    if (!fresh && at->second != v)
      throw UsageError(fmt::format("{} is given twice, as {} and as {}; give it once", o.long_name,
                                   quoted(at->second), quoted(v)));
    if (fresh) {
      values_.push_back(o.long_name);
      values_.push_back(v);
    }
  }

  const std::vector<OptionSpelling>& options_;
  std::vector<std::string> long_names_;
  std::vector<std::string> flags_, values_, files_;
  std::map<std::string, std::string> given_;
};

std::vector<std::string> Reader::read(const std::vector<std::string>& args) {
  bool only_files = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (only_files || !looks_like_option(args[i])) files_.push_back(args[i]);
    else if (args[i] == "--") only_files = true;
    else read_option(args, i);
  }
  std::vector<std::string> out = values_;
  out.insert(out.end(), flags_.begin(), flags_.end());
  out.push_back("--");
  out.insert(out.end(), files_.begin(), files_.end());
  return out;
}

void Reader::read_option(const std::vector<std::string>& args, std::size_t& i) {
  std::string arg = args[i];
  // Short options: -0h is -0 then -h; the last one may take the rest as its value (-r2).
  while (arg[1] != '-') {
    const std::string name = arg.substr(0, arg.find('='));
    if (arg.size() > 2 && find_long("-" + name))  // -alpha would be -a with the value "lpha"
      throw UsageError(
          fmt::format("unknown option {}; did you mean '-{}'?", quoted(name), escaped(name)));
    const OptionSpelling* o = find_short(arg[1]);
    if (!o) unknown(arg.substr(0, 2), arg);
    const std::string rest = arg.substr(2);
    if (o->takes_value) return take(*o, rest, !rest.empty(), args, i);
    if (rest.empty() || rest[0] == '=')
      return flag(*o, arg.substr(0, 2), rest.substr(rest.empty() ? 0 : 1), !rest.empty());
    flag(*o, arg.substr(0, 2), "", false);
    arg = "-" + rest;
  }
  const std::size_t eq = arg.find('=');
  const std::string typed = arg.substr(0, eq);
  const OptionSpelling* o = find_long(typed);
  if (!o) unknown(typed, arg);
  const bool attached = eq != std::string::npos;
  const std::string v = attached ? arg.substr(eq + 1) : "";
  if (o->takes_value) return take(*o, v, attached, args, i);
  flag(*o, typed, v, attached);
}

void Reader::take(const OptionSpelling& o, std::string v, bool attached,
                  const std::vector<std::string>& args, std::size_t& i) {
  if (!attached) {
    const OptionDoc* doc = find_option_doc(o.long_name);
    const std::string name = doc ? fmt::format("{} needs a value {}", o.long_name, doc->value)
                                 : o.long_name + " needs a value";
    if (i + 1 == args.size()) throw UsageError(doc ? fmt::format("{}: {}", name, doc->text) : name);
    v = args[++i];
    if (names_option(v))
      throw UsageError(fmt::format("{}, but {} is an option; if it is the value, write {}={}", name,
                                   quoted(v), o.long_name, escaped(v)));
  }
  value(o, v);
}

}  // namespace

std::vector<std::string> normalize_arguments(const std::vector<OptionSpelling>& options,
                                             const std::vector<std::string>& args) {
  return Reader(options).read(args);
}

std::string closest(const std::string& typed, const std::vector<std::string>& candidates) {
  const std::string t = lower(typed);
  std::string prefixed, best;
  std::size_t prefixes = 0, best_edits = std::string::npos;
  for (const std::string& c : candidates) {
    const std::string l = lower(c);
    if (l == t) return c;
    // "--rad" begins "--radius"; a bare "--" or "-" begins everything, so it counts for nothing.
    const std::size_t dashes = t.find_first_not_of('-');
    if (dashes != std::string::npos && t.size() - dashes >= 2 && l.compare(0, t.size(), t) == 0) {
      prefixed = c;
      ++prefixes;
    }
    const std::size_t e = edits(t, l);
    if (e < best_edits) {
      best_edits = e;
      best = c;
    }
  }
  if (prefixes == 1) return prefixed;
  const std::size_t letters = t.size() - std::min(t.size(), t.find_first_not_of('-'));
  const std::size_t allowed = letters <= 2 ? 0 : letters <= 4 ? 1 : 2;
  return best_edits <= allowed ? best : "";
}

std::string did_you_mean(const std::string& typed, const std::vector<std::string>& candidates) {
  const std::string c = closest(typed, candidates);
  return c.empty() ? "" : fmt::format("; did you mean '{}'?", c);
}

}  // namespace lrn::cli
