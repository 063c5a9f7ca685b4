#!/usr/bin/env bash
# Time and peak memory of lrn-img on each header bomb of tests/data/hostile (the README table
# there that has a "peak" column), from the file, from stdin, and from the file with --lenient.
#
# Usage: bash bench/bench_hostile.sh [BUILD_DIR or LRN_IMG_BINARY]   (default "build")
# Needs GNU time (/usr/bin/time; bash .ci/install-deps --bench). Builds nothing.
#
# Environment (all optional):
#   TIMEOUT=S        seconds before a run is killed [60]
#   MAX_VMEM_KB=N    address-space limit per run (ulimit -v), so that an old binary measured
#                    for comparison cannot take the machine down [8388608 = 8 GiB]; a run that
#                    hits it fails to allocate and shows what it got to
#
# Prints a markdown table on stdout; exit status 0 even when a run is over its budget (the
# budgets are asserted by tests/test_hostile.cpp; time is only measured here).
set -euo pipefail

die() { echo "bench_hostile: $*" >&2; exit 2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${1:-build}
if [[ -d $target ]]; then lrn=$target/lrn-img; else lrn=$target; fi
[[ -x $lrn ]] || die "no lrn-img at '$lrn' (build it first)"
[[ -x /usr/bin/time ]] || die "GNU time is missing: bash .ci/install-deps --bench"
timeout_s=${TIMEOUT:-60}
vmem=${MAX_VMEM_KB:-8388608}
hostile=$repo/tests/data/hostile
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Header bombs: rows "| `file` | ... |" with 7 cells; the last is the allowed peak in MB. A
# `-` under --lenient (a file with a few real rows, which --lenient really decodes in full)
# skips that run.
mapfile -t rows < <(awk -F'|' '/^\| `/ && NF >= 9 {
  f = $2; gsub(/[ `]/, "", f); p = $8; gsub(/[^0-9]/, "", p); l = $5; gsub(/ /, "", l)
  print f, p, (l == "-" ? "no" : "yes") }' "$hostile/README.md")
[[ ${#rows[@]} -gt 0 ]] || die "no header bombs in $hostile/README.md"

echo "binary: \`$lrn\`; load: $(cut -d' ' -f1-3 /proc/loadavg); limits: ${timeout_s} s, ulimit -v ${vmem} KiB"
echo
echo "| file | input | exit | wall s | peak RSS MB | allowed MB |"
echo "|---|---|---:|---:|---:|---:|"
for row in "${rows[@]}"; do
  read -r file allowed lenient <<<"$row"
  ext=png; [[ $file = *.npy ]] && ext=npy
  for mode in file stdin lenient; do
    [[ $mode = lenient && $lenient = no ]] && continue
    args=("$hostile/$file" "$out/o.$ext"); stdin=/dev/null
    [[ $mode = stdin ]] && { args=(- "$out/o.$ext"); stdin=$hostile/$file; }
    [[ $mode = lenient ]] && args+=(--lenient)
    set +e
    ( ulimit -v "$vmem"; exec /usr/bin/time -f '%e %M' -o "$out/time" \
        timeout -s KILL "$timeout_s" "$lrn" "${args[@]}" <"$stdin" >/dev/null 2>"$out/err" )
    code=$?
    set -e
    wall=?; rss_kb=0
    # GNU time writes "Command exited with non-zero status N" first, then the format line.
    tail -n1 "$out/time" | grep -q '^[0-9.]* [0-9]*$' && read -r wall rss_kb < <(tail -n1 "$out/time")
    awk -v f="$file" -v m="$mode" -v c="$code" -v w="$wall" -v r="$rss_kb" -v a="$allowed" \
      'BEGIN { printf "| `%s` | %s | %s | %s | %.1f | %s |\n", f, m, c, w, r / 1024, a }'
    rm -f "$out/o.$ext"
  done
done
