// The exceptions lrn_img throws: a few types, each carrying the data of what went wrong.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "lrn_img/export.h"

namespace lrn_img {

/// How a front end spells a parameter name in its messages. The library names parameters by
/// their C++ field names ("max_pixels", "layout", "radius"); the lrn-img command line spells
/// them as options ("--max-pixels"), the Python module as keywords ("max_pixels=").
using Spelling = std::function<std::string(std::string_view name)>;

/// The base of every lrn_img exception. what() is one line, lowercase, without a trailing
/// period, naming any file in single quotes, e.g.
///   "cannot decode 'x.png': 30000x30000 is over the pixel budget of 268435456 pixels
///    (raise it with max_pixels)".
/// Parameter names in it are the C++ ones; worded() gives the same message in another
/// front end's spelling, so one error can be reported in each front end's own words.
class LRN_IMG_API Error : public std::runtime_error {
 public:
  /// `text` may mark parameter names with param() (below); what() spells them as they are.
  explicit Error(const std::string& text);
  /// The message with every parameter name spelled by `spell`.
  std::string worded(const Spelling& spell) const;
  /// The raw message, parameter names marked.
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

/// A parameter name marked for worded(): param("max_pixels") in a message becomes
/// "max_pixels" in what(), "--max-pixels" on the command line. Messages from the library never
/// contain the marker bytes otherwise (file names and file contents are escaped).
LRN_IMG_API std::string param(std::string_view name);

/// `text` with the marked parameter names spelled by `spell` (warnings use the same marks).
LRN_IMG_API std::string worded(const std::string& text, const Spelling& spell);

/// A bad argument: a parameter out of its range, a combination that contradicts itself, a
/// tensor view that does not fit, an output name that names no format. The command line
/// exits 2 for it; the Python module raises ValueError.
/// parameter() is the C++ name of the parameter at fault ("" when it is not one parameter),
/// value() the value given, as text ("" when not a single value).
class LRN_IMG_API InvalidArgument : public Error {
 public:
  explicit InvalidArgument(const std::string& text, std::string parameter = {},
                           std::string value = {});
  const std::string& parameter() const { return parameter_; }
  const std::string& value() const { return value_; }

 private:
  std::string parameter_, value_;
};

/// A normalize() call stopped because its cancel flag was raised (process_file reports its
/// cancellation as a FileError naming the input, since nothing was written).
class LRN_IMG_API Cancelled : public Error {
 public:
  Cancelled();
};

/// Anything about a file: missing, unreadable, damaged, not a supported format, not
/// writable, or holding what the output format cannot store. Nothing is written when it is
/// thrown (outputs are all-or-nothing). The command line exits 1; Python raises OSError.
/// path() is the file at fault when one file is ("" otherwise).
class LRN_IMG_API FileError : public Error {
 public:
  explicit FileError(const std::string& text, std::string path = {});
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// process_file stopped because FileOptions::cancel was raised: nothing was written. A
/// FileError (naming the input) so that code catching FileError handles it as before.
class LRN_IMG_API FileCancelled : public FileError {
 public:
  FileCancelled(const std::string& text, std::string path);
};

/// The limits FileOptions sets on what a file's header may declare (checked before any pixel
/// buffer is allocated).
enum class Limit {
  Pixels,    ///< FileOptions::max_pixels: width * height of one image
  NpyBytes,  ///< FileOptions::max_npy_bytes: the data of a .npy array
  RowBytes,  ///< FileOptions::max_row_bytes: one decoded row
};

/// The C++ name of a limit's parameter: "max_pixels", "max_npy_bytes", "max_row_bytes".
LRN_IMG_API const char* limit_name(Limit l);

/// A file over one of the limits: value() is what the file declares (for Pixels of a PNG
/// whose width alone is over, that width), maximum() the limit in force.
class LRN_IMG_API LimitExceeded : public FileError {
 public:
  LimitExceeded(const std::string& text, std::string path, Limit limit, std::uint64_t value,
                std::uint64_t maximum);
  Limit limit() const { return limit_; }
  std::uint64_t value() const { return value_; }
  std::uint64_t maximum() const { return maximum_; }

 private:
  Limit limit_;
  std::uint64_t value_, maximum_;
};

}  // namespace lrn_img
