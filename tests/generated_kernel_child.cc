// The child process of generated_kernel_test's disk-cache test: compiles the chain on
// generated kernels (DUET_KERNEL_CACHE names the cache), checks it against eager and prints
// "compiled=N disk_hits=M ok=0|1".
#include <cmath>
#include <cstdio>

#include "api/duet.h"
#include "compiler/codegen/generated_kernels.h"

using namespace duet;

int main() {
  auto chain = [](Tensor x) {
    Tensor y = x * 1.01f;
    y = relu(y + 0.5f) * x;
    y = tanh(y - 0.25f) * 2.f;
    return sigmoid(y + x) * x;
  };
  auto f = function(chain);
  Tensor x = random::uniform({4099}, -2.f, 2.f, 5);
  f(x);
  codegen::WaitForGeneratedKernels();
  Tensor got = f(x), want = chain(x);
  const float* g = static_cast<const float*>(got.raw_data());
  const float* w = static_cast<const float*>(want.raw_data());
  bool ok = codegen::GetGeneratedKernelStats().calls == 1;
  for (int64_t i = 0; i < got.num_elements(); ++i)
    ok = ok && std::abs(g[i] - w[i]) <= 1e-6f + 1e-5f * std::abs(w[i]);
  codegen::GeneratedKernelStats s = codegen::GetGeneratedKernelStats();
  std::printf("compiled=%lld disk_hits=%lld ok=%d\n", static_cast<long long>(s.compiled),
              static_cast<long long>(s.disk_hits), ok ? 1 : 0);
  return 0;
}
