// FunctionCore: signature -> compiled trace, and running it.
//   Compile: trace the user's function through the one dispatch point into a Trace (tapes
//   paused: the trace is not a computation), then compiler::Compile it to a Program.
//   Call: run the Program. When a tape is recording, run instead the forward variant that also
//   returns every value the backward needs (the trace re-traced with cond/while keeping
//   theirs, see replay.h), and record the call as one custom gradient over its results and
//   those saved values. The backward is itself a function, traced once per forward signature
//   by applying the gradient rules to the variant's nodes in reverse (trace_gradient.h), with
//   the saved values as its parameters: the forward's effects happen once, in the forward.
#include "api/function_core.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "absl/base/casts.h"
#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/check_against_eager.h"
#include "api/replay.h"
#include "api/trace_gradient.h"
#include "compiler/compile.h"
#include "eager/async_executor.h"
#include "eager/functional.h"
#include "eager/gradient_tape.h"
#include "graph/fusion.h"
#include "graph/program.h"
#include "graph/tracer.h"
#include "kernels/grad_helpers.h"
#include "runtime/device_memory.h"
#include "runtime/dispatch.h"
#include "runtime/tensor_factory.h"

namespace duet::internal {
namespace {

// DUET_JIT=0 runs every function's optimized graph op by op (as `.jit_compile = false`).
bool JitEnabled() {
  static const bool on = [] {
    const char* env = std::getenv("DUET_JIT");
    return !(env && std::string_view(env) == "0");
  }();
  return on;
}

std::atomic<bool> g_graphs_created{false};

std::string KeyOf(const Signature& sig) {
  std::vector<std::string> parts;
  for (const ArgKey& a : sig) parts.push_back(a.describe());
  return absl::StrJoin(parts, "; ");
}

std::string ExplainChange(const Signature& before, const Signature& after) {
  if (before.size() != after.size())
    return absl::StrCat("the number of arguments changed from ", before.size(), " to ",
                        after.size());
  std::vector<std::string> changes;
  for (size_t i = 0; i < after.size(); ++i) {
    const ArgKey& a = before[i];
    const ArgKey& b = after[i];
    if (a.kind != b.kind) {
      changes.push_back(
          absl::StrCat("argument ", i, " changed from ", a.describe(), " to ", b.describe()));
    } else if (a.kind == ArgKey::Kind::kTensor) {
      if (a.spec.dtype != b.spec.dtype)
        changes.push_back(absl::StrCat("argument ", i, " changed dtype from ",
                                       DTypeName(a.spec.dtype), " to ", DTypeName(b.spec.dtype)));
      if (a.spec.shape != b.spec.shape)
        changes.push_back(absl::StrCat("argument ", i, " changed shape from ",
                                       a.spec.shape.to_string(), " to ", b.spec.shape.to_string()));
    } else if (a != b) {
      changes.push_back(absl::StrCat("argument ", i, " (not a tensor) changed value from ",
                                     a.value_text(), " to ", b.value_text()));
    }
  }
  if (changes.empty()) return "the signature matches an earlier trace";
  return absl::StrJoin(changes, "; ");
}

}  // namespace

std::string ArgKey::value_text() const {
  switch (value_kind) {
    case ValueKind::kText:
      return value;
    case ValueKind::kReal: {
      std::ostringstream os;  // as operator<< printed the argument (17 digits)
      os.precision(17);
      os << absl::bit_cast<double>(bits);
      return os.str();
    }
    case ValueKind::kInteger:
      return absl::StrCat(static_cast<int64_t>(bits));
    case ValueKind::kIdentity: {
      std::ostringstream os;
      os << "variable@" << reinterpret_cast<const void*>(static_cast<uintptr_t>(bits));
      return os.str();
    }
  }
  return value;
}

std::string ArgKey::describe() const {
  return kind == Kind::kTensor ? absl::StrCat("tensor ", spec.to_string())
                               : absl::StrCat("value ", value_text());
}

uint64_t HashSignature(const Signature& sig) {
  // FNV-1a over the fields equality compares (the text only for values keyed by text).
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](uint64_t v) { h = (h ^ v) * 1099511628211ull; };
  for (const ArgKey& a : sig) {
    mix(static_cast<uint64_t>(a.kind));
    if (a.kind == ArgKey::Kind::kTensor) {
      mix(static_cast<uint64_t>(a.spec.dtype));
      mix(static_cast<uint64_t>(a.spec.shape.rank()));
      for (int64_t d : a.spec.shape) mix(static_cast<uint64_t>(d));
    } else {
      mix(static_cast<uint64_t>(a.value_kind));
      mix(a.bits);
      for (char c : a.value) mix(static_cast<unsigned char>(c));
    }
  }
  return h;
}

