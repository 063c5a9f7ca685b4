// The number of cores this process may use.
#pragma once

namespace lrn {

/// CPUs in this process's affinity mask, capped by a cgroup v2 CPU quota (cpu.max) when one
/// is set; at least 1. std::thread::hardware_concurrency() sees neither.
unsigned usable_cores();

}  // namespace lrn
