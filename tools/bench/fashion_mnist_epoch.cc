// One Fashion-MNIST training epoch of the same MLP (784-128(relu)-10, Adam 1e-3, batch 32,
// shuffled, softmax cross-entropy) as Google Benchmarks, one epoch per iteration, each
// repetition from fresh weights: duet eager and compiled with the step written by hand (the
// whole step in one duet::function), the same through Model::fit (eager = run_functions_eagerly),
// LibTorch, and the input pipeline alone (data::Dataset shuffle+batch, no training). Each reports
// the test accuracy after its epoch as a counter. Single-threaded; BENCHMARKS.md has figures.
// Manual target (needs libtorch-dev):
//   OMP_NUM_THREADS=1 bazel run --disk_cache=$HOME/.cache/duet-bazel-disk
//   //tools/bench:fashion_mnist_epoch -- \
//     --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <cmath>

#include "api/duet.h"

namespace duet {
namespace {

constexpr int kBatch = 32;

struct Split {
  Tensor x, y;  // (N, 784) float32, (N,) int32
};
Split Flat(std::pair<Tensor, Tensor> s) {
  return {reshape(s.first, Shape{s.first.shape()[0], 784}), s.second};
}
const Split& Train() {
  static const Split s = Flat(data::fashion_mnist::load_train());
  return s;
}
const Split& Test() {
  static const Split s = Flat(data::fashion_mnist::load_test());
  return s;
}
data::Dataset TrainData() {
  return data::Dataset::from_tensor_slices({Train().x, Train().y})
      .shuffle(60000, 1)
      .batch(kBatch)
      .prefetch(2);
}

Tensor GlorotUniform(int64_t fan_in, int64_t fan_out, int64_t seed) {
  float limit = std::sqrt(6.f / static_cast<float>(fan_in + fan_out));
  return random::uniform({fan_in, fan_out}, -limit, limit, seed);
}

struct Mlp {
  Variable w1{GlorotUniform(784, 128, 1), "w1"}, b1{zeros({128}), "b1"};
  Variable w2{GlorotUniform(128, 10, 2), "w2"}, b2{zeros({10}), "b2"};
  std::vector<Variable> vars() const { return {w1, b1, w2, b2}; }
  Tensor operator()(const Tensor& x) const { return matmul(relu(matmul(x, w1) + b1), w2) + b2; }
};

double Accuracy(const Tensor& logits, const Tensor& labels) {
  std::vector<int64_t> pred = argmax(logits, 1).to_vector<int64_t>();
  std::vector<int32_t> want = labels.to_vector<int32_t>();
  int64_t right = 0;
  for (size_t i = 0; i < want.size(); ++i) right += pred[i] == want[i];
  return static_cast<double>(right) / static_cast<double>(want.size());
}

void Report(benchmark::State& state, int64_t steps, double accuracy) {
  state.counters["steps"] = static_cast<double>(steps);
  if (accuracy >= 0) state.counters["test_acc"] = accuracy;
}

void BM_PipelineOnly(benchmark::State& state) {
  auto ds =
      data::Dataset::from_tensor_slices({Train().x, Train().y}).shuffle(60000, 1).batch(kBatch);
  int64_t steps = 0;
  for (auto _ : state)
    for (const auto& b : ds) steps += b[0].shape()[0] > 0;
  Report(state, steps, -1);
}

// The step by hand: opt.minimize over the four Variables, eager or as one duet::function.
void BM_DuetStep(benchmark::State& state, bool compiled) {
  double accuracy = 0;
  int64_t steps = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Mlp mlp;
    optimizers::Adam opt(0.001);
    auto loss_of = [&](const Tensor& x, const Tensor& y) {
      return opt.minimize([&] { return losses::sparse_softmax_cross_entropy(y, mlp(x)); },
                          mlp.vars());
    };
    auto step = function([&](Tensor x, Tensor y) { return loss_of(x, y); });
    data::Dataset ds = TrainData();
    state.ResumeTiming();
    for (const auto& b : ds) {
      compiled ? step(b[0], b[1]) : loss_of(b[0], b[1]);
      ++steps;
    }
    state.PauseTiming();
    accuracy = Accuracy(mlp(Test().x), Test().y);
    state.ResumeTiming();
  }
  Report(state, steps, accuracy);
}

// Model::fit on the same MLP as a Sequential; eager = config::run_functions_eagerly(true).
void BM_DuetFit(benchmark::State& state, bool compiled) {
  double accuracy = 0;
  int64_t steps = 0;
  config::run_functions_eagerly(!compiled);
  for (auto _ : state) {
    state.PauseTiming();
    Sequential model({layers::Dense(128, Activation::kRelu, {.seed = 1}),
                      layers::Dense(10, Activation::kNone, {.seed = 2})});
    model.compile({.optimizer = std::make_shared<optimizers::Adam>(0.001),
                   .loss = losses::sparse_softmax_cross_entropy,
                   .metrics = {"accuracy"}});
    data::Dataset ds = TrainData();
    state.ResumeTiming();
    model.fit(ds, {.epochs = 1, .verbose = 0, .on_batch_end = [&](int64_t, float) { ++steps; }});
    state.PauseTiming();
    accuracy = Accuracy(model(Test().x), Test().y);
    state.ResumeTiming();
  }
  config::run_functions_eagerly(false);
  Report(state, steps, accuracy);
}

torch::Tensor FromDuet(const Tensor& t, torch::Dtype dtype) {
  std::vector<int64_t> dims = t.shape().dims();
  return torch::from_blob(const_cast<void*>(t.raw_data()), dims, dtype).clone();
}

void BM_Torch(benchmark::State& state) {
  at::set_num_threads(1);
  torch::Tensor x = FromDuet(Train().x, torch::kFloat32),
                y = FromDuet(Train().y, torch::kInt32).to(torch::kInt64);
  torch::Tensor tx = FromDuet(Test().x, torch::kFloat32),
                ty = FromDuet(Test().y, torch::kInt32).to(torch::kInt64);
  double accuracy = 0;
  int64_t steps = 0;
  for (auto _ : state) {
    state.PauseTiming();
    torch::manual_seed(1);
    torch::nn::Sequential net(torch::nn::Linear(784, 128), torch::nn::ReLU(),
                              torch::nn::Linear(128, 10));
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(0.001));
    state.ResumeTiming();
    torch::Tensor perm = torch::randperm(x.size(0));
    for (int64_t i = 0; i < x.size(0); i += kBatch) {
      torch::Tensor idx = perm.slice(0, i, std::min<int64_t>(i + kBatch, x.size(0)));
      opt.zero_grad();
      torch::Tensor loss = torch::nn::functional::cross_entropy(
          net->forward(x.index_select(0, idx)), y.index_select(0, idx));
      loss.backward();
      opt.step();
      ++steps;
    }
    state.PauseTiming();
    torch::NoGradGuard no_grad;
    accuracy = net->forward(tx).argmax(1).eq(ty).to(torch::kFloat64).mean().item<double>();
    state.ResumeTiming();
  }
  Report(state, steps, accuracy);
}

BENCHMARK(BM_PipelineOnly)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_DuetStep, eager, false)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_DuetStep, compiled, true)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_DuetFit, eager, false)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_DuetFit, compiled, true)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(BM_Torch)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace duet
