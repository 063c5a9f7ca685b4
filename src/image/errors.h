// The error model of the codec and CLI layers: a small hierarchy on std::runtime_error.
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "lrn_img/errors.h"

namespace lrn {

// The codec and pipeline layers throw the library's own exception types
// (include/lrn_img/errors.h), so a caller of the public API catches exactly what is thrown
// here. Messages name parameters with lrn_img::param(); only the front ends (src/cli, the
// Python module) spell them as options or keywords.

/// Anything about a file: missing, unreadable, undecodable, unwritable. Exit code 1.
/// what() is the whole message without the "lrn-img: error: " prefix, e.g.
/// "cannot decode 'x.jpg': premature end of JPEG data".
using FileError = lrn_img::FileError;
/// A file over a limit (max_pixels, max_npy_bytes, max_row_bytes). Exit code 1.
using LimitExceeded = lrn_img::LimitExceeded;
/// A bad argument: a bad command line (unknown flag, bad value, conflicting options) or a bad
/// parameter of the library. Exit code 2.
using UsageError = lrn_img::InvalidArgument;
using lrn_img::param;

/// Receives non-fatal messages (already naming the file), e.g. "'x.png': alpha dropped ...".
using WarningSink = std::function<void(const std::string&)>;

/// Bytes from a file or a path, made safe for a one-line message on a terminal: newline and
/// tab as the two characters \n and \t, other control bytes (below 0x20, 0x7f, and the C1
/// controls U+0080..U+009F) and bytes that are not valid UTF-8 as \xNN; valid UTF-8 as it is.
/// Idempotent: its output has no control bytes and is valid UTF-8. A backslash stays as it is.
std::string escaped(std::string_view bytes);

/// 'path' quoted and escaped as every message quotes a path or any text taken from a file
/// (a .npy dtype, a PNG chunk type): escape each such string exactly once, through here or
/// escaped().
std::string quoted(const std::string& path);  // not string_view: std::quoted would win by ADL

/// The length (1..4) of the valid UTF-8 sequence starting at s[i], or 0 when the bytes there
/// are not one (stray continuation, overlong form, surrogate, above U+10FFFF, truncated).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

/// errno as a lowercase phrase ("no such file or directory").
std::string errno_phrase(int err);

}  // namespace lrn
