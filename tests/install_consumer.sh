#!/bin/sh
# The library as a user gets it: a staged `cmake --install`, then examples/api (the example in
# docs/api.md) built outside the source tree with find_package, statically through
# find_package, and with pkg-config; each run on a sample must write the CLI's bytes and match
# its float64 loop. Usage: install_consumer.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1 build=$2
work=$build/consumer
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
sample=$src/samples/rocket.jpg
"$build/lrn-img" --convention torch --size 5 --alpha 1e-4 "$sample" "$work/cli.png"
run() {  # NAME EXE
  LD_LIBRARY_PATH=$work/prefix/lib:$work/prefix/lib/x86_64-linux-gnu "$2" "$sample" "$work/$1.png"
  cmp "$work/cli.png" "$work/$1.png"
  echo "$1: same bytes as the CLI"
}
cmake -S "$src/examples/api" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
run find_package "$work/cmake/example"
ldd "$work/cmake/example" | grep -q 'liblrn_img.so.1 ' || { echo "not linked to liblrn_img.so.1"; exit 1; }
sed 's/lrn_img::lrn_img)/lrn_img::lrn_img_static)/' "$src/examples/api/CMakeLists.txt" > "$work/static.txt"
mkdir -p "$work/static-src" && cp "$src/examples/api/example.cpp" "$work/static-src/" &&
  cp "$work/static.txt" "$work/static-src/CMakeLists.txt"
cmake -S "$work/static-src" -B "$work/cmake-static" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-static" >/dev/null
if ldd "$work/cmake-static/example" | grep -q liblrn_img; then echo "static build links the .so"; exit 1; fi
run find_package_static "$work/cmake-static/example"
pc=$(ls -d "$work"/prefix/lib*/pkgconfig "$work"/prefix/lib/*/pkgconfig 2>/dev/null | head -1)
export PKG_CONFIG_PATH=$pc
c++ -std=c++17 "$src/examples/api/example.cpp" -o "$work/pkgconfig-example" $(pkg-config --cflags --libs lrn_img)
run pkg_config "$work/pkgconfig-example"
# docs/api.md shows examples/api/example.cpp whole.
python3 - "$src" <<'PY'
import sys
src = sys.argv[1]
doc = open(f"{src}/docs/api.md").read()
code = open(f"{src}/examples/api/example.cpp").read()
assert code in doc, "docs/api.md no longer shows examples/api/example.cpp as it is"
print("docs/api.md shows the example")
PY