bool GraphsCreated() { return g_graphs_created.load(); }

// A compiled trace's gradient: the forward variant and its backwards, built on first use.
struct GradVariant {
  graph::Trace trace;  // the forward variant: results, then the saved values
  graph::Bindings bindings;
  std::shared_ptr<graph::Program> program;
  size_t num_results = 0;
  std::vector<int> saved;    // value ids of the saved values, in result order
  std::vector<int> sources;  // indices of the trainable floating variables (gradient targets)
  std::mutex mu;
  // By which output gradients are defined ("1101"): each a function of (saved..., defined dys...).
  std::map<std::string, std::unique_ptr<FunctionCore>> backward;
};

namespace {

double MillisecondsBetween(std::chrono::steady_clock::time_point a,
                           std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

void CountKernels(const graph::Program& program, CompileStats& stats) {
  for (const graph::Instr& i : program.instrs) {
    if (i.kind == graph::Instr::Kind::kOp) ++stats.num_kernels;
    if (i.kind == graph::Instr::Kind::kFusion) {
      ++stats.num_kernels;
      ++stats.fused_regions;
      stats.fused_ops += static_cast<int>(i.fusion->ops.size());
      if (const auto& generated = i.fusion->generated) {
        stats.generated_kernels += generated->ready();
        stats.codegen_ms += generated->compile_ms();
      }
    }
    for (const auto& region : i.regions) CountKernels(*region, stats);
  }
}

// Live intermediate bytes along the top-level instructions, each freeing its `release` slots
// after it runs (PlanReleases in lower_to_program.cc); regions count their results only, and
// constants are the program's own tensors.
int64_t PeakIntermediateBytes(const graph::Program& program) {
  std::unordered_map<int, int64_t> bytes;  // slot -> its buffer's size
  int64_t live = 0, peak = 0;
  for (const graph::Instr& i : program.instrs) {
    if (i.kind == graph::Instr::Kind::kConstant) continue;  // held by the program, not per call
    for (size_t k = 0; k < i.out.size() && k < i.out_specs.size(); ++k) {
      const TensorSpec& spec = i.out_specs[k];
      const int64_t b = spec.shape.fully_defined()
                            ? spec.shape.num_elements() * static_cast<int64_t>(SizeOf(spec.dtype))
                            : 0;
      bytes[i.out[k]] = b;
      live += b;
    }
    peak = std::max(peak, live);
    for (int slot : i.release) {
      auto it = bytes.find(slot);
      if (it == bytes.end()) continue;  // an argument
      live -= it->second;
      bytes.erase(it);
    }
  }
  return peak;
}

}  // namespace

struct Compiled {
  Signature sig;
  uint64_t hash = 0;  // HashSignature(sig)
  graph::Trace trace;
  graph::Bindings bindings;
  std::shared_ptr<graph::Program> program;
  std::string optimized_ir;
  double trace_ms = 0, optimize_ms = 0;
  std::once_flag grad_once;
  std::shared_ptr<GradVariant> grad;
  std::string grad_error;  // why the forward variant could not be built, if it could not
};

struct FunctionCore::State {
  std::string name;
  std::vector<std::optional<TensorSpec>> declared;
  std::mutex mu;                          // held while tracing and compiling
  std::atomic<std::thread::id> tracer{};  // the thread tracing now (it holds `mu`), if any
  mutable std::mutex cache_mu;  // guards `cache` only: a cached call never waits for a trace
  std::vector<std::shared_ptr<Compiled>> cache;  // few per function: a scan of hashes
  std::vector<Signature> traced;
  std::atomic<int> tracing_count{0};
  std::atomic<int> budget{5};
  std::atomic<bool> jit_compile{true};
  std::string explanation = "the function has not been called yet";
};

FunctionCore::FunctionCore(std::string name, std::vector<std::optional<TensorSpec>> declared)
    : state_(std::make_unique<State>()) {
  state_->name = std::move(name);
  state_->declared = std::move(declared);
}

FunctionCore::~FunctionCore() = default;

TensorSpec FunctionCore::SpecFor(size_t i, const Tensor& t, const Loc& loc) const {
  if (!t.defined())
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[function ", state_->name, "] argument ", i,
                                " is an undefined tensor (e.g. a gradient that does not exist)")),
               loc);
  if (i >= state_->declared.size() || !state_->declared[i]) return t.spec();
  const TensorSpec& d = *state_->declared[i];
  bool ok = d.dtype == t.dtype() && d.shape.rank() == t.rank();
  for (int k = 0; ok && k < d.shape.rank(); ++k) ok = d.shape[k] < 0 || d.shape[k] == t.shape()[k];
  if (!ok)
    ThrowError(absl::InvalidArgumentError(absl::StrCat(
                   "[function ", state_->name, "] argument ", i, " is ", t.spec().to_string(),
                   " but the function was declared with TensorSpec ", d.to_string())),
               loc);
  return d;
}

