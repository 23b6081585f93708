// One Fashion-MNIST training epoch of the same MLP (784-128(relu)-10, Adam 1e-3, batch 32,
// shuffled, softmax cross-entropy) in duet eager, duet compiled (the whole step in one
// duet::function) and LibTorch, single-threaded; prints seconds per epoch and test accuracy as
// BENCHMARKS.md rows, plus the input pipeline alone (data::Dataset shuffle+batch, no training).
// Manual target (needs libtorch-dev):
//   OMP_NUM_THREADS=1 bazel run --disk_cache=$HOME/.cache/duet-bazel-disk //tools/bench:fashion_mnist_epoch
// A variant that throws (e.g. an optimizer the tracer refuses) prints its error and the rest run.
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "api/duet.h"

namespace duet {
namespace {

constexpr int kBatch = 32;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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

struct Split {
  Tensor x, y;  // (N, 784) float32, (N,) int32
};
Split Flat(std::pair<Tensor, Tensor> s) { return {reshape(s.first, Shape{s.first.shape()[0], 784}), s.second}; }

void Row(const char* what, double seconds, int64_t steps, double accuracy) {
  std::printf("| %-34s | %8.2f s | %8.0f steps/s | %s |\n", what, seconds, static_cast<double>(steps) / seconds,
              accuracy < 0 ? "-" : (std::to_string(accuracy * 100).substr(0, 5) + " %").c_str());
}

void DuetPipelineOnly(const Split& train) {
  auto ds = data::Dataset::from_tensor_slices({train.x, train.y}).shuffle(60000, 1).batch(kBatch);
  auto start = std::chrono::steady_clock::now();
  int64_t steps = 0;
  for (const auto& b : ds) steps += b[0].shape()[0] > 0;
  Row("duet data::Dataset only", Seconds(start), steps, -1);
}

void DuetEpoch(const Split& train, const Split& test, bool compiled) {
  Mlp mlp;
  optimizers::Adam opt(0.001);
  auto loss_of = [&](const Tensor& x, const Tensor& y) {
    return opt.minimize([&] { return losses::sparse_softmax_cross_entropy(y, mlp(x)); }, mlp.vars());
  };
  auto step = function([&](Tensor x, Tensor y) { return loss_of(x, y); });
  auto ds = data::Dataset::from_tensor_slices({train.x, train.y}).shuffle(60000, 1).batch(kBatch).prefetch(2);
  const char* name = compiled ? "duet compiled (duet::function step)" : "duet eager";
  try {
    auto start = std::chrono::steady_clock::now();
    int64_t steps = 0;
    for (const auto& b : ds) {
      compiled ? step(b[0], b[1]) : loss_of(b[0], b[1]);
      ++steps;
    }
    Row(name, Seconds(start), steps, Accuracy(mlp(test.x), test.y));
  } catch (const Error& e) {
    std::printf("| %-34s | failed: %s |\n", name, e.what());
  }
}

void TorchEpoch(const Split& train, const Split& test) {
  torch::manual_seed(1);
  auto from = [](const Tensor& t, torch::Dtype dtype) {
    std::vector<int64_t> dims = t.shape().dims();
    return torch::from_blob(const_cast<void*>(t.raw_data()), dims, dtype).clone();
  };
  torch::Tensor x = from(train.x, torch::kFloat32), y = from(train.y, torch::kInt32).to(torch::kInt64);
  torch::Tensor tx = from(test.x, torch::kFloat32), ty = from(test.y, torch::kInt32).to(torch::kInt64);
  torch::nn::Sequential net(torch::nn::Linear(784, 128), torch::nn::ReLU(), torch::nn::Linear(128, 10));
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(0.001));
  auto start = std::chrono::steady_clock::now();
  torch::Tensor perm = torch::randperm(x.size(0));
  int64_t steps = 0;
  for (int64_t i = 0; i < x.size(0); i += kBatch) {
    torch::Tensor idx = perm.slice(0, i, std::min<int64_t>(i + kBatch, x.size(0)));
    opt.zero_grad();
    torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(x.index_select(0, idx)), y.index_select(0, idx));
    loss.backward();
    opt.step();
    ++steps;
  }
  double seconds = Seconds(start);
  torch::NoGradGuard no_grad;
  double acc = net->forward(tx).argmax(1).eq(ty).to(torch::kFloat64).mean().item<double>();
  Row("LibTorch (same MLP, Adam)", seconds, steps, acc);
}

}  // namespace
}  // namespace duet

int main() {
  at::set_num_threads(1);
  using namespace duet;
  Split train = Flat(data::fashion_mnist::load_train()), test = Flat(data::fashion_mnist::load_test());
  std::printf("| variant | epoch | throughput | test accuracy |\n| --- | --- | --- | --- |\n");
  DuetPipelineOnly(train);
  DuetEpoch(train, test, /*compiled=*/false);
  DuetEpoch(train, test, /*compiled=*/true);
  TorchEpoch(train, test);
  return 0;
}
