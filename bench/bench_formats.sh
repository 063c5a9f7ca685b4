#!/usr/bin/env bash
# TIFF, WebP and PNM through lrn-img against codec-only floors, in one run (issue 15):
#   - a 12 MP 16-bit RGB TIFF (deflate) through lrn-img, against tiff_copy (libtiff read + write
#     with lrn-img's deflate settings, whole strips as lrn-img); for information also against
#     tiff_copy of lrn-img's own output (the same pixels to compress) and tiff_copy --scanline
#     (row by row, which makes libtiff use zlib instead of libdeflate);
#   - a 12 MP lossy WebP through lrn-img (quality 90), against webp_copy (libwebp decode + encode
#     at quality 90);
#   - peak RSS of lrn-img on the streaming formats (12 MP 16-bit TIFF in strips, 16-bit PPM) and
#     on WebP (held whole by libwebp 1.2).
# Times are medians of ROUNDS alternating runs (lrn-img, floor, lrn-img, ...), -t 1 so neither
# side gets more cores. Prints a markdown table. Usage: bash bench/bench_formats.sh [BUILD_DIR]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
lrn=$build/lrn-img
rounds=${ROUNDS:-5}
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/lrn-formats-XXXXXX")}
mkdir -p "$work"
cd "$work"
if [[ ! -f big16.tif ]]; then
  # A photo-like 12 MP 16-bit image: smooth gradients plus noise, written by tifffile (deflate).
  /usr/bin/python3 - <<'PY'
import numpy as np, tifffile
rng = np.random.default_rng(7)
y, x = np.mgrid[0:3000, 0:4000].astype(np.float32)
base = np.stack([x * 16, y * 21, (x + y) * 8], axis=-1) % 65536
img = np.clip(base + rng.normal(0, 600, base.shape), 0, 65535).astype(np.uint16)
tifffile.imwrite("big16.tif", img, photometric="rgb", compression="zlib", rowsperstrip=16)
tifffile.imwrite("big16_raw.tif", img, photometric="rgb")
with open("big16.ppm", "wb") as f:
    f.write(b"P6\n4000 3000\n65535\n" + img.astype(">u2").tobytes())
from PIL import Image
Image.fromarray((img >> 8).astype(np.uint8), "RGB").save("big.webp", quality=90)
PY
fi
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
time_pair() {  # name, then two commands as strings
  local a=() b=()
  for ((i = 0; i < rounds; i++)); do
    local t0 t1 t2
    t0=$(now); eval "$2" >/dev/null; t1=$(now); eval "$3" >/dev/null; t2=$(now)
    a+=("$(echo "$t1 - $t0" | bc -l)"); b+=("$(echo "$t2 - $t1" | bc -l)")
  done
  local ma mb
  ma=$(printf '%s\n' "${a[@]}" | median); mb=$(printf '%s\n' "${b[@]}" | median)
  printf '| %s | %.3f s | %.3f s | %.2fx |\n' "$1" "$ma" "$mb" "$(echo "$ma / $mb" | bc -l)"
}
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
echo "| run | lrn-img | floor | ratio |"
echo "|---|---|---|---|"
time_pair "12 MP 16-bit TIFF, deflate -> TIFF (floor: tiff_copy)" \
  "$lrn big16.tif out16.tif -t 1" "$build/bench/tiff_copy big16.tif copy16.tif"
# LRN changes the pixels and so what deflate has to compress; --alpha 0 (the identity) gives
# the floor's own data, which separates lrn-img's overhead from the content's.
time_pair "the same, --alpha 0 (identity: the same pixels to compress)" \
  "$lrn big16.tif id16.tif -t 1 --alpha 0" "$build/bench/tiff_copy big16.tif copy16.tif"
# The copy of the data lrn-img writes: LRN's output compresses differently from the input.
time_pair "the same, floor: tiff_copy of lrn-img's output (out16.tif)" \
  "$lrn big16.tif out16b.tif -t 1" "$build/bench/tiff_copy out16.tif copyout16.tif"
time_pair "the same, floor: tiff_copy --scanline (row by row: zlib, not libdeflate)" \
  "$lrn big16.tif out16b.tif -t 1" "$build/bench/tiff_copy big16.tif copy16.tif --scanline"
time_pair "12 MP lossy WebP -> WebP q90 (floor: webp_copy)" \
  "$lrn big.webp out.webp -t 1" "$build/bench/webp_copy big.webp copy.webp 90"
time_pair "the same, --alpha 0 (identity)" \
  "$lrn big.webp id.webp -t 1 --alpha 0" "$build/bench/webp_copy big.webp copy.webp 90"
echo
echo "| peak RSS of lrn-img | MB |"
echo "|---|---|"
for run in "big16.tif out16.tif" "big16_raw.tif out16.tif" "big16.ppm out16.ppm" "big.webp out.webp"; do
  # shellcheck disable=SC2086
  printf '| %s | %.1f |\n' "$run" "$(echo "$(peak "$lrn" $run -t 1) / 1024" | bc -l)"
done
[[ -n ${WORK:-} ]] || rm -rf "$work"
