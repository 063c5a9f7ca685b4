// Internal to the JPEG codec (jpeg_read.cpp, jpeg_write.cpp): libjpeg's error manager, in
// our voice, shared by the decoder and the encoder.
//
// libjpeg reports errors by calling error_exit, which must not return. Throwing a C++
// exception from it would unwind through libjpeg's C frames, so error_exit (and emit_message,
// for warnings that mean damaged pixels) longjmp back to small try_* wrappers instead. Those
// wrappers hold no C++ objects, so the jump skips no destructors; the caller turns a false
// return into a FileError after the jump. Callbacks that do C++ work (reading the ByteSource,
// calling the warning sink) do it in noexcept helpers that have returned before any longjmp.
#pragma once

#include <bitset>
#include <csetjmp>
#include <cstdio>  // jpeglib.h uses FILE and size_t without including their headers
#include <exception>
#include <string>

#include <jpeglib.h>

#include "image/errors.h"

namespace lrn::jpeg_detail {

constexpr std::size_t kChunkBytes = 64 * 1024;  // per ByteSource read and ByteSink write

// libjpeg's error manager plus where to jump and what went wrong. Callbacks find it through
// cinfo->client_data (it is not standard-layout, so no casting from &pub).
struct ErrorMgr {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {};
  std::exception_ptr cause;  // an exception from our side (ByteSource, ByteSink, warning sink)
  // Decoder only: how to treat warnings.
  bool lenient = false;
  bool strict = false;  // every warning is an error, benign ones included
  WarningSink warn;
  std::string name;
  std::bitset<256> warned;       // message codes already reported, so a warning appears once
  bool damage_reported = false;  // damage usually cascades; the first message says it all
  bool in_scans = false;         // the header has been read: pixel data is being decoded
};

inline ErrorMgr* error_mgr(j_common_ptr c) { return static_cast<ErrorMgr*>(c->client_data); }
inline ErrorMgr* error_mgr(j_decompress_ptr c) { return static_cast<ErrorMgr*>(c->client_data); }
inline ErrorMgr* error_mgr(j_compress_ptr c) { return static_cast<ErrorMgr*>(c->client_data); }

/// libjpeg's own text with our voice: lowercase start (unless an acronym), no "Warning: ",
/// escaped (it can quote bytes from the file, e.g. a marker's text).
std::string tidy(const char* text);

/// libjpeg's error_exit: formats the message into the ErrorMgr and longjmps to its jump.
[[noreturn]] void error_exit(j_common_ptr c);

/// Before jpeg_create_*, which keeps err and client_data. `emit` handles libjpeg's warnings.
template <typename Cinfo>
void install_error_mgr(ErrorMgr& e, Cinfo& cinfo, void (*emit)(j_common_ptr, int)) {
  cinfo.err = jpeg_std_error(&e.pub);
  cinfo.client_data = &e;
  e.pub.error_exit = error_exit;
  e.pub.emit_message = emit;
}

}  // namespace lrn::jpeg_detail
