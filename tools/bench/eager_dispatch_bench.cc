// Eager dispatch overhead: add at several sizes beside a plain C++ loop over the same buffers,
// a [1,1] matmul, and a chain of 10 elementwise ops.
#include <benchmark/benchmark.h>

#include "api/duet.h"
#include "tools/bench/chain10.h"

namespace duet {
namespace {

void BM_EagerAdd(benchmark::State& state) {
  int64_t n = state.range(0);
  Tensor a = random::uniform({n}, 0.f, 1.f, 1), b = random::uniform({n}, 0.f, 1.f, 2);
  for (auto _ : state) benchmark::DoNotOptimize(add(a, b));
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_EagerAdd)->Arg(1)->Arg(1000)->Arg(1000000);

// The floor for add: the same arithmetic as a plain loop over preallocated buffers. Its
// bytes/s (two reads and a write per element) is the machine's bandwidth for that working set:
// [1M] (12 MB) stays in this machine's 32 MB L3, [16M] (192 MB) streams from DRAM.
void BM_PlainLoopAdd(benchmark::State& state) {
  int64_t n = state.range(0);
  Tensor a = random::uniform({n}, 0.f, 1.f, 1), b = random::uniform({n}, 0.f, 1.f, 2);
  std::vector<float> out(n);
  const float* pa = a.data<float>();
  const float* pb = b.data<float>();
  for (auto _ : state) {
    float* po = out.data();
    for (int64_t i = 0; i < n; ++i) po[i] = pa[i] + pb[i];
    benchmark::DoNotOptimize(po);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * 3 * static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_PlainLoopAdd)->Arg(1)->Arg(1000)->Arg(1000000)->Arg(16 << 20);

// The plain loop also paying for a fresh output buffer per call, as an op must.
void BM_PlainLoopAddFreshOutput(benchmark::State& state) {
  int64_t n = state.range(0);
  Tensor a = random::uniform({n}, 0.f, 1.f, 1), b = random::uniform({n}, 0.f, 1.f, 2);
  const float* pa = a.data<float>();
  const float* pb = b.data<float>();
  for (auto _ : state) {
    std::unique_ptr<float[]> out(new float[n]);
    float* po = out.get();
    for (int64_t i = 0; i < n; ++i) po[i] = pa[i] + pb[i];
    benchmark::DoNotOptimize(po);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_PlainLoopAddFreshOutput)->Arg(1000000);

void BM_EagerMatmul1x1(benchmark::State& state) {
  Tensor a = constant({{2.f}}), b = constant({{3.f}});
  for (auto _ : state) benchmark::DoNotOptimize(matmul(a, b));
}
BENCHMARK(BM_EagerMatmul1x1);

// Ten elementwise ops, each allocating its result: what a fused graph will remove.
void BM_EagerChain10(benchmark::State& state) {
  int64_t n = state.range(0);
  Tensor x = random::uniform({n}, 0.f, 1.f, 3);
  for (auto _ : state) benchmark::DoNotOptimize(bench::Chain10(x));
  state.SetItemsProcessed(state.iterations() * n * 10);
}
BENCHMARK(BM_EagerChain10)->Arg(1000)->Arg(1000000);

}  // namespace
}  // namespace duet
