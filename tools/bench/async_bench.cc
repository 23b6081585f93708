// Async eager execution (issue 12): what enqueueing costs, and whether host work overlaps
// kernels. BM_AddOne{Sync,Async}: add [1] per iteration (async: the caller's cost, enqueue only;
// the worker runs the kernels meanwhile, and the queue is drained every 4096 ops so it stays
// short). BM_MatmulsWithHostWork/{0,1}: 200 matmuls of 512x512, each followed by host-side work
// of about one matmul's length, synchronously (0) and asynchronously (1): async overlaps them.
#include <benchmark/benchmark.h>

#include <cmath>
#include <optional>
#include <vector>

#include "api/duet.h"

namespace duet {
namespace {

void BM_AddOneSync(benchmark::State& state) {
  Tensor a = constant({1.f}), b = constant({2.f});
  for (auto _ : state) benchmark::DoNotOptimize(add(a, b));
}
BENCHMARK(BM_AddOneSync);

void BM_AddOneAsync(benchmark::State& state) {
  Tensor a = constant({1.f}), b = constant({2.f});
  ExecutionModeScope async(ExecutionMode::kAsync);
  int64_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(add(a, b));
    if (++n % 4096 == 0) {
      state.PauseTiming();
      async_wait();
      state.ResumeTiming();
    }
  }
  async_wait();
}
BENCHMARK(BM_AddOneAsync);

// Host-side work the caller does between ops (parsing a batch, logging...): about 2 ms here.
double HostWork(std::vector<double>& scratch) {
  double acc = 0;
  for (int round = 0; round < 8; ++round)
    for (size_t i = 0; i < scratch.size(); ++i) {
      scratch[i] = std::sqrt(scratch[i] + static_cast<double>(i + round));
      acc += scratch[i];
    }
  return acc;
}

void BM_MatmulsWithHostWork(benchmark::State& state) {
  const bool async = state.range(0) != 0;
  Tensor x = random::uniform({512, 512}, 0.f, 1.f, 1), w = random::uniform({512, 512}, 0.f, 1.f, 2);
  std::vector<double> scratch(1 << 16, 1.0);
  std::optional<ExecutionModeScope> mode;
  if (async) mode.emplace(ExecutionMode::kAsync);
  for (auto _ : state) {
    Tensor sum;
    for (int i = 0; i < 200; ++i) {
      Tensor y = matmul(x, w);
      sum = sum.defined() ? sum + y : y;
      benchmark::DoNotOptimize(HostWork(scratch));
    }
    benchmark::DoNotOptimize(sum.to_vector<float>()[0]);  // waits for the queue
  }
}
BENCHMARK(BM_MatmulsWithHostWork)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace duet
