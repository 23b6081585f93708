// Eager vs duet::function on the chain of 10 elementwise ops, and a compiled call's overhead
// (the [1] case is almost all overhead: 10 tiny kernels). Also the gradient of a traced
// while_loop at n trips: the backward reads per-iteration stacks, so cost grows ~linearly.
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

// d/dx of v <- v * 0.999 + x, n times (n a tensor: one trace for every n).
void BM_WhileLoopGradient(benchmark::State& state) {
  Tensor n = constant(static_cast<int32_t>(state.range(0)));
  auto f = function([](Tensor x, Tensor trips) {
    return while_loop([trips](const std::vector<Tensor>& v) { return v[1] < trips; },
                      [x](const std::vector<Tensor>& v) {
                        return std::vector<Tensor>{v[0] * 0.999f + x, v[1] + 1};
                      },
                      {x, constant(0)})[0];
  });
  auto grad = gradients_function([&](Tensor x) { return f(x, n); });
  Tensor x = constant(0.5f);
  grad(x);
  for (auto _ : state) benchmark::DoNotOptimize(grad(x));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_WhileLoopGradient)->Arg(10)->Arg(400);

}  // namespace
}  // namespace duet
