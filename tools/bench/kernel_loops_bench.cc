// The plain eager loops that issue 8 says must keep their speed on every target: elementwise
// binary ops (same shape, scalar and row broadcasts), a comparison, where, casts and
// reductions, float32 at [1000] and [1M] (matrices [1000, 1000]). Depends on the op families
// only (no api/, no MLIR), so the same file builds at the old `-march=haswell` commit for a
// side-by-side run (BENCHMARKS.md); hwy_target_env.cc picks the Highway target in today's
// build (DUET_HWY_TARGET). Run single-threaded: DUET_NUM_THREADS=1.
// Example: DUET_HWY_TARGET=avx2 DUET_NUM_THREADS=1 bazel-bin/tools/bench/kernel_loops_bench
#include <benchmark/benchmark.h>

#include "kernels/binary_ops.h"
#include "kernels/cast_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/random_ops.h"
#include "kernels/reduce_ops.h"

namespace duet {
namespace {

Tensor Uniform(const Shape& shape, int64_t seed) { return random::uniform(shape, 0.f, 1.f, seed); }

template <class Work>
void Run(benchmark::State& state, int64_t elements, Work work) {
  for (auto _ : state) benchmark::DoNotOptimize(work());
  state.SetItemsProcessed(state.iterations() * elements);
}

void BM_Add(benchmark::State& s) {
  Tensor a = Uniform({s.range(0)}, 1), b = Uniform({s.range(0)}, 2);
  Run(s, s.range(0), [&] { return add(a, b); });
}
void BM_MulScalar(benchmark::State& s) {
  Tensor a = Uniform({s.range(0)}, 1);
  Run(s, s.range(0), [&] { return mul(a, 1.5f); });
}
void BM_AddRow(benchmark::State& s) {  // [n / 1000, 1000] + [1000]: a bias add
  Tensor a = Uniform({s.range(0) / 1000, 1000}, 1), b = Uniform({1000}, 2);
  Run(s, s.range(0), [&] { return add(a, b); });
}
void BM_Maximum(benchmark::State& s) {
  Tensor a = Uniform({s.range(0)}, 1), b = Uniform({s.range(0)}, 2);
  Run(s, s.range(0), [&] { return maximum(a, b); });
}
void BM_Greater(benchmark::State& s) {
  Tensor a = Uniform({s.range(0)}, 1), b = Uniform({s.range(0)}, 2);
  Run(s, s.range(0), [&] { return greater(a, b); });
}
void BM_Where(benchmark::State& s) {
  Tensor a = Uniform({s.range(0)}, 1), b = Uniform({s.range(0)}, 2), c = greater(a, b);
  Run(s, s.range(0), [&] { return where(c, a, b); });
}
void BM_CastToInt32(benchmark::State& s) {
  Tensor a = Uniform({s.range(0)}, 1);
  Run(s, s.range(0), [&] { return cast(a, DType::kInt32); });
}
void BM_CastToFloat64(benchmark::State& s) {
  Tensor a = Uniform({s.range(0)}, 1);
  Run(s, s.range(0), [&] { return cast(a, DType::kFloat64); });
}
void BM_ReduceSumAll(benchmark::State& s) {
  Tensor a = Uniform({s.range(0)}, 1);
  Run(s, s.range(0), [&] { return reduce_sum(a); });
}
void BM_ReduceMaxAll(benchmark::State& s) {
  Tensor a = Uniform({s.range(0)}, 1);
  Run(s, s.range(0), [&] { return reduce_max(a); });
}
void BM_ReduceSumRows(benchmark::State& s) {  // [n / 1000, 1000] -> [n / 1000]
  Tensor a = Uniform({s.range(0) / 1000, 1000}, 1);
  Run(s, s.range(0), [&] { return reduce_sum(a, {1}); });
}
void BM_ReduceSumCols(benchmark::State& s) {  // [n / 1000, 1000] -> [1000]
  Tensor a = Uniform({s.range(0) / 1000, 1000}, 1);
  Run(s, s.range(0), [&] { return reduce_sum(a, {0}); });
}
// The conv model's reductions: a bias gradient (16 channels of [32, 26, 26]) and global average
// pooling ([32, 24, 24, 16] -> [32, 16]): few, narrow kept columns under many reduced rows.
void BM_ReduceSumBiasGrad(benchmark::State& s) {
  Tensor a = Uniform({32, 26, 26, 16}, 1);
  Run(s, a.num_elements(), [&] { return reduce_sum(a, {0, 1, 2}); });
}
void BM_ReduceMeanPooling(benchmark::State& s) {
  Tensor a = Uniform({32, 24, 24, 16}, 1);
  Run(s, a.num_elements(), [&] { return reduce_mean(a, {1, 2}); });
}
BENCHMARK(BM_ReduceSumBiasGrad);
BENCHMARK(BM_ReduceMeanPooling);

#define DUET_LOOPS_BENCH(fn) BENCHMARK(fn)->Arg(1000)->Arg(1000000)
DUET_LOOPS_BENCH(BM_Add);
DUET_LOOPS_BENCH(BM_MulScalar);
DUET_LOOPS_BENCH(BM_AddRow);
DUET_LOOPS_BENCH(BM_Maximum);
DUET_LOOPS_BENCH(BM_Greater);
DUET_LOOPS_BENCH(BM_Where);
DUET_LOOPS_BENCH(BM_CastToInt32);
DUET_LOOPS_BENCH(BM_CastToFloat64);
DUET_LOOPS_BENCH(BM_ReduceSumAll);
DUET_LOOPS_BENCH(BM_ReduceMaxAll);
DUET_LOOPS_BENCH(BM_ReduceSumRows);
DUET_LOOPS_BENCH(BM_ReduceSumCols);

}  // namespace
}  // namespace duet
