// The process-wide stop flag and its reason.
#include "image/stop.h"

namespace lrn {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_reason{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "request_stop() must be callable from a signal handler");

}  // namespace

void request_stop(int reason) noexcept {
  int none = 0;
  g_reason.compare_exchange_strong(none, reason);
  g_stop.store(true);
}

bool stop_requested() noexcept { return g_stop.load(std::memory_order_relaxed); }

int stop_reason() noexcept { return g_reason.load(); }

const std::atomic<bool>& stop_flag() noexcept { return g_stop; }

}  // namespace lrn
