// Each vectorized transcendental op alone on [1M] float32, and the chain of ten
// elementwise ops with tanh and sigmoid (chain10.h: ChainMath10) on [1000] and [1M]. The same
// inputs as torch_math_bench.cc, so `./dev bench-vs-torch` prints the pairs side by side.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "api/duet.h"
#include "compiler/codegen/generated_kernels.h"
#include "hwy/targets.h"
#include "tools/bench/chain10.h"

namespace duet {
namespace {

// The thread count from the benchmark's second argument while alive (the table wants
// every row with 1 and 2 threads side by side).
class ThreadsArg {
 public:
  explicit ThreadsArg(const benchmark::State& state) : old_(config::num_threads()) {
    config::set_num_threads(static_cast<int>(state.range(1)));
  }
  ~ThreadsArg() { config::set_num_threads(old_); }

 private:
  int old_;
};

void SizesAndThreads(benchmark::internal::Benchmark* b, std::vector<int64_t> sizes) {
  b->ArgNames({"n", "threads"});
  for (int64_t n : sizes)
    for (int64_t t : {1, 2}) b->Args({n, t});
}
void MillionAndThreads(benchmark::internal::Benchmark* b) { SizesAndThreads(b, {1000000}); }

template <Tensor (*kOp)(const Operand&, const Loc&)>
void BM_DuetMath(benchmark::State& state) {
  ThreadsArg threads(state);
  Tensor x = random::uniform({state.range(0)}, 0.01f, 4.f, 5);
  for (auto _ : state) benchmark::DoNotOptimize(kOp(x, Loc::current()));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_DuetMath, exp)->Name("BM_DuetExp")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_DuetMath, log)->Name("BM_DuetLog")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_DuetMath, log1p)->Name("BM_DuetLog1p")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_DuetMath, tanh)->Name("BM_DuetTanh")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_DuetMath, sigmoid)->Name("BM_DuetSigmoid")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_DuetMath, softplus)->Name("BM_DuetSoftplus")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_DuetMath, sqrt)->Name("BM_DuetSqrt")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_DuetMath, rsqrt)->Name("BM_DuetRsqrt")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_DuetMath, sin)->Name("BM_DuetSin")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_DuetMath, cos)->Name("BM_DuetCos")->Apply(MillionAndThreads);

void BM_DuetPow(benchmark::State& state) {
  ThreadsArg threads(state);
  Tensor x = random::uniform({state.range(0)}, 0.01f, 4.f, 5);
  for (auto _ : state) benchmark::DoNotOptimize(pow(x, 1.7f));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DuetPow)->Apply(MillionAndThreads);

// float64 pow (SLEEF vectors, vmath.cc) against libm's scalar pow over the same buffer.
void BM_DuetPowF64(benchmark::State& state) {
  Tensor x = cast(random::uniform({state.range(0)}, 0.01f, 4.f, 5), DType::kFloat64);
  for (auto _ : state) benchmark::DoNotOptimize(pow(x, 1.7));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DuetPowF64)->Arg(1000000);
void BM_LibmPowF64(benchmark::State& state) {
  Tensor x = cast(random::uniform({state.range(0)}, 0.01f, 4.f, 5), DType::kFloat64);
  std::vector<double> out(static_cast<size_t>(state.range(0)));
  const double* px = x.data<double>();
  for (auto _ : state) {
    for (size_t i = 0; i < out.size(); ++i) out[i] = std::pow(px[i], 1.7);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LibmPowF64)->Arg(1000000);

void BM_DuetChainMath10(benchmark::State& state) {
  ThreadsArg threads(state);
  Tensor x = random::uniform({state.range(0)}, 0.f, 1.f, 3);
  for (auto _ : state) benchmark::DoNotOptimize(bench::ChainMath10(x));
  state.SetItemsProcessed(state.iterations() * state.range(0) * 10);
  // Ten outputs written and thirteen tensor operands read, 4 bytes each per element.
  state.SetBytesProcessed(state.iterations() * state.range(0) * 23 *
                          static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_DuetChainMath10)->Apply([](auto* b) { SizesAndThreads(b, {1000, 1000000}); });

// The same chain compiled by `function`: one duet.fusion, so main memory sees x read once and
// y written once (8 bytes per element). Compiled: the region's generated kernel (tier 1, after
// its background compile); Tier0: the tile interpreter running eager's kernels.
void ChainMath10Compiled(benchmark::State& state, bool generated) {
  ThreadsArg threads(state);
  Tensor x = random::uniform({state.range(0)}, 0.f, 1.f, 3);
  codegen::SetGeneratedKernelsEnabled(generated);
  auto f = function([](Tensor x) { return bench::ChainMath10(x); });
  if (f.graph_text(x).find("duet.fusion") == std::string::npos && state.range(0) > 1)
    return state.SkipWithError("the chain did not fuse");
  f(x);
  codegen::WaitForGeneratedKernels();
  codegen::SetGeneratedKernelsEnabled(true);
  const int64_t calls = codegen::GetGeneratedKernelStats().calls;
  f(x);
  if ((codegen::GetGeneratedKernelStats().calls > calls) != generated)
    return state.SkipWithError("the chain did not run on the expected tier");
  for (auto _ : state) benchmark::DoNotOptimize(f(x));
  state.SetItemsProcessed(state.iterations() * state.range(0) * 10);
  state.SetBytesProcessed(state.iterations() * state.range(0) * 8);
}
void BM_DuetChainMath10Compiled(benchmark::State& state) { ChainMath10Compiled(state, true); }
void BM_DuetChainMath10Tier0(benchmark::State& state) { ChainMath10Compiled(state, false); }
BENCHMARK(BM_DuetChainMath10Compiled)->Apply([](auto* b) { SizesAndThreads(b, {1000, 1000000}); });
BENCHMARK(BM_DuetChainMath10Tier0)->Apply([](auto* b) { SizesAndThreads(b, {1000, 1000000}); });

// The memory floor of the fused chain: one read and one write of [n] float32 (a copy).
void BM_CopyFloor(benchmark::State& state) {
  ThreadsArg threads(state);
  Tensor x = random::uniform({state.range(0)}, 0.f, 1.f, 3);
  std::vector<float> out(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    std::memcpy(out.data(), x.raw_data(), x.num_bytes());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * state.range(0) * 8);
}
BENCHMARK(BM_CopyFloor)->Apply([](auto* b) { SizesAndThreads(b, {1000000}); });

// add [1] with 1 and 2 threads (the "stays <= 200 ns" row).
void BM_DuetAdd1(benchmark::State& state) {
  ThreadsArg threads(state);
  Tensor a = constant({1.f}), b = constant({2.f});
  for (auto _ : state) benchmark::DoNotOptimize(add(a, b));
}
BENCHMARK(BM_DuetAdd1)->Apply([](auto* b) { SizesAndThreads(b, {1}); });

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
