// The benchmarks' shared timing helpers (header-only: each benchmark is one file).
#pragma once

#include <algorithm>
#include <ctime>
#include <vector>

namespace bench {

/// Median of v (the upper one of an even count), v by value so the caller's order stays.
inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// CPU time of the calling thread in ms (CLOCK_THREAD_CPUTIME_ID): on a shared host, time
/// spent waiting for a core is not counted.
inline double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

}  // namespace bench