int FunctionCore::tracing_count() const { return state_->tracing_count.load(); }
std::string FunctionCore::explain_retrace() const {
  State& s = *state_;
  if (s.tracer.load() == std::this_thread::get_id())
    return s.explanation;  // asked by its own trace
  std::lock_guard<std::mutex> lock(s.mu);
  return s.explanation;
}
void FunctionCore::set_trace_budget(int budget) { state_->budget = budget; }
void FunctionCore::set_jit_compile(bool on) { state_->jit_compile = on; }

std::shared_ptr<Compiled> FunctionCore::Lookup(const Signature& sig, uint64_t hash) const {
  std::lock_guard<std::mutex> lock(state_->cache_mu);
  for (const std::shared_ptr<Compiled>& c : state_->cache)
    if (c->hash == hash && c->sig == sig) return c;
  return nullptr;
}

namespace {

// The cached call's lookup: no reference count taken (entries live as long as the core).
Compiled* FindCompiled(std::mutex& mu, const std::vector<std::shared_ptr<Compiled>>& cache,
                       const Signature& sig) {
  uint64_t hash = HashSignature(sig);
  std::lock_guard<std::mutex> lock(mu);
  for (const std::shared_ptr<Compiled>& c : cache)
    if (c->hash == hash && c->sig == sig) return c.get();
  return nullptr;
}

}  // namespace

std::shared_ptr<Compiled> FunctionCore::GetOrCompile(const Signature& sig, InvokerRef invoke,
                                                     const Loc& loc) {
  State& s = *state_;
  if (s.tracer.load() == std::this_thread::get_id())  // waiting for our own lock would hang
    ThrowError(absl::FailedPreconditionError(
                   absl::StrCat("[function ", s.name,
                                "] was called, or its graph_text() asked for, from inside its own "
                                "trace; a function cannot call itself recursively or inspect its "
                                "graph while it is being "
                                "traced (tracing_count() and explain_retrace() are fine)")),
               loc);
  uint64_t hash = HashSignature(sig);
  if (std::shared_ptr<Compiled> hit = Lookup(sig, hash)) return hit;
  std::lock_guard<std::mutex> lock(s.mu);
  if (std::shared_ptr<Compiled> hit = Lookup(sig, hash)) return hit;  // traced meanwhile
  std::string key = KeyOf(sig);

  s.explanation = s.traced.empty()
                      ? absl::StrCat("first trace, for (", key, ")")
                      : absl::StrCat("retraced because ", ExplainChange(s.traced.back(), sig));
  s.traced.push_back(sig);
  ++s.tracing_count;
  if (s.tracing_count > s.budget)
    std::cerr << "duet: warning: function '" << s.name << "' has traced " << s.tracing_count
              << " times (budget " << s.budget << "); " << s.explanation
              << ". Declare TensorSpecs with -1 dims, or pass numbers that change as tensors.\n";
  g_graphs_created = true;

  auto c = std::make_shared<Compiled>();
  c->sig = sig;
  c->hash = hash;
  auto trace_start = std::chrono::steady_clock::now();
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
    ThrowIfError(scope.Return(outs), loc);
  }
  auto optimize_start = std::chrono::steady_clock::now();
  c->trace_ms = MillisecondsBetween(trace_start, optimize_start);
  compiler::Executable exe = ValueOrThrow(
      compiler::Compile(
          c->trace,
          {.name = s.name, .dump_label = key, .passes = {}, .fuse = s.jit_compile && JitEnabled()}),
      loc);
  c->optimize_ms = MillisecondsBetween(optimize_start, std::chrono::steady_clock::now());
  c->optimized_ir = std::move(exe.ir_text);
  c->program = std::move(exe.program);
  c->bindings = {c->trace.variables, c->trace.host_fns};
  std::lock_guard<std::mutex> cache_lock(s.cache_mu);
  s.cache.push_back(c);
  return c;
}

