// Training steps (forward + backward + SGD update), batch 32, eager and inside duet::function:
//   MLP  784-128(relu)-10, softmax cross-entropy
//   Conv the eager guide's model: Conv2D 16 3x3 relu, Conv2D 16 3x3 relu, global average
//        pooling, Dense 10, on 28x28x1 inputs
// and the tape's overhead on add [1]. The step benchmarks take the thread count as their
// argument (config::set_num_threads) and report minor page faults per step (getrusage).
#include <benchmark/benchmark.h>

#include <optional>

#include "api/duet.h"
#include "compiler/codegen/generated_kernels.h"
#include "tools/bench/faults.h"

namespace duet {
namespace {

constexpr int kBatch = 32;

struct Mlp {
  Variable w1{random::normal({784, 128}, 0.f, 0.05f, 1), "w1"}, b1{zeros({128}), "b1"};
  Variable w2{random::normal({128, 10}, 0.f, 0.05f, 2), "w2"}, b2{zeros({10}), "b2"};
  std::vector<Variable> vars() const { return {w1, b1, w2, b2}; }
  Tensor operator()(const Tensor& x) const { return matmul(relu(matmul(x, w1) + b1), w2) + b2; }
};

struct ConvNet {
  Variable k1{random::normal({3, 3, 1, 16}, 0.f, 0.2f, 3), "k1"}, c1{zeros({16}), "c1"};
  Variable k2{random::normal({3, 3, 16, 16}, 0.f, 0.1f, 4), "k2"}, c2{zeros({16}), "c2"};
  Variable w{random::normal({16, 10}, 0.f, 0.1f, 5), "w"}, b{zeros({10}), "b"};
  std::vector<Variable> vars() const { return {k1, c1, k2, c2, w, b}; }
  Tensor operator()(const Tensor& x) const {
    Tensor h = relu(conv2d(x, k1, {1, 1}, "VALID") + c1);
    h = relu(conv2d(h, k2, {1, 1}, "VALID") + c2);
    return matmul(reduce_mean(h, {1, 2}), w) + b;
  }
};

template <class Model>
Tensor TrainStep(const Model& model, optimizers::SGD& opt, const Tensor& x, const Tensor& y) {
  return opt.minimize([&] { return losses::sparse_softmax_cross_entropy(y, model(x)); },
                      model.vars());
}

// Sets the thread count from the benchmark's argument and reports page faults per step.
class StepScope {
 public:
  explicit StepScope(benchmark::State& state) : state_(state), old_(config::num_threads()) {
    config::set_num_threads(static_cast<int>(state.range(0)));
  }
  void StartTiming() { faults_.emplace(); }
  ~StepScope() {
    if (faults_) faults_->Report(state_);
    config::set_num_threads(old_);
  }

