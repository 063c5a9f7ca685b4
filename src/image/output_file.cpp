// All-or-nothing output files: a temporary file beside the target (unnamed where the file
// system allows), renamed over it on commit.
#include "image/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

#include "image/errors.h"
#include "image/stop.h"

namespace lrn {

namespace {

// Large enough that encoders' many small writes become few system calls, small enough not
// to matter per file in a batch.
constexpr std::size_t kBufferSize = 256 * 1024;

[[noreturn]] void throw_write_error(const std::string& path, int err) {
  throw FileError("cannot write " + quoted(path) + ": " + errno_phrase(err), path);
}

// The folder part of a path as rename() and mkstemp() need it ("." for a bare name).
std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "<dir>/.<name>.lrn-img-XXXXXX": hidden, recognisably ours, and in the target's folder so
// that rename() stays on one file system and is therefore atomic.
std::string temp_template(const std::string& target) {
  // The name part is cut so the temporary name stays within NAME_MAX (255) like the target's.
  const std::string base = base_of(target).substr(0, 200);
  const std::string folder = folder_of(target);
  return folder + (folder == "/" ? "." : "/.") + base + ".lrn-img-XXXXXX";
}

// The process umask without changing it: umask() can only be read by setting it, which would
// race with other threads creating files, so prefer Linux's /proc/self/status (4.7+).
mode_t current_umask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.compare(0, 6, "Umask:") == 0)
      return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
  }
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

// Where the data really goes: writing to a symlink should update the file it points at and
// keep the link, as writing through the link in place would. A dangling link is refused, as
// GNU cp refuses it: creating its target would put a file wherever the link points (maybe
// another user's folder), and replacing the link would silently lose it.
std::string resolve_target(const std::string& path) {
  struct stat lst {};
  if (::lstat(path.c_str(), &lst) != 0 || !S_ISLNK(lst.st_mode)) return path;
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved)) return resolved;
  if (errno == ENOENT)
    throw FileError("cannot write " + quoted(path) +
                        ": not writing through a dangling symlink; remove it or create its target",
                    path);
  throw_write_error(path, errno);
}

// O_TMPFILE needs file system support and, to be linked in by an unprivileged process,
// /proc/self/fd (linkat with AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH). LRN_IMG_NO_O_TMPFILE
// in the environment turns it off: a testing knob for the named fallback.
std::atomic<int> g_unnamed{-1};  // -1: not decided yet

bool unnamed_allowed() {
  int on = g_unnamed.load();
  if (on < 0) {
    on = !std::getenv("LRN_IMG_NO_O_TMPFILE") && ::access("/proc/self/fd", X_OK) == 0;
    g_unnamed.store(on);
  }
  return on != 0;
}

// Replaces the trailing XXXXXX of a temp_template() name with random letters and digits.
void randomise(std::string& name) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 rng(std::random_device{}() ^ static_cast<unsigned>(::getpid()));
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kAlphabet - 2);
  for (std::size_t i = name.size() - 6; i < name.size(); ++i) name[i] = kAlphabet[pick(rng)];
}

// to_stdout: a closed stdout (EPIPE, SIGPIPE being ignored by the CLI) is not this file's
// failure but the reader's choice to stop, as for `cat | head`: stop the whole run quietly.
void write_all(int fd, const char* p, std::size_t n, const std::string& name, bool to_stdout) {
  while (n > 0) {
    throw_if_stopped();  // a write to a full pipe blocks: a stop request interrupts it
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE && to_stdout) {
        request_stop(SIGPIPE);
        throw Cancelled();
      }
      // EFBIG past `ulimit -f` (the CLI ignores SIGXFSZ) fails this file like ENOSPC.
      throw_write_error(name, errno);
    }
    // write() returning 0 for a non-empty request only happens when the device is full.
    if (w == 0) throw_write_error(name, ENOSPC);
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

}  // namespace

void set_unnamed_temporaries(bool on) { g_unnamed.store(on ? 1 : 0); }

OutputFile::OutputFile(const std::string& path) : path_(path) {
  buffer_.reserve(kBufferSize);
  if (path == "-") {
    // stdout belongs to the process: write to it, never close it.
    path_ = "<stdout>";
    fd_ = 1;
    owns_fd_ = false;
    direct_ = true;
    return;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // /dev/null, a FIFO, a terminal: renaming over them would replace the device node with a
    // file, so write to them in place. No O_CREAT: they exist. A directory fails with EISDIR.
    do {  // opening a FIFO waits for its reader: a stop request interrupts it and ends it
      throw_if_stopped();
      fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    } while (fd_ < 0 && errno == EINTR);
    if (fd_ < 0) throw_write_error(path, errno);
    direct_ = true;
    return;
  }
  target_path_ = resolve_target(path);
  if (unnamed_allowed()) {
    // No name until commit(): whatever ends the process (SIGKILL too) leaves nothing behind.
    fd_ = ::open(folder_of(target_path_).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd_ >= 0) {
      unnamed_ = true;
      return;
    }
    // EOPNOTSUPP (this file system), EISDIR or EINVAL (a kernel without O_TMPFILE): fall back
    // to a named file, which also reports real problems (a missing or read-only folder).
  }
  temp_path_ = temp_template(target_path_);
  fd_ = ::mkostemp(temp_path_.data(), O_CLOEXEC);
  if (fd_ < 0) {
    const int err = errno;
    temp_path_.clear();
    throw_write_error(path, err);
  }
}

