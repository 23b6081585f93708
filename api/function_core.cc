// FunctionCore: signature -> compiled trace, and running it.
//   Compile: trace the user's function through the one dispatch point into a Trace (tapes
//   paused: the trace is not a computation), then compiler::Compile it to a Program.
//   Call: run the Program. When a tape is recording, the call is recorded as one custom
//   gradient whose backward is itself a traced, cached function (the VJP of the body).
#include "api/function_core.h"

#include "api/replay.h"

#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compiler/compile.h"
#include "eager/functional.h"
#include "eager/gradient_tape.h"
#include "graph/program.h"
#include "graph/tracer.h"
#include "kernels/binary_ops.h"
#include "kernels/reduce_ops.h"
#include "runtime/dispatch.h"
#include "runtime/tensor_factory.h"

namespace duet::internal {
namespace {

std::atomic<bool> g_graphs_created{false};

std::string KeyOf(const Signature& sig) {
  std::vector<std::string> parts;
  for (const ArgKey& a : sig) parts.push_back(a.describe());
  return absl::StrJoin(parts, "; ");
}

std::string ExplainChange(const Signature& before, const Signature& after) {
  if (before.size() != after.size())
    return absl::StrCat("the number of arguments changed from ", before.size(), " to ", after.size());
  std::vector<std::string> changes;
  for (size_t i = 0; i < after.size(); ++i) {
    const ArgKey& a = before[i];
    const ArgKey& b = after[i];
    if (a.kind != b.kind) {
      changes.push_back(absl::StrCat("argument ", i, " changed from ", a.describe(), " to ", b.describe()));
    } else if (a.kind == ArgKey::Kind::kTensor) {
      if (a.spec.dtype != b.spec.dtype)
        changes.push_back(absl::StrCat("argument ", i, " changed dtype from ", DTypeName(a.spec.dtype), " to ",
                                       DTypeName(b.spec.dtype)));
      if (a.spec.shape != b.spec.shape)
        changes.push_back(absl::StrCat("argument ", i, " changed shape from ", a.spec.shape.to_string(), " to ",
                                       b.spec.shape.to_string()));
    } else if (a.value != b.value) {
      changes.push_back(absl::StrCat("argument ", i, " (not a tensor) changed value from ", a.value, " to ", b.value));
    }
  }
  if (changes.empty()) return "the signature matches an earlier trace";
  return absl::StrJoin(changes, "; ");
}

}  // namespace

std::string ArgKey::describe() const {
  return kind == Kind::kTensor ? absl::StrCat("tensor ", spec.to_string()) : absl::StrCat("value ", value);
}

bool GraphsCreated() { return g_graphs_created.load(); }

struct Compiled {
  Signature sig;
  graph::Trace trace;
  graph::Bindings bindings;
  std::shared_ptr<graph::Program> program;
  std::string optimized_ir;
  std::once_flag backward_once;
  std::unique_ptr<FunctionCore> backward;  // the VJP of this trace, traced on first use
};

struct FunctionCore::State {
  std::string name;
  std::vector<std::optional<TensorSpec>> declared;
  std::mutex mu;  // held while tracing and compiling
  std::atomic<std::thread::id> tracer{};  // the thread tracing now (it holds `mu`), if any
  std::map<std::string, std::shared_ptr<Compiled>> cache;
  std::vector<Signature> traced;
  std::atomic<int> tracing_count{0};
  std::atomic<int> budget{5};
  std::string explanation = "the function has not been called yet";
};

FunctionCore::FunctionCore(std::string name, std::vector<std::optional<TensorSpec>> declared) : state_(std::make_unique<State>()) {
  state_->name = std::move(name);
  state_->declared = std::move(declared);
}

FunctionCore::~FunctionCore() = default;

TensorSpec FunctionCore::SpecFor(size_t i, const Tensor& t, const Loc& loc) const {
  if (!t.defined())
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[function ", state_->name, "] argument ", i,
                                                       " is an undefined tensor (e.g. a gradient that does not exist)")),
               loc);
  if (i >= state_->declared.size() || !state_->declared[i]) return t.spec();
  const TensorSpec& d = *state_->declared[i];
  bool ok = d.dtype == t.dtype() && d.shape.rank() == t.rank();
  for (int k = 0; ok && k < d.shape.rank(); ++k) ok = d.shape[k] < 0 || d.shape[k] == t.shape()[k];
  if (!ok)
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[function ", state_->name, "] argument ", i, " is ", t.spec().to_string(),
                                                       " but the function was declared with TensorSpec ", d.to_string())),
               loc);
  return d;
}

