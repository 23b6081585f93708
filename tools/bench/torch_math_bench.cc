// LibTorch's side of math_bench.cc: the same ops on the same shapes, with the intra-op thread
// count of the second argument (1 or 2; torch_peer_bench.cc sets 1 for everything else).
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <vector>

namespace {

struct TorchThreadsArg {
  explicit TorchThreadsArg(const benchmark::State& state) {
    at::set_num_threads(static_cast<int>(state.range(1)));
  }
  ~TorchThreadsArg() { at::set_num_threads(1); }
};

void SizesAndThreads(benchmark::internal::Benchmark* b, std::vector<int64_t> sizes) {
  b->ArgNames({"n", "threads"});
  for (int64_t n : sizes)
    for (int64_t t : {1, 2}) b->Args({n, t});
}
void MillionAndThreads(benchmark::internal::Benchmark* b) { SizesAndThreads(b, {1000000}); }

template <torch::Tensor (*kOp)(const torch::Tensor&)>
void BM_TorchMath(benchmark::State& state) {
  TorchThreadsArg threads(state);
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::rand({state.range(0)}) * 3.99 + 0.01;
  for (auto _ : state) benchmark::DoNotOptimize(kOp(x));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_TorchMath, torch::exp)->Name("BM_TorchExp")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::log)->Name("BM_TorchLog")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::log1p)->Name("BM_TorchLog1p")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::tanh)->Name("BM_TorchTanh")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::sigmoid)->Name("BM_TorchSigmoid")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::sqrt)->Name("BM_TorchSqrt")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::rsqrt)->Name("BM_TorchRsqrt")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::sin)->Name("BM_TorchSin")->Apply(MillionAndThreads);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::cos)->Name("BM_TorchCos")->Apply(MillionAndThreads);

void BM_TorchSoftplus(benchmark::State& state) {
  TorchThreadsArg threads(state);
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::rand({state.range(0)}) * 3.99 + 0.01;
  for (auto _ : state) benchmark::DoNotOptimize(torch::nn::functional::softplus(x));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TorchSoftplus)->Apply(MillionAndThreads);

void BM_TorchPow(benchmark::State& state) {
  TorchThreadsArg threads(state);
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::rand({state.range(0)}) * 3.99 + 0.01;
  for (auto _ : state) benchmark::DoNotOptimize(torch::pow(x, 1.7));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TorchPow)->Apply(MillionAndThreads);

// chain10.h's ChainMath10 in LibTorch eager.
void BM_TorchChainMath10(benchmark::State& state) {
  TorchThreadsArg threads(state);
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::rand({state.range(0)});
  for (auto _ : state) {
    torch::Tensor y = x * 1.01;
    y = y + 0.5;
    y = torch::relu(y);
    y = y * x;
    y = y - 0.25;
    y = torch::tanh(y);
    y = y * 2;
    y = y + x;
    y = torch::sigmoid(y);
    benchmark::DoNotOptimize(y * x);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0) * 10);
}
BENCHMARK(BM_TorchChainMath10)->Apply([](auto* b) { SizesAndThreads(b, {1000, 1000000}); });

}  // namespace
