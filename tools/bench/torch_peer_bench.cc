// LibTorch (Debian's libtorch-dev 1.13) doing the same work as the duet benchmarks, for
// side-by-side ratios in one run. Bench only: never a build or test dependency (the target
// is tagged manual). Both libraries run single-threaded here (at::set_num_threads(1) sets the
// shared OpenMP pool), as the reference figures were measured; the training steps also
// run with the thread count of their argument (at::set_num_threads), like duet's.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <optional>

#include "tools/bench/faults.h"

namespace {

struct ThreadsOnce {
  ThreadsOnce() { at::set_num_threads(1); }
} threads_once;

// LibTorch's intra-op threads from the benchmark's argument while alive, then 1 again.
struct TorchThreads {
  explicit TorchThreads(const benchmark::State& state) {
    at::set_num_threads(static_cast<int>(state.range(0)));
  }
  ~TorchThreads() { at::set_num_threads(1); }
};

void BM_TorchAdd1(benchmark::State& state) {
  torch::NoGradGuard no_grad;
  torch::Tensor a = torch::rand({1}), b = torch::rand({1});
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
}
BENCHMARK(BM_TorchAdd1);

void BM_TorchMlpTrainStep(benchmark::State& state) {
  TorchThreads threads(state);
  torch::manual_seed(1);
  torch::Tensor w1 = (torch::randn({784, 128}) * 0.05).requires_grad_(),
                b1 = torch::zeros({128}, torch::requires_grad());
  torch::Tensor w2 = (torch::randn({128, 10}) * 0.05).requires_grad_(),
                b2 = torch::zeros({10}, torch::requires_grad());
  torch::optim::SGD opt({w1, b1, w2, b2}, torch::optim::SGDOptions(0.01));
  torch::Tensor x = torch::randn({32, 784}), y = torch::randint(0, 10, {32});
  std::optional<FaultCounter> faults;
  for (auto _ : state) {
    if (!faults) faults.emplace();  // after the first (warm-up) step
    opt.zero_grad();
    torch::Tensor logits = torch::matmul(torch::relu(torch::matmul(x, w1) + b1), w2) + b2;
    torch::Tensor loss = torch::nn::functional::cross_entropy(logits, y);
    loss.backward();
    opt.step();
    benchmark::DoNotOptimize(loss);
  }
  if (faults) faults->Report(state);
}
BENCHMARK(BM_TorchMlpTrainStep)->Unit(benchmark::kMicrosecond)->ArgName("threads")->Arg(1)->Arg(2);

void BM_TorchConvTrainStep(benchmark::State& state) {
  TorchThreads threads(state);
  torch::manual_seed(1);
  // NCHW, as LibTorch prefers; the same arithmetic as duet's NHWC model.
  torch::Tensor k1 = (torch::randn({16, 1, 3, 3}) * 0.2).requires_grad_(),
                c1 = torch::zeros({16}, torch::requires_grad());
  torch::Tensor k2 = (torch::randn({16, 16, 3, 3}) * 0.1).requires_grad_(),
                c2 = torch::zeros({16}, torch::requires_grad());
  torch::Tensor w = (torch::randn({16, 10}) * 0.1).requires_grad_(),
                b = torch::zeros({10}, torch::requires_grad());
  torch::optim::SGD opt({k1, c1, k2, c2, w, b}, torch::optim::SGDOptions(0.01));
  torch::Tensor x = torch::randn({32, 1, 28, 28}), y = torch::randint(0, 10, {32});
  std::optional<FaultCounter> faults;
  for (auto _ : state) {
    if (!faults) faults.emplace();  // after the first (warm-up) step
    opt.zero_grad();
    torch::Tensor h = torch::relu(torch::conv2d(x, k1, c1));
    h = torch::relu(torch::conv2d(h, k2, c2));
    torch::Tensor logits = torch::matmul(h.mean({2, 3}), w) + b;
    torch::Tensor loss = torch::nn::functional::cross_entropy(logits, y);
    loss.backward();
    opt.step();
    benchmark::DoNotOptimize(loss);
  }
  if (faults) faults->Report(state);
}
BENCHMARK(BM_TorchConvTrainStep)->Unit(benchmark::kMillisecond)->ArgName("threads")->Arg(1)->Arg(2);

}  // namespace