int FunctionCore::tracing_count() const { return state_->tracing_count.load(); }
std::string FunctionCore::explain_retrace() const {
  State& s = *state_;
  if (s.tracer.load() == std::this_thread::get_id()) return s.explanation;  // asked by its own trace
  std::lock_guard<std::mutex> lock(s.mu);
  return s.explanation;
}
void FunctionCore::set_trace_budget(int budget) { state_->budget = budget; }

std::shared_ptr<Compiled> FunctionCore::GetOrCompile(const Signature& sig, const Invoker& invoke, const Loc& loc) {
  State& s = *state_;
  if (s.tracer.load() == std::this_thread::get_id())  // waiting for our own lock would hang
    ThrowError(absl::FailedPreconditionError(absl::StrCat(
                   "[function ", s.name, "] was called, or its graph_text() asked for, from inside its own "
                   "trace; a function cannot call itself recursively or inspect its graph while it is being "
                   "traced (tracing_count() and explain_retrace() are fine)")),
               loc);
  std::lock_guard<std::mutex> lock(s.mu);
  std::string key = KeyOf(sig);
  if (auto it = s.cache.find(key); it != s.cache.end()) return it->second;

  s.explanation = s.traced.empty() ? absl::StrCat("first trace, for (", key, ")")
                                   : absl::StrCat("retraced because ", ExplainChange(s.traced.back(), sig));
  s.traced.push_back(sig);
  ++s.tracing_count;
  if (s.tracing_count > s.budget)
    std::cerr << "duet: warning: function '" << s.name << "' has traced " << s.tracing_count << " times (budget "
              << s.budget << "); " << s.explanation
              << ". Declare TensorSpecs with -1 dims, or pass numbers that change as tensors.\n";
  g_graphs_created = true;

  auto c = std::make_shared<Compiled>();
  c->sig = sig;
  {
    graph::TraceScope scope(&c->trace);
    std::vector<Tensor> params;
    for (const ArgKey& a : sig)
      if (a.kind == ArgKey::Kind::kTensor) params.push_back(scope.Parameter(a.spec));
    std::vector<Tensor> outs;
    {
      ObserverPause pause;  // enclosing tapes see the call, not the trace
      s.tracer.store(std::this_thread::get_id());
      absl::Cleanup done = [&] { s.tracer.store(std::thread::id()); };
      outs = invoke(params);
    }
    scope.Return(outs);
  }
  compiler::Executable exe =
      ValueOrThrow(compiler::Compile(c->trace, {.name = s.name, .dump_label = key, .passes = {}}), loc);
  c->optimized_ir = std::move(exe.ir_text);
  c->program = std::move(exe.program);
  c->bindings = {c->trace.variables, c->trace.host_fns};
  s.cache[key] = c;
  return c;
}

std::string FunctionCore::GraphText(const Signature& sig, const std::vector<Tensor>&, const Invoker& invoke, const Loc& loc) {
  return GetOrCompile(sig, invoke, loc)->optimized_ir;
}

std::shared_ptr<const graph::Trace> FunctionCore::TraceFor(const Signature& sig, const Invoker& invoke, const Loc& loc) {
  std::shared_ptr<Compiled> c = GetOrCompile(sig, invoke, loc);
  return std::shared_ptr<const graph::Trace>(c, &c->trace);
}