std::string FunctionCore::GraphText(const Signature& sig, InvokerRef invoke, const Loc& loc) {
  return GetOrCompile(sig, invoke, loc)->optimized_ir;
}

CompileStats FunctionCore::Stats(const Signature& sig, InvokerRef invoke, const Loc& loc) {
  std::shared_ptr<Compiled> c = GetOrCompile(sig, invoke, loc);
  CompileStats stats;
  stats.trace_ms = c->trace_ms;
  stats.optimize_ms = c->optimize_ms;
  CountKernels(*c->program, stats);
  stats.peak_bytes = PeakIntermediateBytes(*c->program);
  return stats;
}

std::shared_ptr<const graph::Trace> FunctionCore::TraceFor(const Signature& sig, InvokerRef invoke,
                                                           const Loc& loc) {
  std::shared_ptr<Compiled> c = GetOrCompile(sig, invoke, loc);
  return std::shared_ptr<const graph::Trace>(c, &c->trace);
}

namespace {

std::shared_ptr<GradVariant> BuildGradVariant(const Compiled& c, const std::string& name,
                                              const Loc& loc) {
  auto g = std::make_shared<GradVariant>();
  {
    graph::TraceScope scope(&g->trace);
    std::vector<Tensor> params;
    for (int p : c.trace.body.params)
      params.push_back(scope.Parameter(c.trace.values[static_cast<size_t>(p)]));
    std::vector<Tensor> outs;
    {
      ObserverPause pause;
      outs = RetraceForGradient(c.trace, params);
    }
    g->num_results = outs.size();
    g->saved = DefinedValues(g->trace.body);
    for (int id : g->saved) outs.push_back(scope.tracer().TensorOf(id));
    ThrowIfError(scope.Return(outs), loc);
  }
  for (size_t i = 0; i < g->trace.variables.size(); ++i) {
    const auto& v = g->trace.variables[i];
    if (v->trainable && IsFloating(v->Read().dtype())) g->sources.push_back(static_cast<int>(i));
  }
  compiler::Executable exe =
      ValueOrThrow(compiler::Compile(g->trace, {.name = name + "_forward",
                                                .dump_label = "saves for the gradient",
                                                .passes = {},
                                                .fuse = JitEnabled()}),
                   loc);
  g->program = std::move(exe.program);
  g->bindings = {g->trace.variables, g->trace.host_fns};
  return g;
}

// The backward for one mask of defined output gradients: (saved..., defined dys...) -> the
// gradient of each floating argument, then of each source variable (zeros where none flows).
Invoker BackwardInvoker(const std::shared_ptr<GradVariant>& gv, const std::string& mask) {
  return [gv, mask](const std::vector<Tensor>& t) {
    const graph::Trace& v = gv->trace;
    GraphGrad g;
    g.variables = v.variables;
    g.source_variables.insert(gv->sources.begin(), gv->sources.end());
    g.specs = std::make_shared<const std::vector<TensorSpec>>(v.values);
    g.rerun = RerunIn(v, v.body);
    for (size_t j = 0; j < gv->saved.size(); ++j) g.env[gv->saved[j]] = t[j];
    for (int p : v.body.params) g.Track(p);
    Propagate(v.body, g);
    size_t next = gv->saved.size();
    for (size_t i = 0; i < mask.size(); ++i)
      if (mask[i] == '1') g.Seed(v.body.results[i], t[next++]);
    Reverse(v.body, g);
    std::vector<Tensor> grads;
    for (int p : v.body.params) {
      if (!IsFloating(v.values[static_cast<size_t>(p)].dtype)) continue;
      auto it = g.grads.find(p);
      grads.push_back(it != g.grads.end() ? it->second : ZerosOf(g.Value(p)));
    }
    for (int index : gv->sources) {
      auto it = g.var_grads.find(index);
      grads.push_back(it != g.var_grads.end()
                          ? it->second
                          : ZerosLike(v.variables[static_cast<size_t>(index)]->Read()));
    }
    return grads;
  };
}

}  // namespace

