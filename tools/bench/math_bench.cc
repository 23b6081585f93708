// Each vectorized transcendental op alone on [1M] float32, and the chain of ten
// elementwise ops with tanh and sigmoid (chain10.h: ChainMath10) on [1000] and [1M]. The same
// inputs as torch_math_bench.cc, so `./dev bench-vs-torch` prints the pairs side by side.
#include <benchmark/benchmark.h>

#include "api/duet.h"
#include "hwy/targets.h"
#include "tools/bench/chain10.h"

namespace duet {
namespace {

template <Tensor (*kOp)(const Operand&, const Loc&)>
void BM_DuetMath(benchmark::State& state) {
  Tensor x = random::uniform({state.range(0)}, 0.01f, 4.f, 5);
  for (auto _ : state) benchmark::DoNotOptimize(kOp(x, Loc::current()));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_DuetMath, exp)->Name("BM_DuetExp")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_DuetMath, log)->Name("BM_DuetLog")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_DuetMath, log1p)->Name("BM_DuetLog1p")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_DuetMath, tanh)->Name("BM_DuetTanh")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_DuetMath, sigmoid)->Name("BM_DuetSigmoid")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_DuetMath, softplus)->Name("BM_DuetSoftplus")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_DuetMath, sqrt)->Name("BM_DuetSqrt")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_DuetMath, rsqrt)->Name("BM_DuetRsqrt")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_DuetMath, sin)->Name("BM_DuetSin")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_DuetMath, cos)->Name("BM_DuetCos")->Arg(1000000);

void BM_DuetPow(benchmark::State& state) {
  Tensor x = random::uniform({state.range(0)}, 0.01f, 4.f, 5);
  for (auto _ : state) benchmark::DoNotOptimize(pow(x, 1.7f));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DuetPow)->Arg(1000000);

void BM_DuetChainMath10(benchmark::State& state) {
  Tensor x = random::uniform({state.range(0)}, 0.f, 1.f, 3);
  for (auto _ : state) benchmark::DoNotOptimize(bench::ChainMath10(x));
  state.SetItemsProcessed(state.iterations() * state.range(0) * 10);
  // Ten outputs written and thirteen tensor operands read, 4 bytes each per element.
  state.SetBytesProcessed(state.iterations() * state.range(0) * 23 *
                          static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_DuetChainMath10)->Arg(1000)->Arg(1000000);

// The dispatched loops on one Highway target (arg 0: HWY_AVX2, 1: HWY_AVX3, i.e. AVX-512),
// to compare the ISAs in one run: add [1M], the plain chain (Chain10) and ChainMath10 on [1M].
int64_t TargetOf(int64_t arg) { return arg == 0 ? HWY_AVX2 : HWY_AVX3; }
template <Tensor (*kWork)(const Tensor&)>
void BM_OnTarget(benchmark::State& state) {
  if ((hwy::SupportedTargets() & TargetOf(state.range(0))) == 0)
    return state.SkipWithError("target not supported");
  hwy::SetSupportedTargetsForTest(TargetOf(state.range(0)));
  Tensor x = random::uniform({1000000}, 0.f, 1.f, 3);
  for (auto _ : state) benchmark::DoNotOptimize(kWork(x));
  hwy::SetSupportedTargetsForTest(0);
}
Tensor AddSelf(const Tensor& x) { return x + x; }
Tensor Chain(const Tensor& x) { return bench::Chain10(x); }
BENCHMARK_TEMPLATE(BM_OnTarget, AddSelf)->Name("BM_AddOnTarget")->Arg(0)->Arg(1);
BENCHMARK_TEMPLATE(BM_OnTarget, Chain)->Name("BM_Chain10OnTarget")->Arg(0)->Arg(1);
BENCHMARK_TEMPLATE(BM_OnTarget, bench::ChainMath10)->Name("BM_ChainMath10OnTarget")->Arg(0)->Arg(1);

}  // namespace
}  // namespace duet