namespace {

// The backward of a compiled call: a function of (tensor args..., output grads...) returning
// the gradient of each floating tensor arg, then of each captured trainable variable.
Invoker BackwardInvoker(const std::shared_ptr<Compiled>& c, size_t num_args) {
  // The forward is the recorded trace, replayed: the user's function object may be gone.
  Invoker forward = [c](const std::vector<Tensor>& args) { return ReplayTrace(c->trace, args); };
  std::vector<std::shared_ptr<VariableState>> variables = c->trace.variables;
  return [forward, variables, num_args](const std::vector<Tensor>& t) {
    std::vector<Tensor> args(t.begin(), t.begin() + static_cast<long>(num_args));
    std::vector<Tensor> dys(t.begin() + static_cast<long>(num_args), t.end());
    GradientTape tape;
    std::vector<GradSource> sources;
    for (const Tensor& a : args)
      if (IsFloating(a.dtype())) {
        tape.watch(a);
        sources.emplace_back(a);
      }
    for (const auto& v : variables)
      if (v->trainable && IsFloating(v->Read().dtype())) {
        Variable handle = Variable::FromState(v);
        tape.watch(handle);
        sources.emplace_back(handle);
      }
    std::vector<Tensor> outs = forward(args);
    Tensor target;
    for (size_t i = 0; i < outs.size() && i < dys.size(); ++i) {
      if (!IsFloating(outs[i].dtype())) continue;
      Tensor term = reduce_sum(mul(outs[i], dys[i]));
      target = target.defined() ? add(target, term) : term;
    }
    std::vector<Tensor> grads;
    if (target.defined()) grads = tape.gradient(target, sources);
    else grads.resize(sources.size());
    for (size_t i = 0; i < grads.size(); ++i)  // a graph returns tensors: no gradient is zeros
      if (!grads[i].defined()) {
        TensorSpec spec = sources[i].is_variable() ? sources[i].variable().value().spec() : sources[i].tensor().spec();
        grads[i] = FillLike(spec, *ScalarTensor("gradient", 0, 0, true, spec.dtype));
      }
    return grads;
  };
}

}  // namespace

std::vector<Tensor> FunctionCore::Call(const Signature& sig, const std::vector<Tensor>& tensor_args, const Invoker& invoke,
                                       const Loc& loc) {
  std::shared_ptr<Compiled> c = GetOrCompile(sig, invoke, loc);
  std::vector<Tensor> outs = ValueOrThrow(graph::RunProgram(*c->program, c->bindings, tensor_args), loc);
  if (!HasObservers()) return outs;
  // Fresh handles: an output may be an argument itself (f(x) = x), and the tape keys on handles.
  for (Tensor& o : outs) o = Tensor::View(o, o.shape());

  // A tape is recording: the call is one differentiable step of it.
  std::vector<Tensor> inputs;
  for (const Tensor& a : tensor_args)
    if (IsFloating(a.dtype())) inputs.push_back(a);
  for (const auto& v : c->trace.variables)
    if (v->trainable && IsFloating(v->Read().dtype())) {
      Tensor value = Variable::FromState(v).value(loc);  // lets tapes watch it
      inputs.push_back(value);
    }
  std::string name = state_->name;
  size_t num_args = tensor_args.size();
  std::vector<TensorSpec> out_specs;
  for (const Tensor& o : outs) out_specs.push_back(o.spec());
  std::string state_change = FindStateChange(c->trace.body);
  CustomGradFn backward = [c, name, tensor_args, num_args, out_specs, state_change, loc](absl::Span<const Tensor> dys) {
    if (!state_change.empty())  // the backward recomputes the forward: it would repeat the change
      ThrowError(absl::UnimplementedError(absl::StrCat("[gradient] function '", name, "' ", state_change,
                                                       "; gradients through functions that change state are not "
                                                       "supported yet (run it with config::run_functions_eagerly)")),
                 loc);
    std::call_once(c->backward_once, [&] { c->backward = std::make_unique<FunctionCore>(name + "_grad", std::vector<std::optional<TensorSpec>>{}); });
    std::vector<Tensor> bwd_args = tensor_args;
    for (size_t i = 0; i < dys.size(); ++i)  // non-float outputs carry no gradient: zeros keep the signature
      bwd_args.push_back(dys[i].defined() ? dys[i] : FillLike(out_specs[i], *ScalarTensor("gradient", 0, 0, true, out_specs[i].dtype)));
    Signature bwd_sig;
    for (const Tensor& t : bwd_args) bwd_sig.push_back({ArgKey::Kind::kTensor, t.spec(), ""});
    return c->backward->Call(bwd_sig, bwd_args, BackwardInvoker(c, num_args), loc);
  };
  RecordCustomGradient(inputs, outs, std::move(backward));
  return outs;
}

}  // namespace duet::internal
