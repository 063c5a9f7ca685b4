// Test helpers: temporary folders, file bytes, and running the real binary with fork/exec.
#include "support.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace lrn_test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/lrn-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  // Tests may leave read-only or nested entries; a recursive rm is the simple sure way.
  const std::string cmd = "rm -rf '" + path_ + "'";
  if (std::system(cmd.c_str()) != 0) {
  }
}

std::vector<std::string> TempDir::entries_of(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    closedir(d);
  }
  return names;
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

RunResult run_cli(const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv{binary_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, input);
}

RunResult run_program(const std::vector<std::string>& args, const std::string& input) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
      close(fd);
    std::vector<char*> argv;
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Feed stdin and drain stdout/stderr together so neither side can block the other.
  signal(SIGPIPE, SIG_IGN);
  RunResult r;
  std::size_t fed = 0;
  int in_fd = in_pipe[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open || in_fd >= 0) {
    pollfd fds[3];
    int n = 0;
    if (out_open) fds[n++] = {out_pipe[0], POLLIN, 0};
    if (err_open) fds[n++] = {err_pipe[0], POLLIN, 0};
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    if (poll(fds, static_cast<nfds_t>(n), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in_fd) {
        const ssize_t w = write(in_fd, input.data() + fed, input.size() - fed);
        if (w > 0) fed += static_cast<std::size_t>(w);
        if (w < 0 || fed == input.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      std::string& dst = fds[i].fd == out_pipe[0] ? r.out : r.err;
      bool& open = fds[i].fd == out_pipe[0] ? out_open : err_open;
      if (got > 0) dst.append(buf, static_cast<std::size_t>(got));
      else open = false;
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// LRN_IMG_TEST_BINARY runs the end-to-end tests against another build (to check that a new
// test fails on the binary from before the change it tests).
std::string binary_path() {
  const char* other = std::getenv("LRN_IMG_TEST_BINARY");
  return other && *other ? other : LRN_IMG_BINARY;
}
std::string data_path(const std::string& name) {
  return std::string(LRN_TEST_DATA_DIR) + "/" + name;
}
std::string sample_path(const std::string& name) {
  return std::string(LRN_SAMPLES_DIR) + "/" + name;
}
std::string source_path(const std::string& name) {
  return std::string(LRN_SOURCE_DIR) + "/" + name;
}

}  // namespace lrn_test

#include <cstring>

#include "image/output_file.h"
#include "lrn/half.h"

namespace lrn_test {

std::size_t FailingSource::read(void*, std::size_t) {
  throw lrn::FileError("cannot read '" + n_ + "': boom");
}

void FailingSink::write(const void*, std::size_t) {
  throw lrn::FileError("cannot write '" + n_ + "': disk full");
}

double Decoded::at(std::size_t i) const {
  switch (info.type) {
    case lrn::SampleType::U8: return bytes[i];
    case lrn::SampleType::U16: {
      std::uint16_t v;
      std::memcpy(&v, &bytes[i * 2], 2);
      return v;
    }
    case lrn::SampleType::F16: {
      std::uint16_t v;
      std::memcpy(&v, &bytes[i * 2], 2);
      float f;
      lrn::f16_to_f32(&v, &f, 1);
      return f;
    }
    case lrn::SampleType::F32: {
      float v;
      std::memcpy(&v, &bytes[i * 4], 4);
      return v;
    }
    case lrn::SampleType::F64: {
      double v;
      std::memcpy(&v, &bytes[i * 8], 8);
      return v;
    }
  }
  return 0;
}

Decoded decode_file(const std::string& path) {
  auto reader = lrn::open_reader(lrn::open_source(path), lrn::DecodeOptions{});
  Decoded d;
  d.info = reader->info();
  d.bytes.resize(d.info.height * d.info.row_bytes());
  reader->read_rows(d.bytes.data(), d.info.height);
  return d;
}

DecodedImage decode_in_two_reads(ReaderFactory open, const std::vector<std::uint8_t>& bytes,
                                 lrn::DecodeOptions opt, const std::string& name,
                                 std::size_t split) {
  DecodedImage d;
  opt.warn = [&](const std::string& w) { d.warnings.push_back(w); };
  auto reader = open(lrn::memory_source(bytes, name), opt);
  d.info = reader->info();
  d.pixels.resize(d.info.row_bytes() * d.info.height);
  const std::size_t first = d.info.height / split;
  reader->read_rows(d.pixels.data(), first);
  reader->read_rows(d.pixels.data() + first * d.info.row_bytes(), d.info.height - first);
  return d;
}

void write_image(const std::string& path, lrn::Format format, const lrn::ImageInfo& info,
                 const void* pixels) {
  lrn::OutputFile file(path);
  auto writer = lrn::open_writer(format, file, info, lrn::EncodeOptions{});
  writer->write_rows(pixels, info.height);
  writer->finish();
  file.commit();
}

void write_npy(const std::string& path, std::size_t h, std::size_t w, std::size_t c,
               const std::vector<float>& values) {
  lrn::ImageInfo info;
  info.width = w;
  info.height = h;
  info.channels = c;
  info.type = lrn::SampleType::F32;
  write_image(path, lrn::Format::Npy, info, values.data());
}

}  // namespace lrn_test
