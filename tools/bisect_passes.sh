#!/usr/bin/env bash
# tools/bisect_passes.sh CMD [ARGS...]: finds the compiler rewrite that breaks CMD (a program or
# test that exits non-zero when wrong). The passes number their rewrites in the order they make
# them, and DUET_BISECT=N applies only the first N (compiler/rewrite_budget.h): CMD must pass
# with DUET_BISECT=0 and fail with every rewrite; the first N that fails names the rewrite.
# Assumes CMD compiles the same functions in the same order each run (one thread tracing).
# Example: tools/bisect_passes.sh bazel-bin/tests/function_test --gtest_filter=Suite.Case
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: tools/bisect_passes.sh CMD [ARGS...]" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passes() { DUET_BISECT="$1" "${@:2}" >/dev/null 2>"$log"; }

if ! passes 0 "$@"; then
  echo "bisect: CMD fails even with no rewrites (DUET_BISECT=0): the passes are not to blame"
  exit 2
fi
passes 999999999 "$@"; all=$?
total=$(grep -c '^duet: bisect: rewrite #' "$log" || true)
if [ "$all" -eq 0 ]; then
  echo "bisect: CMD passes with all $total rewrites"
  exit 2
fi
lo=0 hi=$total  # CMD passes with lo rewrites and fails with hi
while ((hi - lo > 1)); do
  mid=$(((lo + hi) / 2))
  if passes "$mid" "$@"; then lo=$mid; else hi=$mid; fi
done
passes "$hi" "$@"
line=$(grep -m1 "^duet: bisect: rewrite #$hi " "$log")
echo "bisect: the first bad rewrite is #$hi of $total: ${line#duet: bisect: rewrite #$hi }"
echo "bisect: DUET_BISECT=$lo passes, DUET_BISECT=$hi fails; add DUET_DUMP=1 to see the IR"
