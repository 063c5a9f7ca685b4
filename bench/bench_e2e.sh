#!/usr/bin/env bash
# End-to-end figures of lrn-img against codec-only floors (bench/README.md says what each means).
#
# Usage: bash bench/bench_e2e.sh [BUILD_DIR]        (BUILD_DIR defaults to "build")
# Builds nothing: BUILD_DIR must hold lrn-img, bench/jpeg_copy and, optionally,
# bench/tj_copy and bench/bench_kernel. Needs hyperfine, ImageMagick's convert and GNU time
# (bash .ci/install-deps --bench).
#
# Environment (all optional):
#   WORK=DIR        where inputs and outputs go (kept; inputs reused when there);
#                   default a fresh temporary folder, removed at the end
#   ROUNDS=N        rounds for the 12 MP figures, one timed run of every command each [9]
#   SMALL_ROUNDS=N  rounds for the rocket figure [10], SMALL_RUNS=N timed runs per command
#                   per round [5]; SMALL_ROUNDS * SMALL_RUNS must be >= 30
#   RSS_RUNS=N      runs under /usr/bin/time per command for peak RSS (median) [3]
#   KERNEL_RUNS=N   --runs for bench_kernel [5]
#
# Runs are interleaved: every round runs each command of a figure once (after one untimed
# warm-up run), so drift in machine load hits all of them alike. Figures are medians over
# rounds. Prints progress on stderr and the results (markdown) on stdout. Exit status 0 even
# when a figure misses its target: this is a benchmark, not a test.
set -euo pipefail

