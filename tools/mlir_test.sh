#!/usr/bin/env bash
# Runs the `// RUN:` lines of one .mlir test (a tiny lit): %s is the file, duet-opt and
# FileCheck are replaced by the paths Bazel passes. Usage: mlir_test.sh FILE DUET_OPT FILECHECK
set -euo pipefail
file="$1"; opt="$(realpath "$2")"; filecheck="$(realpath "$3")"
mapfile -t runs < <(sed -n 's|^// RUN: *||p' "$file")
[ ${#runs[@]} -gt 0 ] || { echo "no RUN lines in $file"; exit 1; }
for cmd in "${runs[@]}"; do
  cmd="${cmd//%s/$file}"
  cmd="${cmd//duet-opt/$opt}"
  cmd="${cmd//FileCheck/$filecheck}"
  echo "RUN: $cmd"
  bash -o pipefail -c "$cmd"
done
echo "1 passed, 0 failed"
