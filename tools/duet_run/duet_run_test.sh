#!/bin/bash
# duet-run end to end: exports an MLP (tools/examples/export_mlp), then runs the CLI for each
# case and checks exit code and message: success (output identical to the in-process run),
# --info, --bench, usage errors (exit 2, usage on stderr), bad files (exit 1, file named).
set -u
RUN="$1"
EXPORT="$2"
T="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect CODE PATTERN ARGS...: runs duet-run; checks the exit code and that stdout+stderr match.
expect() {
  local code="$1" pattern="$2"
  shift 2
  "$RUN" "$@" >"$T/out" 2>"$T/err"
  local got=$?
  if [ "$got" != "$code" ]; then fail "duet-run $* exited $got, want $code: $(cat "$T/err")"; return; fi
  if [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$T/out" "$T/err"; then fail "duet-run $*: no '$pattern' in: $(cat "$T/out" "$T/err")"; fi
}

"$EXPORT" "$T/mlp" >/dev/null || { echo "FAIL: export_mlp"; exit 1; }

expect 0 "(input_0: float32(-1, 784)) -> (output_0: float32(-1, 10))" --info "$T/mlp"
expect 0 "" "$T/mlp" "$T/mlp.x.npy" -o "$T/y.npy"
cmp -s "$T/y.npy" "$T/mlp.y.npy" || fail "duet-run's output differs from the model's in-process output"
expect 0 "median latency:" --bench 5 "$T/mlp" "$T/mlp.x.npy"

expect 2 "usage: duet-run DIR" 
expect 2 "unknown option '--fast'" --fast "$T/mlp"
expect 2 "--bench wants a count" --bench abc "$T/mlp" "$T/mlp.x.npy"
expect 2 "-o needs a value" "$T/mlp" "$T/mlp.x.npy" -o
expect 2 "no output given" "$T/mlp" "$T/mlp.x.npy"
expect 2 "the model takes 1 inputs" "$T/mlp" -o "$T/y.npy"
expect 2 "the model has 1 outputs, got 2 -o" "$T/mlp" "$T/mlp.x.npy" -o "$T/a.npy" -o "$T/b.npy"
grep -qF "usage:" "$T/err" || fail "a usage error does not print the usage"

expect 1 "$T/missing.npy" "$T/mlp" "$T/missing.npy" -o "$T/y.npy"
echo "not a numpy file" >"$T/garbage.npy"
expect 1 "$T/garbage.npy" "$T/mlp" "$T/garbage.npy" -o "$T/y.npy"
expect 1 "input 0 ('input_0') is float32(3, 10) but the signature wants float32(-1, 784)" \
  "$T/mlp" "$T/mlp.y.npy" -o "$T/y.npy"
expect 1 "$T/nowhere/saved_model.json" "$T/nowhere" "$T/mlp.x.npy" -o "$T/y.npy"
expect 1 "$T/no/such/dir/y.npy" "$T/mlp" "$T/mlp.x.npy" -o "$T/no/such/dir/y.npy"

if [ "$failures" != 0 ]; then echo "$failures failures"; exit 1; fi
echo "all duet-run cases pass"
