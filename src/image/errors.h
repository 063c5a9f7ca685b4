// The error model of the codec and CLI layers: a small hierarchy on std::runtime_error.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

namespace lrn {

/// Anything about a file: missing, unreadable, undecodable, unwritable. Exit code 1.
/// what() is the whole message without the "lrn-img: error: " prefix, e.g.
/// "cannot decode 'x.jpg': premature end of JPEG data".
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A bad command line: unknown flag, bad value, conflicting options. Exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Receives non-fatal messages (already naming the file), e.g. "'x.png': alpha dropped ...".
using WarningSink = std::function<void(const std::string&)>;

/// 'path' quoted as every message quotes it.
std::string quoted(const std::string& path);

/// errno as a lowercase phrase ("no such file or directory").
std::string errno_phrase(int err);

}  // namespace lrn