OutputFile::~OutputFile() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
  // Not committed (an error or an exception on the way): leave the folder as it was.
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void OutputFile::write(const void* src, std::size_t n) {
  if (committed_) throw std::logic_error("OutputFile::write after commit()");
  const char* p = static_cast<const char*>(src);
  // Big blocks (row blocks of a float image) skip the copy into the buffer: what is buffered
  // goes first, then the block in one write. Half the buffer is the line, so the 64 KB pieces
  // the JPEG encoder hands over are still gathered.
  const bool direct = n >= kBufferSize / 2;
  if (direct || buffer_.size() + n > kBufferSize) flush_buffer();
  if (direct) {
    write_all(fd_, p, n, path_, !owns_fd_);
    return;
  }
  buffer_.append(p, n);
}

bool OutputFile::write_at(std::uint64_t offset, const void* src, std::size_t n) {
  if (committed_) throw std::logic_error("OutputFile::write_at after commit()");
  if (direct_) return false;
  flush_buffer();
  const char* p = static_cast<const char*>(src);
  while (n > 0) {
    const ssize_t w = ::pwrite(fd_, p, n, static_cast<off_t>(offset));
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw_write_error(path_, errno);
    if (w == 0) throw_write_error(path_, ENOSPC);
    p += w;
    n -= static_cast<std::size_t>(w);
    offset += static_cast<std::uint64_t>(w);
  }
  return true;
}

void OutputFile::flush_buffer() {
  if (buffer_.empty()) return;
  write_all(fd_, buffer_.data(), buffer_.size(), path_, !owns_fd_);
  buffer_.clear();
}

// The permission bits the result should have: an existing target's (replacing a file should
// not change who may read it), else what open(O_CREAT, 0666) would have given. mkstemp and
// O_TMPFILE made the temporary file 0600.
void OutputFile::apply_final_mode() {
  struct stat st {};
  if (::stat(target_path_.c_str(), &st) == 0) {
    if (::fchmod(fd_, st.st_mode & 07777) != 0) throw_write_error(path_, errno);
    // Keep the owner too when we may (root rewriting a user's file). Best effort: an
    // ordinary user cannot give files away, and the permission bits are what matter most.
    if (st.st_uid != ::geteuid() || st.st_gid != ::getegid()) {
      [[maybe_unused]] const int ignored = ::fchown(fd_, st.st_uid, st.st_gid);
    }
  } else if (::fchmod(fd_, 0666 & ~current_umask()) != 0) {
    throw_write_error(path_, errno);
  }
}

void OutputFile::commit() {
  if (committed_) return;
  flush_buffer();
  if (direct_) {
    committed_ = true;
    return;
  }
  apply_final_mode();
  if (unnamed_) link_unnamed();
  // No fsync: in a batch of thousands of images it would cost a disk flush per file, and
  // rename() over the target already gives the guarantee that matters here, that a reader
  // sees the old file or the new one, never a mix. (ext4 and XFS also flush the data of a
  // file renamed over another before the rename itself reaches the journal.) A power loss
  // right after the run may lose the newest outputs; rerunning recreates them.
  const int fd = fd_;
  fd_ = -1;
  // close() can report a deferred write error (NFS, quotas); the output is not good then.
  if (::close(fd) != 0 && errno != EINTR) throw_write_error(path_, errno);
  if (::rename(temp_path_.c_str(), target_path_.c_str()) != 0) throw_write_error(path_, errno);
  committed_ = true;
}

// linkat() cannot replace an existing file, so the unnamed file gets a hidden name of its own
// first and is renamed over the target from there, as the named fallback is. Only a SIGKILL
// in the microseconds between the two can leave that (complete) hidden file.
void OutputFile::link_unnamed() {
  const std::string self = "/proc/self/fd/" + std::to_string(fd_);
  std::string name = temp_template(target_path_);
  for (int attempt = 0; attempt < 100; ++attempt) {
    randomise(name);
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) {
      temp_path_ = name;  // from here the destructor removes it if commit() fails
      return;
    }
    if (errno != EEXIST) throw_write_error(path_, errno);
  }
  throw_write_error(path_, EEXIST);
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace lrn
