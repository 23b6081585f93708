#!/usr/bin/env bash
# tools/bisect_passes.sh finds the wrong pass's rewrite in tests/bisect_demo.
set -euo pipefail
out=$("$1" "$2")
echo "$out"
grep -q "the first bad rewrite is #[0-9]* of [0-9]*: by test-miscompile-mul: duet.mul at" <<<"$out"
