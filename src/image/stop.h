// Stop requests: how a signal handler (or a closed stdout) makes blocking I/O and the pipeline
// give up. The flag is process-wide because signals are.
#pragma once

#include <atomic>
#include <stdexcept>

namespace lrn {

/// Thrown when a stop was requested while an image is in flight; nothing is written.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

/// Raises the stop flag and records why (a signal number; SIGPIPE for a closed stdout). The
/// first reason wins. Async-signal-safe: lock-free atomics only.
void request_stop(int reason) noexcept;
/// True once request_stop() was called.
bool stop_requested() noexcept;
/// The first reason given to request_stop(), 0 when none.
int stop_reason() noexcept;
/// The flag itself, for RunOptions::cancel.
const std::atomic<bool>& stop_flag() noexcept;

/// Throws Cancelled when a stop was requested. Blocking calls (open() of a FIFO, read() of a
/// stalled pipe, write() to a full one) call it before each attempt and after EINTR: the
/// CLI's handlers are installed without SA_RESTART precisely so that those calls return.
inline void throw_if_stopped() {
  if (stop_requested()) throw Cancelled();
}

}  // namespace lrn
