#!/usr/bin/env bash
# Runs the `// RUN:` lines of one .mlir test (a tiny lit): %s is the file, duet-opt and
# FileCheck are replaced by the paths Bazel passes. Every RUN line runs, failures are counted,
# and the closing line says how many ran and failed (a file without RUN lines fails).
# Usage: mlir_test.sh FILE DUET_OPT FILECHECK
set -uo pipefail
file="$1"; opt="$(realpath "$2")"; filecheck="$(realpath "$3")"
mapfile -t runs < <(sed -n 's|^// RUN: *||p' "$file")
[ ${#runs[@]} -gt 0 ] || { echo "no RUN lines in $file"; echo "0 passed, 1 failed"; exit 1; }
passed=0; failed=0
for cmd in "${runs[@]}"; do
  cmd="${cmd//%s/$file}"
  cmd="${cmd//duet-opt/$opt}"
  cmd="${cmd//FileCheck/$filecheck}"
  echo "RUN: $cmd"
  if bash -o pipefail -c "$cmd"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $cmd"; fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
