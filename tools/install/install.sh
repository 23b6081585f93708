#!/bin/bash
# Installs duet as a library outside Bazel: PREFIX/lib/libduet.so, the headers api/duet.h needs
# (PREFIX/include/duet/api/duet.h, ...; users write #include "api/duet.h"), the CMake package
# (PREFIX/lib/cmake/duet: find_package(duet) -> duet::duet) and PREFIX/lib/pkgconfig/duet.pc.
# Installing again replaces the previous install's files (stale headers included).
# Example: bazel run //tools/install -- --prefix /opt/duet     (./dev install-lib does this)
set -euo pipefail

usage() { echo "usage: install --prefix DIR" >&2; exit 2; }
[ $# = 2 ] && [ "$1" = --prefix ] && [ -n "$2" ] || usage
prefix="$2"
# `bazel run` starts in the runfiles tree; a relative prefix means the caller's directory.
case "$prefix" in /*) ;; *) prefix="${BUILD_WORKING_DIRECTORY:-$PWD}/$prefix" ;; esac

# The installed files, from this script's runfiles (bazel run, a test's data, or bazel-bin).
src=""
for r in "${RUNFILES_DIR:-}" "$0.runfiles" "${TEST_SRCDIR:-}" "$PWD/.."; do
  if [ -n "$r" ] && [ -f "$r/duet/tools/install/libduet.so" ]; then src="$r/duet/tools/install"; break; fi
done
[ -n "$src" ] || { echo "install: libduet.so not found next to $0 (run it with bazel run)" >&2; exit 1; }
version="$(cat "$src/VERSION")"

# Each file goes in under a temporary name and is renamed into place, so an interrupted install
# never leaves a half-written library, header tree or config behind.
put() {  # put SRC DEST MODE
  install -D -m "$3" "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}
mkdir -p "$prefix/lib/cmake/duet" "$prefix/lib/pkgconfig" "$prefix/include"
put "$src/libduet.so" "$prefix/lib/libduet.so" 755

tmp="$prefix/include/duet.tmp.$$"
rm -rf "$tmp"; cp -RL "$src/include" "$tmp"; chmod -R u+w,a+rX "$tmp"
printf '// <duet/duet.h>: the same as "api/duet.h".\n#pragma once\n#include "api/duet.h"\n' >"$tmp/duet.h"
rm -rf "$prefix/include/duet"; mv "$tmp" "$prefix/include/duet"

put "$src/duetConfig.cmake" "$prefix/lib/cmake/duet/duetConfig.cmake" 644
cmake -DVERSION="$version" -DOUT="$prefix/lib/cmake/duet/duetConfigVersion.cmake.tmp.$$" \
      -P "$src/write_version.cmake"
mv -f "$prefix/lib/cmake/duet/duetConfigVersion.cmake.tmp.$$" "$prefix/lib/cmake/duet/duetConfigVersion.cmake"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" "$src/duet.pc.in" >"$prefix/lib/pkgconfig/duet.pc.tmp.$$"
mv -f "$prefix/lib/pkgconfig/duet.pc.tmp.$$" "$prefix/lib/pkgconfig/duet.pc"
echo "installed duet $version in $prefix ($(find "$prefix/include/duet" -type f | wc -l) headers)"
