// A program tools/bisect_passes.sh bisects in its test (tests/bisect_passes_test.sh): with the
// deliberately wrong pass of //compiler:test_miscompile in the pipeline, it computes
// (x + y) * y through a function and exits 1 when the result is wrong.
#include <cmath>
#include <cstdio>

#include "api/duet.h"
#include "compiler/compile.h"

int main() {
  using namespace duet;
  compiler::SetExtraPassesForTesting({"test-miscompile-mul"});
  auto f = function([](Tensor x, Tensor y) { return exp(x - y) + (x + y) * y; });
  float got = f(constant({2.f}), constant({2.f})).item<float>();
  std::printf("got %g, want 9\n", got);
  return std::abs(got - 9.f) < 1e-4f ? 0 : 1;
}
