#!/usr/bin/env bash
# End-to-end figures of lrn-img --method (issue 13) against the streaming libjpeg copy floor.
#
# Usage: bash bench/bench_family_e2e.sh [BUILD_DIR]     (BUILD_DIR defaults to "build")
# Needs BUILD_DIR/lrn-img and BUILD_DIR/bench/jpeg_copy (-DLRN_IMG_BUILD_BENCH=ON), hyperfine,
# ImageMagick's convert and GNU time (bash .ci/install-deps --bench).
# Environment: WORK=DIR (inputs kept there), ROUNDS=N [7], RSS_RUNS=N [3].
# Every round times each command once (hyperfine, after one warm-up), so load drift hits all
# alike; figures are medians over rounds, ratios against jpeg_copy's median of the same run.
# Prints markdown on stdout. Exit 0 even when a target is missed: a benchmark, not a test.
set -euo pipefail
die() { echo "bench_family_e2e: $*" >&2; exit 2; }
build=${1:-build}
[[ $build = /* ]] || build=$PWD/$build
lrn=$build/lrn-img jcopy=$build/bench/jpeg_copy
[[ -x $lrn && -x $jcopy ]] || die "needs $lrn and $jcopy (configure with -DLRN_IMG_BUILD_BENCH=ON)"
for tool in hyperfine convert /usr/bin/time; do command -v "$tool" >/dev/null || die "'$tool' is missing"; done
ROUNDS=${ROUNDS:-7}
RSS_RUNS=${RSS_RUNS:-3}
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/lrn-family-bench.XXXXXX")}
mkdir -p "$work" && cd "$work"
[[ -s big.jpg ]] || convert -seed 7 -size 4000x3000 plasma:fractal -quality 92 big.jpg
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

names=(jpeg_copy spatial-lrn lcn gcn "spatial-lrn -t 1" "lcn -t 1" "gcn -t 1")
cmds=("$jcopy big.jpg out.jpg -q 90")
for m in spatial-lrn lcn gcn; do cmds+=("$lrn big.jpg out.jpg -q 90 --method $m"); done
for m in spatial-lrn lcn gcn; do cmds+=("$lrn big.jpg out.jpg -q 90 --method $m -t 1"); done
for ((k = 0; k < ${#cmds[@]}; ++k)); do : >"t.$k"; done
for ((r = 1; r <= ROUNDS; ++r)); do
  hyperfine -N --style none --warmup 1 --runs 1 --export-json round.json "${cmds[@]}" >/dev/null 2>&1 ||
    die "hyperfine failed"
  awk '/"command":/ { k++ } /"times": \[/ { t = 1; next } t && /\]/ { t = 0 } t { gsub(/,/, ""); print $1 >> ("t." (k - 1)) }' round.json
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rss() {
  : >rss.tmp
  for ((i = 0; i < RSS_RUNS; ++i)); do /usr/bin/time -f %M -o rss.one $1 >/dev/null 2>&1; tail -n 1 rss.one >>rss.tmp; done
  median rss.tmp
}
floor=$(median t.0)
targets=("" "<= 1.2x, <= 16 MB" "<= 1.5x, <= 16 MB" "<= 2.2x, <= 48 MB" info info info)
echo "12 MP RGB JPEG (4000x3000), $ROUNDS interleaved rounds, load average at start $load_start, $(nproc) cores"
echo
echo "| run | median | ratio to jpeg_copy | peak RSS | target |"
echo "|---|---:|---:|---:|---|"
for ((k = 0; k < ${#cmds[@]}; ++k)); do
  t=$(median "t.$k")
  kb=$(rss "${cmds[$k]}")
  awk -v n="${names[$k]}" -v t="$t" -v f="$floor" -v kb="$kb" -v tg="${targets[$k]}" \
    'BEGIN { printf "| %s | %.1f ms | %.3f | %.1f MB | %s |\n", n, t * 1000, t / f, kb / 1024, tg }'
done
echo
echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