 private:
  benchmark::State& state_;
  int old_;
  std::optional<FaultCounter> faults_;
};

template <class Model>
void RunEager(benchmark::State& state, const Shape& input) {
  StepScope scope(state);
  Model model;
  optimizers::SGD opt(0.01);
  Tensor x = random::normal(input, 0.f, 1.f, 7), y = random::uniform({kBatch}, 0.f, 10.f, 8);
  y = cast(y, DType::kInt32);
  TrainStep(model, opt, x, y);  // primitives created outside the timing
  scope.StartTiming();
  for (auto _ : state) benchmark::DoNotOptimize(TrainStep(model, opt, x, y));
}

template <class Model>
void RunFunction(benchmark::State& state, const Shape& input) {
  StepScope scope(state);
  Model model;
  optimizers::SGD opt(0.01);
  Tensor x = random::normal(input, 0.f, 1.f, 7),
         y = cast(random::uniform({kBatch}, 0.f, 10.f, 8), DType::kInt32);
  auto step = function([&](Tensor xs, Tensor ys) { return TrainStep(model, opt, xs, ys); });
  step(x, y);                          // trace and compile outside the timing
  codegen::WaitForGeneratedKernels();  // and the fused regions' kernels (tier 1)
  scope.StartTiming();
  for (auto _ : state) benchmark::DoNotOptimize(step(x, y));
  state.counters["traces"] = step.tracing_count();
}

// The first call of a compiled MLP train step in this process: trace, optimize and lower (on
// the calling thread, the time shown), then its fused regions' kernels (compiled in the
// background, waited for here: codegen_ms). Run the binary twice with one DUET_KERNEL_CACHE
// directory: the second process loads the kernels from disk (disk_hits).
void BM_MlpTrainStepFirstCall(benchmark::State& state) {
  Mlp model;
  optimizers::SGD opt(0.01);
  Tensor x = random::normal({kBatch, 784}, 0.f, 1.f, 7),
         y = cast(random::uniform({kBatch}, 0.f, 10.f, 8), DType::kInt32);
  for (auto _ : state) {
    const codegen::GeneratedKernelStats before = codegen::GetGeneratedKernelStats();
    auto step = function([&](Tensor xs, Tensor ys) { return TrainStep(model, opt, xs, ys); });
    step(x, y);
    state.PauseTiming();
    codegen::WaitForGeneratedKernels();
    const codegen::GeneratedKernelStats after = codegen::GetGeneratedKernelStats();
    const CompileStats stats = step.compile_stats(x, y);
    state.counters["trace_ms"] = stats.trace_ms;
    state.counters["optimize_ms"] = stats.optimize_ms;
    state.counters["codegen_ms"] = after.codegen_ms - before.codegen_ms;
    state.counters["regions"] = stats.fused_regions;
    state.counters["compiled"] = static_cast<double>(after.compiled - before.compiled);
    state.counters["disk_hits"] = static_cast<double>(after.disk_hits - before.disk_hits);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_MlpTrainStepFirstCall)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_MlpTrainStepEager(benchmark::State& s) { RunEager<Mlp>(s, {kBatch, 784}); }
void BM_MlpTrainStepFunction(benchmark::State& s) { RunFunction<Mlp>(s, {kBatch, 784}); }
void BM_ConvTrainStepEager(benchmark::State& s) { RunEager<ConvNet>(s, {kBatch, 28, 28, 1}); }
void BM_ConvTrainStepFunction(benchmark::State& s) { RunFunction<ConvNet>(s, {kBatch, 28, 28, 1}); }
BENCHMARK(BM_MlpTrainStepEager)->Unit(benchmark::kMicrosecond)->ArgName("threads")->Arg(1)->Arg(2);
BENCHMARK(BM_MlpTrainStepFunction)
    ->Unit(benchmark::kMicrosecond)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2);
BENCHMARK(BM_ConvTrainStepEager)->Unit(benchmark::kMillisecond)->ArgName("threads")->Arg(1)->Arg(2);
BENCHMARK(BM_ConvTrainStepFunction)
    ->Unit(benchmark::kMillisecond)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2);

// The forward layers the step benchmarks are made of, alone: relu(x @ w1 + b1) on [32, 784]
// and relu(conv2d(x, k1) + c1) on [32, 28, 28, 1]. Eager runs three ops; compiled, fuse-epilogue
// makes them one fused_matmul / fused_conv2d (oneDNN post-ops), and with `epilogue` false the
// pass is disabled, so the unfused compiled graph runs beside it.
template <class Layer>
void RunLayer(benchmark::State& state, Layer layer, const Tensor& x) {
  const int mode = static_cast<int>(state.range(0));  // 0 eager, 1 compiled unfused, 2 fused
  if (mode == 1) config::set_disabled_passes({"fuse-epilogue"});
  auto f = function([&](Tensor xs) { return layer(xs); });
  if (mode) f(x);
  config::set_disabled_passes({});
  for (auto _ : state) benchmark::DoNotOptimize(mode ? f(x) : layer(x));
  state.SetLabel(mode == 0 ? "eager" : mode == 1 ? "compiled, unfused" : "compiled, fused");
}

void BM_DenseReluLayer(benchmark::State& state) {
  Tensor w = random::normal({784, 128}, 0.f, 0.05f, 1), b = zeros({128});
  RunLayer(
      state, [&](const Tensor& x) { return relu(matmul(x, w) + b); },
      random::normal({kBatch, 784}, 0.f, 1.f, 7));
}
void BM_ConvReluLayer(benchmark::State& state) {
  Tensor k = random::normal({3, 3, 1, 16}, 0.f, 0.2f, 3), c = zeros({16});
  RunLayer(
      state,
      [&](const Tensor& x) {
        return relu(conv2d(x, k, {1, 1}, "VALID") + c);
      },
      random::normal({kBatch, 28, 28, 1}, 0.f, 1.f, 7));
}
BENCHMARK(BM_DenseReluLayer)->Unit(benchmark::kMicrosecond)->ArgName("mode")->DenseRange(0, 2);
BENCHMARK(BM_ConvReluLayer)->Unit(benchmark::kMicrosecond)->ArgName("mode")->DenseRange(0, 2);

// add [1] with a recording tape that watches the inputs (every add is recorded).
void BM_EagerAddRecordedByTape(benchmark::State& state) {
  Tensor a = constant({1.f}), b = constant({2.f});
  while (state.KeepRunningBatch(1000)) {
    GradientTape tape;
    tape.watch(a);
    for (int i = 0; i < 1000; ++i) benchmark::DoNotOptimize(add(a, b));
  }
}
BENCHMARK(BM_EagerAddRecordedByTape);

// add [1] with a tape alive that does not watch the inputs (the common "tape elsewhere" cost).
void BM_EagerAddTapeNotWatching(benchmark::State& state) {
  Tensor a = constant({1.f}), b = constant({2.f});
  GradientTape tape;
  for (auto _ : state) benchmark::DoNotOptimize(add(a, b));
}
BENCHMARK(BM_EagerAddTapeNotWatching);

}  // namespace
}  // namespace duet
