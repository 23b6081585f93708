// Eager vs duet::function on the chain of 10 elementwise ops, and a compiled call's overhead
// (the [1] case is almost all overhead: 10 tiny kernels). Also the gradient of a traced
// while_loop at n trips: the backward reads per-iteration stacks, so cost grows ~linearly.
#include <benchmark/benchmark.h>

#include "api/duet.h"
#include "compiler/compile.h"
#include "graph/program.h"
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

// The overhead of a cached call beyond its kernels is BM_Chain10Function minus this: the same
// compiled program's 10 kernels called in a plain loop, each with its output allocated as the
// executor does (Tensor::Empty), with no signature, cache, executor or result handling.
void BM_Chain10KernelsOnly(benchmark::State& state) {
  int64_t n = state.range(0);
  Tensor x = random::uniform({n}, 0.f, 1.f, 3);
  auto f = function([](Tensor x) { return Chain10(x); });
  std::shared_ptr<const graph::Trace> trace = f.trace_for({x.spec()});
  absl::StatusOr<compiler::Executable> exe = compiler::Compile(*trace, {});
  if (!exe.ok()) return state.SkipWithError(std::string(exe.status().message()).c_str());
  const graph::Program& p = *exe->program;
  std::vector<Tensor> slots(static_cast<size_t>(p.num_slots));
  int kernels = 0;
  for (const graph::Instr& i : p.instrs) {
    if (i.kind != graph::Instr::Kind::kOp && i.kind != graph::Instr::Kind::kConstant)
      return state.SkipWithError("the chain lowered to more than ops and constants");
    kernels += i.kind == graph::Instr::Kind::kOp;
  }
  slots[static_cast<size_t>(p.params[0])] = x;
  for (auto _ : state) {
    for (const graph::Instr& i : p.instrs) {
      if (i.kind == graph::Instr::Kind::kConstant) {
        slots[static_cast<size_t>(i.out[0])] = i.constant;
        continue;
      }
      TensorList in;
      for (int s : i.in) in.push_back(slots[static_cast<size_t>(s)]);
      TensorList out(i.out_specs.size());
      if (!i.op->kernel_allocates_outputs)
        for (size_t k = 0; k < out.size(); ++k) out[k] = Tensor::Empty(i.out_specs[k]);
      KernelContext ctx{*i.op, in, absl::MakeSpan(out), i.out_specs, i.attrs};
      if (!i.kernel(ctx).ok()) return state.SkipWithError("kernel failed");
      slots[static_cast<size_t>(i.out[0])] = std::move(out[0]);
    }
    benchmark::DoNotOptimize(slots[static_cast<size_t>(p.results[0])]);
  }
  state.counters["kernels"] = kernels;
  state.SetItemsProcessed(state.iterations() * n * 10);
}
BENCHMARK(BM_Chain10KernelsOnly)->Arg(1);

// A cached call of a function with no ops at all (it returns its argument): the call path
// alone (signature, hash lookup, executor set-up, results).
void BM_FunctionIdentityCall(benchmark::State& state) {
  Tensor x = constant({1.f});
  auto f = function([](Tensor x) { return x; });
  f(x);
  for (auto _ : state) benchmark::DoNotOptimize(f(x));
}
BENCHMARK(BM_FunctionIdentityCall);

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