std::vector<Tensor> FunctionCore::Call(const Signature& sig, absl::Span<const Tensor> tensor_args,
                                       InvokerRef invoke, const Loc& loc) {
  for (size_t i = 0; i < tensor_args.size(); ++i) {
    const Tensor& a = tensor_args[i];
    ThrowIfError(a.await_ready(), loc);  // an async op's value: wait, or fail as it did
    if (!IsHostMemory(a.device().type)) [[unlikely]]
      ThrowError(absl::InvalidArgumentError(absl::StrCat(
                     "[", state_->name, "] argument ", i, " ", a.spec().to_string(), " is on ",
                     a.device().to_string(), "; compiled functions run on the CPU: pass x.cpu()")),
                 loc);
  }
  State& s = *state_;
  Compiled* c = s.tracer.load() == std::this_thread::get_id()  // GetOrCompile explains
                    ? nullptr
                    : FindCompiled(s.cache_mu, s.cache, sig);
  std::shared_ptr<Compiled> traced;
  if (!c) {
    traced = GetOrCompile(sig, invoke, loc);
    c = traced.get();
  }
  if (internal::AsyncEverUsed()) [[unlikely]]  // the program reads (and may update in place)
    for (const auto& v : c->bindings.variables) ThrowIfError(v->Read().await_ready(), loc);
  if (internal::CheckingFunctionsAgainstEager() && !HasObservers()) [[unlikely]]
    return internal::RunCheckedAgainstEager(
        {s.name, c->trace, *c->program, c->bindings, s.jit_compile && JitEnabled()}, tensor_args,
        loc);
  if (!HasObservers())
    return ValueOrThrow(graph::RunProgram(*c->program, c->bindings, tensor_args), loc);

  // A tape is recording: run the variant that also returns what the backward needs.
  std::call_once(c->grad_once, [&] {
    try {
      c->grad = BuildGradVariant(*c, state_->name, loc);
    } catch (const Error& e) {  // the call still runs; only its gradient is refused
      c->grad_error = e.what();
    }
  });
  if (!c->grad) {
    std::vector<Tensor> outs =
        ValueOrThrow(graph::RunProgram(*c->program, c->bindings, tensor_args), loc);
    std::vector<Tensor> inputs;
    for (const Tensor& a : tensor_args)
      if (IsFloating(a.dtype())) inputs.push_back(a);
    for (Tensor& o : outs) o = Tensor::View(o, o.shape());
    std::string error = c->grad_error;
    RecordCustomGradient(inputs, outs, [error](absl::Span<const Tensor>) -> std::vector<Tensor> {
      throw Error(error);
    });
    return outs;
  }
  std::shared_ptr<GradVariant> gv = c->grad;
  std::vector<Tensor> all =
      ValueOrThrow(graph::RunProgram(*gv->program, gv->bindings, tensor_args), loc);
  // Fresh handles: an output may be an argument itself (f(x) = x), and the tape keys on handles.
  for (Tensor& o : all) o = Tensor::View(o, o.shape());
  std::vector<Tensor> inputs;
  for (const Tensor& a : tensor_args)
    if (IsFloating(a.dtype())) inputs.push_back(a);
  for (int index : gv->sources)
    inputs.push_back(Variable::FromState(gv->trace.variables[static_cast<size_t>(index)])
                         .value(loc));  // lets tapes watch it
  std::vector<Tensor> saved(all.begin() + static_cast<long>(gv->num_results), all.end());
  std::string name = state_->name;
  CustomGradFn backward = [gv, saved, name, loc](absl::Span<const Tensor> dys) {
    std::string mask;
    std::vector<Tensor> args = saved;
    for (const Tensor& dy : dys) {
      mask += dy.defined() ? '1' : '0';
      if (dy.defined()) args.push_back(dy);
    }
    FunctionCore* bwd;
    {
      std::lock_guard<std::mutex> lock(gv->mu);
      std::unique_ptr<FunctionCore>& slot = gv->backward[mask];
      if (!slot) {  // declared specs: one trace for every call of this forward signature
        std::vector<std::optional<TensorSpec>> specs;
        for (int id : gv->saved) specs.push_back(gv->trace.values[static_cast<size_t>(id)]);
        for (size_t i = 0; i < mask.size(); ++i)
          if (mask[i] == '1')
            specs.push_back(gv->trace.values[static_cast<size_t>(gv->trace.body.results[i])]);
        slot = std::make_unique<FunctionCore>(name + "_grad", std::move(specs));
      }
      bwd = slot.get();
    }
    Signature bwd_sig;
    for (size_t i = 0; i < args.size(); ++i)
      bwd_sig.push_back({ArgKey::Kind::kTensor, bwd->SpecFor(i, args[i], loc), ""});
    return bwd->Call(bwd_sig, args, BackwardInvoker(gv, mask), loc);
  };
  RecordCustomGradient(inputs, all, std::move(backward));
  return std::vector<Tensor>(all.begin(), all.begin() + static_cast<long>(gv->num_results));
}

}  // namespace duet::internal
