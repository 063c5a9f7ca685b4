#!/usr/bin/env bash
# Tensors: the whole CLI on a 1 GiB (N, 96, 55, 55) float32 .npy in both layouts against
# `dd bs=1M` of the same file (input and output on a tmpfs, /dev/shm), with peak RSS; then the
# kernel against oneDNN (bench_dnnl) and PyTorch (bench_torch.py), each as a ratio to lrn-img.
#
# Usage: bash bench/bench_tensors.sh [BUILD_DIR] [ROUNDS]
# Needs a release build, /usr/bin/time, python3-numpy; bench_dnnl needs libdnnl-dev and
# bench_torch.py python3-torch (`bash .ci/install-deps --bench`). Not a test: it prints tables.
set -euo pipefail
build=${1:-build}
rounds=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
lrn=$build/lrn-img
py=/usr/bin/python3
dir=/dev/shm/lrn-bench-tensors-$$
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT

# 1 GiB of AlexNet-conv1-sized feature maps: N = 1 GiB / (96 * 55 * 55 * 4) = 924 images,
# written through a memmap so making it needs no GiB of RAM either.
$py - "$dir" <<'EOF'
import sys
import numpy as np
d = sys.argv[1]
n = (1 << 30) // (96 * 55 * 55 * 4)
rng = np.random.default_rng(0)
block = (rng.random((4, 96, 55, 55)) * 255).astype(np.float32)
for name, b in (("nchw", block), ("nhwc", np.ascontiguousarray(block.transpose(0, 2, 3, 1)))):
    a = np.lib.format.open_memmap(f"{d}/{name}.npy", mode="w+", dtype=np.float32,
                                  shape=(n,) + b.shape[1:])
    for i in range(0, n, 4):
        a[i:i + 4] = b[: min(4, n - i)]
    a.flush()
    del a
EOF

# wall seconds, peak RSS (KB) and CPU seconds (user + system) of a command, appended to the
# named files. On a loaded machine CPU time is the steadier figure.
measure() {
  local tag=$1
  shift
  /usr/bin/time -f "%e %M %U %S" -o "$dir/t" "$@" >/dev/null 2>&1
  read -r wall rss user sys <"$dir/t"
  echo "$wall" >>"$dir/$tag.wall"
  echo "$rss" >>"$dir/$tag.rss"
  echo "$user $sys" | awk '{print $1 + $2}' >>"$dir/$tag.cpu"
  rm -f "$dir/out.npy" "$dir/copy.npy"
}
median() { sort -g "$1" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq "$rounds"); do
  # Interleaved, so the machine's load hits every row alike.
  measure dd dd if="$dir/nchw.npy" of="$dir/copy.npy" bs=1M
  measure nchw "$lrn" "$dir/nchw.npy" "$dir/out.npy" --layout nchw
  measure nhwc "$lrn" "$dir/nhwc.npy" "$dir/out.npy" --layout nhwc
  measure nchw_t1 "$lrn" "$dir/nchw.npy" "$dir/out.npy" --layout nchw -t 1
  measure nhwc_t1 "$lrn" "$dir/nhwc.npy" "$dir/out.npy" --layout nhwc -t 1
done

dd_wall=$(median "$dir/dd.wall")
dd_cpu=$(median "$dir/dd.cpu")
echo "## The CLI on 1 GiB of (924, 96, 55, 55) float32, /dev/shm in and out, $rounds rounds"
echo "(load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); 2 cores)"
echo
echo "| run | median wall s | x dd bs=1M | target | peak RSS MB (max) | target | median CPU s | x dd CPU |"
echo "|---|---:|---:|---|---:|---|---:|---:|"
for tag in dd nchw nhwc nchw_t1 nhwc_t1; do
  w=$(median "$dir/$tag.wall")
  r=$(sort -g "$dir/$tag.rss" | tail -1)
  c=$(median "$dir/$tag.cpu")
  case $tag in
    dd) name="dd bs=1M" ;;
    *_t1) name="lrn-img --layout ${tag%_t1} -t 1 (info)" ;;
    *) name="lrn-img --layout $tag" ;;
  esac
  awk -v n="$name" -v w="$w" -v d="$dd_wall" -v r="$r" -v tag="$tag" -v c="$c" -v dc="$dd_cpu" 'BEGIN {
    ratio = w / d; mb = r / 1024
    t1 = (tag == "dd") ? "" : (ratio <= 1.3 ? "<= 1.3x PASS" : "<= 1.3x FAIL")
    t2 = (tag == "dd") ? "" : (mb <= 64 ? "<= 64 MB PASS" : "<= 64 MB FAIL")
    if (tag ~ /_t1/) { t1 = "(info)"; t2 = "(info)" }
    printf "| %s | %.2f | %.3f | %s | %.1f | %s | %.2f | %.2f |\n", n, w, ratio, t1, mb, t2, c, (dc > 0 ? c / dc : 0) }'
done
echo

# Kernel against oneDNN and torch: the same (8, C, 55, 55) cases, each as x memcpy in its own
# process; torch's ratio to lrn-img divides the two x-memcpy figures.
if [[ -x $build/bench/bench_dnnl ]]; then
  echo "## Kernel: lrn-img and oneDNN, side by side in one process"
  echo
  "$build/bench/bench_dnnl" --runs 15 | tee "$dir/dnnl.md"
  echo
else
  echo "bench_dnnl not built (apt-get install libdnnl-dev, then rebuild): oneDNN not compared"
fi
if $py -c "import torch" 2>/dev/null; then
  echo "## PyTorch (torch.nn.functional.local_response_norm), one thread"
  echo
  $py "$here/bench_torch.py" --runs 15 | tee "$dir/torch.md"
  echo
  if [[ -f $dir/dnnl.md ]]; then
    echo "## torch / lrn-img (ratio of their x-memcpy figures)"
    echo
    echo "| C | layout | lrn-img x memcpy | torch x memcpy | torch / lrn-img |"
    echo "|---:|---|---:|---:|---:|"
    # dnnl.md: | C | layout | memcpy | lrn | lrn x | impl | dnnl | dnnl x | ratio | diff |
    # torch.md: | C | layout | memcpy | torch | torch x |
    awk -F'|' 'FNR == NR && $2 ~ /[0-9]/ { k = $2 "|" $3; lrn[k] = $6 + 0; next }
               $2 ~ /[0-9]/ { k = $2 "|" $3; if (k in lrn)
                 printf "|%s|%s| %.2f | %.2f | %.2f |\n", $2, $3, lrn[k], $6 + 0, ($6 + 0) / lrn[k] }' \
      "$dir/dnnl.md" "$dir/torch.md"
  fi
else
  echo "python3-torch is missing: torch not compared"
fi
