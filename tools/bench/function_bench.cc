// Eager vs duet::function on the chain of 10 elementwise ops, and a compiled call's overhead
// (the [1] case is almost all overhead: 10 tiny kernels).
#include <benchmark/benchmark.h>

#include "api/duet.h"
#include "tools/bench/chain10.h"

namespace duet {
namespace {

using bench::Chain10;

void BM_Chain10Function(benchmark::State& state) {
  int64_t n = state.range(0);
  Tensor x = random::uniform({n}, 0.f, 1.f, 3);
  auto f = function([](Tensor x) { return Chain10(x); });
  f(x);
  for (auto _ : state) benchmark::DoNotOptimize(f(x));
  state.SetItemsProcessed(state.iterations() * n * 10);
}
BENCHMARK(BM_Chain10Function)->Arg(1)->Arg(1000)->Arg(1000000);

void BM_Chain10EagerSameCode(benchmark::State& state) {
  int64_t n = state.range(0);
  Tensor x = random::uniform({n}, 0.f, 1.f, 3);
  for (auto _ : state) benchmark::DoNotOptimize(Chain10(x));
  state.SetItemsProcessed(state.iterations() * n * 10);
}
BENCHMARK(BM_Chain10EagerSameCode)->Arg(1);

}  // namespace
}  // namespace duet