die() { echo "bench_e2e: $*" >&2; exit 2; }
say() { echo "bench_e2e: $*" >&2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-build}
[[ $build = /* ]] || build=$PWD/$build
[[ -d $build ]] || die "no build folder '$build' (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2)"
lrn=$build/lrn-img

[[ -x $lrn ]] || die "no lrn-img in '$build' (build it first)"
jcopy=$build/bench/jpeg_copy
[[ -x $jcopy ]] || die "no bench/jpeg_copy in '$build' (configure with -DLRN_IMG_BUILD_BENCH=ON and build)"
tjcopy=$build/bench/tj_copy
[[ -x $tjcopy ]] || { tjcopy=""; say "no bench/tj_copy (needs libturbojpeg0-dev at configure time): its figure is skipped"; }
kbench=$build/bench/bench_kernel
for tool in hyperfine convert /usr/bin/time awk; do
  command -v "$tool" >/dev/null || die "'$tool' is missing: bash .ci/install-deps --bench"
done
rocket=$repo/samples/rocket.jpg
[[ -f $rocket ]] || die "no $rocket"

ROUNDS=${ROUNDS:-9}
SMALL_ROUNDS=${SMALL_ROUNDS:-10}
SMALL_RUNS=${SMALL_RUNS:-5}
RSS_RUNS=${RSS_RUNS:-3}
KERNEL_RUNS=${KERNEL_RUNS:-5}
(( ROUNDS >= 5 )) || die "ROUNDS must be >= 5 (medians of at least 5)"
(( SMALL_ROUNDS * SMALL_RUNS >= 30 )) || die "SMALL_ROUNDS * SMALL_RUNS must be >= 30"

# At exit: remove the tmpfs folder of figure 4's extra row, and the work folder if we made it.
remove_work=0
shm=""
cleanup() {
  [[ -n $shm ]] && rm -rf "$shm"
  if (( remove_work )); then rm -rf "$work"; fi
  return 0
}
trap cleanup EXIT
if [[ -n ${WORK:-} ]]; then
  mkdir -p "$WORK"
  work=$(cd "$WORK" && pwd)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/lrn-bench.XXXXXX")
  remove_work=1
fi
cd "$work"
say "work folder $work"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- Inputs -------------------------------------------------------------------------------
if [[ ! -s big.jpg ]]; then
  say "making big.jpg (4000x3000 plasma fractal, ImageMagick quality 92)"
  convert -seed 7 -size 4000x3000 plasma:fractal -quality 92 big.part.jpg && mv big.part.jpg big.jpg
fi
if [[ ! -s big.npy ]]; then
  # alpha 0 with bias 1 is the identity: the decoded pixels as float32 (4000, 3000, 3).
  say "making big.npy (lrn-img big.jpg big.npy --alpha 0)"
  "$lrn" big.jpg big.npy --alpha 0
fi

# Settings check: lrn-img with the identity LRN must write exactly what jpeg_copy writes, and
# tj_copy (accurate DCT) the same pixels; otherwise the floor does not use lrn-img's settings.
"$jcopy" big.jpg check-copy.jpg -q 90
"$lrn" big.jpg check-lrn.jpg -q 90 --alpha 0
if cmp -s check-copy.jpg check-lrn.jpg; then same_lrn="byte-identical"; else same_lrn="DIFFERENT"; fi
same_tj="not built"
if [[ -n $tjcopy ]]; then
  "$tjcopy" big.jpg check-tj.jpg -q 90
  if cmp -s check-copy.jpg check-tj.jpg; then same_tj="byte-identical"; else same_tj="DIFFERENT"; fi
fi
rm -f check-*.jpg

# ---- Measuring ----------------------------------------------------------------------------
# Quote a word for hyperfine -N, which splits its command strings like a POSIX shell.
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# interleave NAME ROUNDS RUNS WARMUP CMD...: ROUNDS hyperfine calls, each timing every CMD
# RUNS times (after WARMUP untimed runs). Leaves one wall time per line in NAME.K.wall (K =
# index of CMD, from 0) and one user+system mean per round in NAME.K.cpu, all in seconds.
interleave() {
  local name=$1 rounds=$2 runs=$3 warmup=$4
  shift 4
  local k
  for ((k = 0; k < $#; ++k)); do : >"$name.$k.wall"; : >"$name.$k.cpu"; done
  local r
  for ((r = 1; r <= rounds; ++r)); do
    [[ -t 2 ]] && printf '\rbench_e2e: %s round %d/%d ' "$name" "$r" "$rounds" >&2
    hyperfine -N --style none --warmup "$warmup" --runs "$runs" --export-json "$name.json" "$@" \
      >/dev/null 2>"$name.err" || { cat "$name.err" >&2; die "hyperfine failed on $name"; }
    # hyperfine's JSON, one result per command, arrays one number a line.
    awk -v base="$name" '
      /"command":/ { k++ }
      /"user":/ { gsub(/[",]/, ""); user = $2 }
      /"system":/ { gsub(/[",]/, ""); print user + $2 >> (base "." (k - 1) ".cpu") }
      /"times": \[/ { in_times = 1; next }
      in_times && /\]/ { in_times = 0 }
      in_times { gsub(/,/, ""); print $1 >> (base "." (k - 1) ".wall") }
    ' "$name.json"
  done
  [[ -t 2 ]] && printf '\r\033[K' >&2
  return 0
}

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
count() { wc -l <"$1" | tr -d ' '; }

# peak_rss CMD...: median peak RSS in KiB over RSS_RUNS runs under GNU time.
peak_rss() {
  local i
  : >rss.tmp
  for ((i = 0; i < RSS_RUNS; ++i)); do
    /usr/bin/time -f %M -o rss.one "$@" >/dev/null 2>&1 || die "failed: $*"
    tail -n 1 rss.one >>rss.tmp
  done
  median rss.tmp
}

# ---- Figures 2 and 4: 12 MP JPEG, 12 MP .npy ----------------------------------------------
say "figure 2: 12 MP JPEG, $ROUNDS interleaved rounds"
jpeg_cmds=("$(q "$lrn") big.jpg out.jpg -q 90" "$(q "$lrn") big.jpg out-t1.jpg -q 90 -t 1"
           "$(q "$jcopy") big.jpg copy.jpg -q 90")
[[ -n $tjcopy ]] && jpeg_cmds+=("$(q "$tjcopy") big.jpg tj.jpg -q 90")
interleave jpeg "$ROUNDS" 1 1 "${jpeg_cmds[@]}"

say "figure 4: 12 MP .npy, $ROUNDS interleaved rounds"
interleave npy "$ROUNDS" 1 1 "$(q "$lrn") big.npy out.npy" "$(q "$lrn") big.npy out-t1.npy -t 1" \
  "dd if=big.npy of=copy.npy bs=1M"

# Figure 4 again with both outputs on a tmpfs (/dev/shm), when there is one: writing 144 MB
# to disk is the noisiest part of that figure, and this row shows the run without it.
if [[ -d /dev/shm && -w /dev/shm ]] && shm=$(mktemp -d /dev/shm/lrn-bench.XXXXXX 2>/dev/null); then
  say "figure 4 on a tmpfs ($shm): $ROUNDS interleaved rounds"
  interleave npyshm "$ROUNDS" 1 1 "$(q "$lrn") big.npy $(q "$shm/out.npy")" \
    "dd if=big.npy of=$(q "$shm/copy.npy") bs=1M"
else
  shm=""
  say "no writable /dev/shm: figure 4's tmpfs row is skipped"
fi

say "figure 5: rocket.jpg, $SMALL_ROUNDS rounds x $SMALL_RUNS runs"
interleave small "$SMALL_ROUNDS" "$SMALL_RUNS" 3 "$(q "$lrn") $(q "$rocket") rocket-out.jpg" \
  "$(q "$jcopy") $(q "$rocket") rocket-copy.jpg" "$(q "$lrn") $(q "$rocket") rocket-out-t1.jpg -t 1"

say "batch figure: 32 photos (rocket.jpg copies), -j 1 vs -j 2, $ROUNDS rounds"
mkdir -p photos batch1 batch2
for i in $(seq -w 1 32); do cp "$rocket" "photos/p$i.jpg"; done
ls "$work"/photos/*.jpg >photos.txt
interleave batch "$ROUNDS" 1 1 \
  "$(q "$lrn") --files-from photos.txt -O batch1 -j 1 -t 1 --quiet" \
  "$(q "$lrn") --files-from photos.txt -O batch2 -j 2 -t 1 --quiet"

say "peak RSS, $RSS_RUNS runs each"
rss_lrn=$(peak_rss "$lrn" big.jpg out.jpg -q 90)
rss_lrn1=$(peak_rss "$lrn" big.jpg out-t1.jpg -q 90 -t 1)
rss_copy=$(peak_rss "$jcopy" big.jpg copy.jpg -q 90)
rss_tj=""; [[ -n $tjcopy ]] && rss_tj=$(peak_rss "$tjcopy" big.jpg tj.jpg -q 90)
rss_npy=$(peak_rss "$lrn" big.npy out.npy)
rss_npy1=$(peak_rss "$lrn" big.npy out-t1.npy -t 1)
rss_dd=$(peak_rss dd if=big.npy of=copy.npy bs=1M)
rss_small=$(peak_rss "$lrn" "$rocket" rocket-out.jpg)
rss_small_copy=$(peak_rss "$jcopy" "$rocket" rocket-copy.jpg)

kernel_table=""
if [[ -x $kbench ]]; then
  say "kernel bench ($kbench --runs $KERNEL_RUNS)"
  kernel_table=$("$kbench" --runs "$KERNEL_RUNS")
fi

# ---- Report -------------------------------------------------------------------------------
ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# verdict VALUE OP LIMIT
verdict() { awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { ok = op == "<=" ? v <= l : v < l; print ok ? "PASS" : "FAIL" }'; }
cpu() { ms "$(median "$1")"; }

w() { median "$1.wall"; }
j_lrn=$(w jpeg.0); j_lrn1=$(w jpeg.1); j_copy=$(w jpeg.2)
n_lrn=$(w npy.0); n_lrn1=$(w npy.1); n_dd=$(w npy.2)
s_lrn=$(w small.0); s_copy=$(w small.1); s_lrn1=$(w small.2)

r2=$(ratio "$j_lrn" "$j_copy"); r2t=$(ratio "$j_lrn1" "$j_copy")
r4=$(ratio "$n_lrn" "$n_dd"); r4t=$(ratio "$n_lrn1" "$n_dd")
r5=$(ratio "$s_lrn" "$s_copy"); r5t=$(ratio "$s_lrn1" "$s_copy")
limit_rss=$((12 * 1024))  # KiB: 12 MB as GNU time's %M counts (KiB)

echo "## lrn-img end-to-end figures"
echo
echo "$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (a busy machine inflates every figure; rerun when it is quiet)."
echo "Wall times: medians of $(count jpeg.0.wall) interleaved runs (12 MP), $(count small.0.wall) (rocket); peak RSS: median of $RSS_RUNS. CPU = user+system."
echo "Floor settings check: lrn-img --alpha 0 (identity) output vs jpeg_copy: $same_lrn; tj_copy vs jpeg_copy: $same_tj."
echo
echo "| figure | lrn-img run | floor (what it is compared to) | target | lrn-img median | floor median | ratio | result |"
echo "|---|---|---|---|---:|---:|---:|---|"
echo "| 2 | \`big.jpg out.jpg -q 90\` (12 MP) | jpeg_copy: streaming libjpeg decode+encode | <= 1.05x | $(ms "$j_lrn") | $(ms "$j_copy") | $r2 | $(verdict "$r2" "<=" 1.05) |"
if [[ -n $tjcopy ]]; then
  j_tj=$(w jpeg.3); r2tj=$(ratio "$j_lrn" "$j_tj")
  echo "| 2 | \`big.jpg out.jpg -q 90\` | tj_copy: whole-image TurboJPEG decode+encode | < 1.00x | $(ms "$j_lrn") | $(ms "$j_tj") | $r2tj | $(verdict "$r2tj" "<" 1) |"
else
  echo "| 2 | \`big.jpg out.jpg -q 90\` | tj_copy (not built: no libturbojpeg) | < 1.00x | $(ms "$j_lrn") | - | - | SKIPPED |"
fi
echo "| 2 (info) | same, \`-t 1\` | jpeg_copy | (<= 1.05x) | $(ms "$j_lrn1") | $(ms "$j_copy") | $r2t | info |"
echo "| 2 (info) | CPU time, default / \`-t 1\` | jpeg_copy CPU | | $(cpu jpeg.0.cpu) / $(cpu jpeg.1.cpu) | $(cpu jpeg.2.cpu) | $(ratio "$(median jpeg.0.cpu)" "$(median jpeg.2.cpu)") | info |"
echo "| 3 | peak RSS of run 2 | | <= 12 MB | $(mb "$rss_lrn") | | | $(verdict "$rss_lrn" "<=" "$limit_rss") |"
echo "| 3 (info) | peak RSS, \`-t 1\` | jpeg_copy / tj_copy | (<= 12 MB) | $(mb "$rss_lrn1") | $(mb "$rss_copy")${rss_tj:+ / $(mb "$rss_tj")} | | info |"
echo "| 4 | \`big.npy out.npy\` (4000x3000x3 float32, 144 MB) | \`dd if=big.npy of=copy.npy bs=1M\` | <= 1.3x | $(ms "$n_lrn") | $(ms "$n_dd") | $r4 | $(verdict "$r4" "<=" 1.3) |"
echo "| 4 (info) | same, \`-t 1\` | dd | (<= 1.3x) | $(ms "$n_lrn1") | $(ms "$n_dd") | $r4t | info |"
if [[ -n $shm ]]; then
  t_lrn=$(w npyshm.0); t_dd=$(w npyshm.1)
  echo "| 4 (info) | same, OUT on a tmpfs (/dev/shm) | dd, OUT on the tmpfs | (<= 1.3x) | $(ms "$t_lrn") | $(ms "$t_dd") | $(ratio "$t_lrn" "$t_dd") | info |"
fi
echo "| 4 (info) | CPU time, default / \`-t 1\` | dd CPU | | $(cpu npy.0.cpu) / $(cpu npy.1.cpu) | $(cpu npy.2.cpu) | | info |"
echo "| 4 (info) | peak RSS, default / \`-t 1\` | dd | | $(mb "$rss_npy") / $(mb "$rss_npy1") | $(mb "$rss_dd") | | info |"
echo "| 5 | \`samples/rocket.jpg out.jpg\` (640x427), process start included | jpeg_copy, same | <= 1.05x | $(ms "$s_lrn") | $(ms "$s_copy") | $r5 | $(verdict "$r5" "<=" 1.05) |"
echo "| 5 (info) | same, \`-t 1\` | jpeg_copy | (<= 1.05x) | $(ms "$s_lrn1") | $(ms "$s_copy") | $r5t | info |"
echo "| 5 (info) | peak RSS | jpeg_copy | | $(mb "$rss_small") | $(mb "$rss_small_copy") | | info |"
b_j1=$(w batch.0); b_j2=$(w batch.1); rb=$(ratio "$b_j1" "$b_j2")
echo "| batch | 32 photos 640x427, \`-j 2 -t 1\` vs \`-j 1 -t 1\` | throughput ratio (time -j 1 / time -j 2) | >= 1.7x | $(ms "$b_j2") | $(ms "$b_j1") | $rb | $(awk -v r="$rb" 'BEGIN { print ((r + 0 >= 1.7) ? "PASS" : "FAIL") }') |"
if [[ -n $kernel_table ]]; then
  echo
  echo "### Kernel alone (bench_kernel --runs $KERNEL_RUNS)"
  echo
  echo "$kernel_table"
fi
