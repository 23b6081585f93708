// LibTorch's side of math_bench.cc: the same ops on the same shapes, single-threaded (the
// thread count is set once in torch_peer_bench.cc).
#include <benchmark/benchmark.h>
#include <torch/torch.h>

namespace {

template <torch::Tensor (*kOp)(const torch::Tensor&)>
void BM_TorchMath(benchmark::State& state) {
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::rand({state.range(0)}) * 3.99 + 0.01;
  for (auto _ : state) benchmark::DoNotOptimize(kOp(x));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_TEMPLATE(BM_TorchMath, torch::exp)->Name("BM_TorchExp")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::log)->Name("BM_TorchLog")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::log1p)->Name("BM_TorchLog1p")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::tanh)->Name("BM_TorchTanh")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::sigmoid)->Name("BM_TorchSigmoid")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::sqrt)->Name("BM_TorchSqrt")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::rsqrt)->Name("BM_TorchRsqrt")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::sin)->Name("BM_TorchSin")->Arg(1000000);
BENCHMARK_TEMPLATE(BM_TorchMath, torch::cos)->Name("BM_TorchCos")->Arg(1000000);

void BM_TorchSoftplus(benchmark::State& state) {
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::rand({state.range(0)}) * 3.99 + 0.01;
  for (auto _ : state) benchmark::DoNotOptimize(torch::nn::functional::softplus(x));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TorchSoftplus)->Arg(1000000);

void BM_TorchPow(benchmark::State& state) {
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::rand({state.range(0)}) * 3.99 + 0.01;
  for (auto _ : state) benchmark::DoNotOptimize(torch::pow(x, 1.7));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TorchPow)->Arg(1000000);

// chain10.h's ChainMath10 in LibTorch eager.
void BM_TorchChainMath10(benchmark::State& state) {
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
BENCHMARK(BM_TorchChainMath10)->Arg(1000)->Arg(1000000);

}  // namespace
