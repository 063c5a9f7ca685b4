// usable_cores(): sched affinity and the cgroup v2 CPU quota.
#include "pipeline/cores.h"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <thread>

namespace lrn {
namespace {

// cgroup v2 "cpu.max" holds "QUOTA PERIOD" or "max PERIOD"; 0 when there is no quota.
unsigned cgroup_quota_cores() {
  std::ifstream f("/sys/fs/cgroup/cpu.max");
  std::string quota;
  double period = 0;
  if (!(f >> quota >> period) || quota == "max" || period <= 0) return 0;
  try {
    return static_cast<unsigned>(std::max(1.0, std::ceil(std::stod(quota) / period)));
  } catch (...) {
    return 0;
  }
}

}  // namespace

unsigned usable_cores() {
  // The affinity mask first: hardware_concurrency() reads /sys (~20 us in a VM) for a count
  // the mask already bounds.
  unsigned n = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0)
    n = static_cast<unsigned>(std::max(1, CPU_COUNT(&set)));
  else n = std::max(1u, std::thread::hardware_concurrency());
  if (const unsigned q = cgroup_quota_cores()) n = std::min(n, q);
  return n;
}

}  // namespace lrn
