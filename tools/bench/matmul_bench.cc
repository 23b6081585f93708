// The eager guide's benchmark: x = matmul(x, w) 200 times on 1000x1000 float32, through duet
// and through oneDNN's sgemm called directly, in the same run. Counter GFLOPs is per second.
#include <benchmark/benchmark.h>
#include <oneapi/dnnl/dnnl.h>

#include <vector>

#include "api/duet.h"

namespace duet {
namespace {

constexpr int kN = 1000, kSteps = 200;

void SetGflops(benchmark::State& state) {
  state.counters["GFLOPs"] =
      benchmark::Counter(2.0 * kN * kN * kN * kSteps * state.iterations(),
                         benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}

void BM_DuetMatmulLoop(benchmark::State& state) {
  Tensor w = random::normal({kN, kN}, 0.f, 1.f / 32, 1);
  Tensor x0 = random::normal({kN, kN}, 0.f, 1.f, 2);
  benchmark::DoNotOptimize(matmul(x0, w));  // warm the primitive cache
  for (auto _ : state) {
    Tensor x = x0;
    for (int i = 0; i < kSteps; ++i) x = matmul(x, w);
    benchmark::DoNotOptimize(x);
  }
  SetGflops(state);
}
BENCHMARK(BM_DuetMatmulLoop)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DnnlSgemmLoop(benchmark::State& state) {
  Tensor w = random::normal({kN, kN}, 0.f, 1.f / 32, 1);
  Tensor x0 = random::normal({kN, kN}, 0.f, 1.f, 2);
  std::vector<float> a(x0.data<float>(), x0.data<float>() + kN * kN), b(kN * kN);
  for (auto _ : state) {
    std::copy(x0.data<float>(), x0.data<float>() + kN * kN, a.begin());
    for (int i = 0; i < kSteps; ++i) {
      dnnl_sgemm('N', 'N', kN, kN, kN, 1.f, a.data(), kN, w.data<float>(), kN, 0.f, b.data(), kN);
      std::swap(a, b);
    }
    benchmark::DoNotOptimize(a.data());
  }
  SetGflops(state);
}
BENCHMARK(BM_DnnlSgemmLoop)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace duet
