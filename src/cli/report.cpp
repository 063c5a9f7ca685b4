// Reporter: stderr carries errors, warnings, the bar, --stats and the summary; stdout carries
// only --json lines (and image data when OUT is -).
#include "cli/report.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>

#include "cli/batch.h"
#include "image/stop.h"

namespace lrn::cli {
namespace {

std::string json_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

std::string json_array(const std::vector<double>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + json_number(v[i]);
  return s + "]";
}

std::string json_stats(const lrn_img::ChannelStats& c) {
  return fmt::format(R"({{"min":{},"max":{},"mean":{}}})", json_array(c.min), json_array(c.max),
                     json_array(c.mean));
}

// One table per image; a batch's tables say which image they are.
void print_stats(const Job& job, const lrn_img::FileReport& s) {
  std::string text;
  for (std::size_t i = 0; i < s.images; ++i) {
    const std::string which =
        s.batch ? fmt::format(" image {}/{}", i + 1, s.images) : std::string();
    text += fmt::format("lrn-img: stats {}{} ({}x{}, {} colour channel(s))\n", quoted(job.in),
                        which, s.width, s.height, s.channels);
    text += fmt::format("  {:>7} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12}\n", "channel", "in min",
                        "in max", "in mean", "out min", "out max", "out mean");
    const lrn_img::ChannelStats &in = s.stats[i].input, &out = s.stats[i].output;
    for (std::size_t c = 0; c < s.channels; ++c)
      text += fmt::format("  {:>7} {:>12.6g} {:>12.6g} {:>12.6g} {:>12.6g} {:>12.6g} {:>12.6g}\n",
                          c, in.min[c], in.max[c], in.mean[c], out.min[c], out.max[c], out.mean[c]);
  }
  std::fputs(text.c_str(), stderr);
}

// {"input":{...},"output":{...}} of image i.
std::string json_image_stats(const lrn_img::FileReport& s, std::size_t i) {
  return fmt::format(R"({{"input":{},"output":{}}})", json_stats(s.stats[i].input),
                     json_stats(s.stats[i].output));
}

}  // namespace

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = utf8_sequence_length(s, i);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (n == 0) {
          out += "\\ufffd";  // not UTF-8: JSON cannot carry the byte; say one was there
        } else if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04x}", c);
        } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(s[i + 1]));  // C1 control
        } else {
          out.append(s, i, n);
        }
        i += n ? n : 1;
        continue;
    }
    ++i;
  }
  return out + "\"";
}

Reporter::Reporter(std::size_t total, const BatchOptions& b, std::size_t not_images)
    : options_(b),
      total_(total),
      batch_(b.batch()),
      bar_(b.batch() && !b.quiet && isatty(2)),
      not_images_(not_images),
      start_(std::chrono::steady_clock::now()) {
  draw(true);
}

void Reporter::clear_bar() {
  if (bar_shown_) std::fputs("\r\033[K", stderr);
  bar_shown_ = false;
}

void Reporter::draw(bool force) {
  if (!bar_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const std::size_t finished = done_ + failed_ + skipped_;
  const double secs = std::chrono::duration<double>(now - start_).count();
  const double rate = secs > 0 ? static_cast<double>(finished) / secs : 0;
  const int width = 24;
  const int filled = total_ ? static_cast<int>(width * finished / total_) : width;
  std::string eta = "--:--";
  if (rate > 0) {
    const long left = std::lround(static_cast<double>(total_ - finished) / rate);
    eta = fmt::format("{}:{:02}", left / 60, left % 60);
  }
  fmt::print(stderr, "\r\033[K[{}{}] {}/{}  {:.1f} img/s  ETA {}{}", std::string(filled, '#'),
             std::string(width - filled, '.'), finished, total_, rate, eta,
             failed_ ? fmt::format("  {} failed", failed_) : std::string());
  std::fflush(stderr);
  bar_shown_ = true;
}

void Reporter::warning(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  clear_bar();
  fmt::print(stderr, "lrn-img: warning: {}\n", message);
  draw(true);
}

void Reporter::json_line(const Job& job, const char* status, const std::string& error,
                         const lrn_img::FileReport* stats) {
  if (!options_.json) return;
  std::string line = fmt::format(R"({{"input":{},"output":{},"status":"{}")", json_string(job.in),
                                 json_string(job.out), status);
  if (!error.empty()) line += fmt::format(R"(,"error":{})", json_string(error));
  if (!options_.json_method.empty()) line += "," + options_.json_method;
  if (stats) {
    // An array with a batch axis gets a list, one entry per image, even for N = 1; an image
    // (and a 2-D or 3-D array) one object, as before batches existed.
    std::string per_image;
    if (stats->batch) {
      per_image = "[";
      for (std::size_t i = 0; i < stats->images; ++i)
        per_image += (i ? "," : "") + json_image_stats(*stats, i);
      per_image += "]";
    } else {
      per_image = json_image_stats(*stats, 0);
    }
    line += fmt::format(R"(,"width":{},"height":{},"channels":{},"images":{},"stats":{})",
                        stats->width, stats->height, stats->channels, stats->images, per_image);
  }
  line += "}\n";
  std::fputs(line.c_str(), stdout);
  // A reader that went away (`--json | head`) ends the run quietly, as it would end `cat`;
  // SIGPIPE is ignored so that images in flight can remove their temporary files first.
  const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout);
  if (failed && errno == EPIPE) request_stop(SIGPIPE);
  std::clearerr(stdout);
}

void Reporter::done(const Job& job, const lrn_img::FileReport* stats) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  if (stats && options_.stats) {
    clear_bar();
    print_stats(job, *stats);
  }
  json_line(job, "ok", "", stats);
  draw(false);
}

void Reporter::skipped(const Job& job) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++skipped_;
  json_line(job, "skipped", "", nullptr);
  draw(false);
}

void Reporter::failed(const Job& job, const std::string& message, int code) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++failed_;
  code_ = code;
  clear_bar();
  fmt::print(stderr, "lrn-img: error: {}\n", message);
  json_line(job, "failed", message, nullptr);
  draw(true);
}

void Reporter::finish(int stopped_by) {
  std::lock_guard<std::mutex> lock(mutex_);
  clear_bar();
  if (stopped_by == SIGPIPE) return;
  const bool interrupted = stopped_by != 0;
  if (!batch_ && !interrupted) return;
  if (options_.quiet && !interrupted) return;
  std::string s = fmt::format("lrn-img: {} done, {} failed", done_, failed_);
  if (skipped_) s += fmt::format(", {} skipped", skipped_);
  const std::size_t left = total_ - done_ - failed_ - skipped_;
  if (interrupted) s += fmt::format(", {} not finished (interrupted)", left);
  if (not_images_)
    s += fmt::format("; {} {}, skipped", not_images_,
                     not_images_ == 1 ? "not an image" : "not images");
  fmt::print(stderr, "{}\n", s);
}

}  // namespace lrn::cli
