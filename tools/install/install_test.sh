#!/bin/bash
# The installed library, used as a user outside this workspace would: installs with the real
# installer into a scratch prefix, checks the tree (no MLIR/LLVM headers, libduet.so finds its
# dependencies without LD_LIBRARY_PATH), builds example/ with CMake (find_package(duet)) and
# eager.cc again with a plain `g++ $(pkg-config --cflags --libs duet)` line, and runs them:
# eager.cc checks values itself; run_saved_model must reproduce export_mlp's own output exactly.
set -euo pipefail
INSTALL="$1"
EXPORT="$2"
EXAMPLE="$(cd "$(dirname "$3")" && pwd)"
T="${TEST_TMPDIR:-$(mktemp -d)}"
export HOME="${HOME:-$T}"
unset LD_LIBRARY_PATH
P="$T/prefix"

fail() { echo "FAIL: $*"; exit 1; }
step() { echo "--- $*"; }

step "install"
"$INSTALL" --prefix "$P"
for f in lib/libduet.so include/duet/api/duet.h include/duet/duet.h lib/cmake/duet/duetConfig.cmake \
         lib/cmake/duet/duetConfigVersion.cmake lib/pkgconfig/duet.pc; do
  [ -f "$P/$f" ] || fail "the install has no $f"
done
if grep -rlE '#include [<"](mlir|llvm)' "$P/include"; then fail "installed headers include MLIR/LLVM"; fi
[ -z "$(find "$P/include" -path '*mlir*' -o -path '*llvm*')" ] || fail "MLIR/LLVM files installed"
if ldd "$P/lib/libduet.so" | grep 'not found'; then fail "libduet.so's dependencies do not resolve"; fi
nm -D --defined-only "$P/lib/libduet.so" | grep 'saved_model4load' >/dev/null || fail "libduet.so lacks saved_model::load"

step "cmake build of example/"
cmake -S "$EXAMPLE" -B "$T/build" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_BUILD_TYPE=Release >"$T/cmake.log" 2>&1 ||
  { cat "$T/cmake.log"; fail "cmake configure"; }
cmake --build "$T/build" -j 2 >"$T/build.log" 2>&1 || { cat "$T/build.log"; fail "cmake build"; }
ldd "$T/build/eager" | grep "$P/lib/libduet.so" >/dev/null || fail "eager does not load $P/lib/libduet.so"

step "eager (CMake build)"
"$T/build/eager" "$T"

step "run_saved_model (CMake build) on export_mlp's model"
"$EXPORT" "$T/mlp" >/dev/null
"$T/build/run_saved_model" "$T/mlp" "$T/mlp.x.npy" "$T/y.npy"
cmp "$T/y.npy" "$T/mlp.y.npy" || fail "the loaded model's output differs from export_mlp's"
"$T/build/run_saved_model" "$T/missing" "$T/mlp.x.npy" "$T/y2.npy" 2>"$T/err" && fail "a missing export loaded"
grep -qF "$T/missing" "$T/err" || fail "the load error does not name the directory: $(cat "$T/err")"

step "pkg-config build of eager.cc"
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
[ "$(pkg-config --modversion duet)" = "$(cat tools/install/VERSION)" ] || fail "duet.pc's version"
g++ -O1 -o "$T/eager_pc" "$EXAMPLE/eager.cc" $(pkg-config --cflags --libs duet)
"$T/eager_pc" "$T"
echo "PASSED"
