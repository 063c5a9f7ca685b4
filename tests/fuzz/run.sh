#!/usr/bin/env bash
# Runs the libFuzzer harnesses for SECONDS in all, split evenly (a new harness does not
# lengthen CI), each on a copy of its seed corpus; exits 1 on any finding (crash, leak,
# timeout, out of memory), leaving the input under $WORK/artifacts.
# Usage: tests/fuzz/run.sh SECONDS [BUILD_DIR]   (BUILD_DIR: a -DLRN_IMG_FUZZ=ON build,
# default build-fuzz). New inputs go to a temporary copy, never into tests/fuzz/corpus.
set -euo pipefail
seconds=${1:?usage: tests/fuzz/run.sh SECONDS [BUILD_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${2:-$here/../../build-fuzz}" && pwd)
work=${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/lrn-fuzz-XXXXXX")}
targets=(decode npy pnm tiff webp options)
each=$(( seconds / ${#targets[@]} ))
(( each >= 1 )) || each=1
echo "fuzzing for ${seconds}s in all, ${each}s per target; work folder $work"
status=0
for target in "${targets[@]}"; do
  bin="$build/tests/fuzz/fuzz_$target"
  [[ -x $bin ]] || { echo "missing $bin (build with -DLRN_IMG_FUZZ=ON)" >&2; exit 2; }
  mkdir -p "$work/$target" "$work/artifacts"
  cp -r "$here/corpus/$target/." "$work/$target/"
  dict=()
  [[ -f $here/$target.dict ]] && dict=(-dict="$here/$target.dict")
  # 2 GB and 10 s per input are far above what the harnesses' small budgets allow.
  if ! "$bin" "$work/$target" "${dict[@]}" -max_total_time="$each" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-" \
      > "$work/$target.log" 2>&1; then
    status=1
    echo "fuzz_$target: FINDING (log: $work/$target.log)" >&2
    grep -E -A30 'ERROR|runtime error|SUMMARY' "$work/$target.log" | head -60 >&2 || true
  fi
  # libFuzzer's last status line (coverage, features, corpus) and its final stats.
  echo "fuzz_$target: $(grep -E '^#[0-9]+' "$work/$target.log" | tail -1)"
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/$target.log" |
    sed "s/^/  /"
done
exit $status
