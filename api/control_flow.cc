// cond / while_loop / host_func / print: eager code runs them at once; while tracing they
// become nodes whose regions are traced by running the user's lambdas under the tracer.
// A traced cond seen by a tape is recorded as one custom gradient: a cond over the two
// branches' vector-Jacobian products, so its backward is a traced cond too. A traced
// while_loop seen by a tape is recorded likewise; its backward is a while_loop that walks the
// iterations in reverse, recomputing each one by replaying the body (O(n^2) body runs for n
// trips, see LoopRecord). Backward passes replay the recorded regions, never the user's lambdas.
#include "api/control_flow.h"

#include <iostream>
#include <set>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "api/function_core.h"
#include "eager/functional.h"
#include "eager/gradient_tape.h"
#include "eager/variable.h"
#include "graph/tracer.h"
#include "kernels/binary_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/reduce_ops.h"
#include "runtime/dispatch.h"
#include "runtime/tensor_factory.h"

namespace duet {
namespace {

using graph::TraceNode;
using graph::TraceRegion;
using graph::Tracer;

// Traces fn into `region`; outer tapes do not see the region's ops (the node is what they see).
template <class Fn>
std::vector<Tensor> TraceInto(Tracer& tr, TraceRegion& region, const Fn& fn, const Loc& loc) {
  tr.PushRegion(&region);
  struct Pop {
    Tracer& tr;
    ~Pop() { tr.PopRegion(); }
  } pop{tr};
  std::vector<Tensor> outs;
  {
    ObserverPause pause;
    outs = fn();
  }
  for (const Tensor& t : outs) region.results.push_back(tr.ValueOf(t, loc));
  return outs;
}

// Values a region (and its nested regions) uses but does not define.
void CollectCaptures(const TraceRegion& r, std::set<int>& defined, std::set<int>& captures) {
  for (int p : r.params) defined.insert(p);
  for (const TraceNode& n : r.nodes) {
    for (int i : n.inputs)
      if (!defined.count(i)) captures.insert(i);
    for (const auto& sub : n.regions) CollectCaptures(*sub, defined, captures);
    for (int o : n.outputs) defined.insert(o);
  }
  for (int i : r.results)
    if (!defined.count(i)) captures.insert(i);
}

Tensor Zeros(const TensorSpec& spec) { return FillLike(spec, *ScalarTensor("gradient", 0, 0, true, spec.dtype)); }

// What replaying a recorded region needs besides its nodes.
struct ReplayContext {
  std::vector<std::shared_ptr<VariableState>> variables;
  std::vector<graph::HostFn> host_fns;
  std::vector<std::string> print_labels;
  std::unordered_map<int, TensorSpec> host_outputs;  // specs of the regions' host_func outputs
};

void CollectHostOutputs(const TraceRegion& r, const graph::Trace& trace, std::unordered_map<int, TensorSpec>& specs) {
  for (const TraceNode& n : r.nodes) {
    if (n.kind == TraceNode::Kind::kHostFunc)
      for (int o : n.outputs) specs[o] = trace.values[static_cast<size_t>(o)];
    for (const auto& sub : n.regions) CollectHostOutputs(*sub, trace, specs);
  }
}

// What replaying `regions` needs, taken from the trace as it is now.
ReplayContext ReplayContextFor(const graph::Trace& trace, std::initializer_list<const TraceRegion*> regions) {
  ReplayContext rc{trace.variables, trace.host_fns, trace.print_labels, {}};
  for (const TraceRegion* r : regions) CollectHostOutputs(*r, trace, rc.host_outputs);
  return rc;
}

// Re-runs a recorded region through the dispatch point (so tapes and tracers see it), with
// `env` giving the tensors of the values it captures. Backward passes use this instead of
// calling the user's lambdas again: those may reference locals that no longer exist.
std::vector<Tensor> Replay(const TraceRegion& region, std::unordered_map<int, Tensor> env, const ReplayContext& rc) {
  for (const TraceNode& n : region.nodes) {
    std::vector<Tensor> in;
    for (int i : n.inputs) in.push_back(env.at(i));
    std::vector<Tensor> out;
    switch (n.kind) {
      case TraceNode::Kind::kOp: {
        TensorList r = ValueOrThrow(Dispatch(*n.op, in, n.attrs, n.loc), n.loc);
        out.assign(r.begin(), r.end());
        break;
      }
      case TraceNode::Kind::kConstant: out = {n.constant}; break;
      case TraceNode::Kind::kReadVariable: out = {Variable::FromState(rc.variables[n.index]).value(n.loc)}; break;
      case TraceNode::Kind::kAssignVariable: Variable::FromState(rc.variables[n.index]).assign(in[0], n.loc); break;
      case TraceNode::Kind::kHostFunc: {
        std::vector<TensorSpec> specs;
        for (int o : n.outputs) specs.push_back(rc.host_outputs.at(o));
        out = host_func(rc.host_fns[n.index], in, specs, n.loc);
        break;
      }
      case TraceNode::Kind::kPrint: print(in[0], rc.print_labels[n.index], n.loc); break;
      case TraceNode::Kind::kCond: {
        auto then_r = n.regions[0], else_r = n.regions[1];
        out = cond(in[0], Branch([then_r, env, rc] { return Replay(*then_r, env, rc); }),
                   Branch([else_r, env, rc] { return Replay(*else_r, env, rc); }), n.loc);
        break;
      }
      case TraceNode::Kind::kWhile: {
        auto cond_r = n.regions[0], body_r = n.regions[1];
        auto bind = [env](const TraceRegion& r, const std::vector<Tensor>& vars) {
          std::unordered_map<int, Tensor> e = env;
          for (size_t k = 0; k < r.params.size(); ++k) e[r.params[k]] = vars[k];
          return e;
        };
        out = while_loop([cond_r, bind, rc](const std::vector<Tensor>& v) { return Replay(*cond_r, bind(*cond_r, v), rc)[0]; },
                         [body_r, bind, rc](const std::vector<Tensor>& v) { return Replay(*body_r, bind(*body_r, v), rc); },
                         in, n.loc);
        break;
      }
    }
    for (size_t k = 0; k < n.outputs.size() && k < out.size(); ++k) env[n.outputs[k]] = out[k];
  }
  std::vector<Tensor> results;
  for (int r : region.results) results.push_back(env.at(r));
  return results;
}

// d(sum(outs * dys)) / d(captures, then variables) of a recorded branch, zeros where there
// is no path.
std::vector<Tensor> BranchVjp(const TraceRegion& branch, const std::vector<int>& capture_ids,
                              const std::vector<Tensor>& captures, const std::vector<std::shared_ptr<VariableState>>& variables,
                              const std::vector<Tensor>& dys, const ReplayContext& rc) {
  GradientTape tape;
  std::unordered_map<int, Tensor> env;
  std::vector<Tensor> watched;
  for (size_t i = 0; i < captures.size(); ++i) {
    Tensor c = captures[i];
    if (IsFloating(c.dtype())) tape.watch(c);
    env[capture_ids[i]] = c;
  }
  std::vector<Tensor> outs = Replay(branch, env, rc);
  Tensor target;
  for (size_t i = 0; i < outs.size(); ++i) {
    if (!IsFloating(outs[i].dtype())) continue;
    Tensor term = reduce_sum(mul(outs[i], dys[i]));
    target = target.defined() ? add(target, term) : term;
  }
  std::vector<GradSource> sources;
  for (const Tensor& c : captures)
    if (IsFloating(c.dtype())) sources.emplace_back(c);
  for (const auto& v : variables) sources.emplace_back(Variable::FromState(v));
  std::vector<Tensor> grads(sources.size());
  if (target.defined()) grads = tape.gradient(target, sources);
  for (size_t i = 0; i < grads.size(); ++i)
    if (!grads[i].defined())
      grads[i] = Zeros(sources[i].is_variable() ? sources[i].variable().value().spec() : sources[i].tensor().spec());
  return grads;
}

absl::StatusOr<std::vector<TensorSpec>> MergeSpecs(const char* op, const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  if (a.size() != b.size())
    return absl::InvalidArgumentError(absl::StrCat("[", op, "] branches return ", a.size(), " and ", b.size(), " tensors"));
  std::vector<TensorSpec> specs;
  for (size_t i = 0; i < a.size(); ++i) {
    const TensorSpec &x = a[i].spec(), &y = b[i].spec();
    if (x.dtype != y.dtype || x.shape.rank() != y.shape.rank())
      return absl::InvalidArgumentError(absl::StrCat("[", op, "] output ", i, " is ", x.to_string(), " in one branch and ",
                                                     y.to_string(), " in the other"));
    TensorSpec merged = x;
    for (int d = 0; d < x.shape.rank(); ++d)
      if (x.shape[d] != y.shape[d]) merged.shape[d] = -1;
    specs.push_back(merged);
  }
  return specs;
}

void CheckLoopCond(const Tensor& c, const Loc& loc) {
  if (!c.defined() || c.dtype() != DType::kBool || c.num_elements() != 1)
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[while_loop] cond must return a one-element bool tensor, got ",
                                                       c.defined() ? c.spec().to_string() : "an undefined tensor")),
               loc);
}

void CheckLoopBody(const std::vector<Tensor>& next, const std::vector<Tensor>& vars, const Loc& loc) {
  if (next.size() != vars.size())
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[while_loop] body returned ", next.size(), " tensors for ",
                                                       vars.size(), " loop variables")),
               loc);
  // Loop variables keep dtype and shape (an unknown -1 dim matches any size): a traced body's
  // kernels are sized for them.
  for (size_t i = 0; i < next.size(); ++i) {
    bool same = next[i].dtype() == vars[i].dtype() && next[i].rank() == vars[i].rank();
    for (int d = 0; same && d < next[i].rank(); ++d)
      same = next[i].shape()[d] == vars[i].shape()[d] || next[i].shape()[d] < 0 || vars[i].shape()[d] < 0;
    if (!same)
      ThrowError(absl::InvalidArgumentError(absl::StrCat("[while_loop] loop variable ", i, " changed from ",
                                                         vars[i].spec().to_string(), " to ", next[i].spec().to_string(),
                                                         "; loop variables keep their dtype and shape")),
                 loc);
  }
}

struct TracedLoop {
  std::vector<Tensor> outs;
  std::shared_ptr<TraceRegion> cond_r, body_r;
};

// Adds a while node to the current region: cond and body regions take one param per loop var.
TracedLoop TraceWhile(Tracer& tr, const LoopCond& cond_fn, const LoopBody& body_fn, const std::vector<Tensor>& loop_vars,
                      const Loc& loc) {
  TraceNode node;
  node.kind = TraceNode::Kind::kWhile;
  node.loc = loc;
  for (const Tensor& v : loop_vars) node.inputs.push_back(tr.ValueOf(v, loc));
  TracedLoop loop{{}, std::make_shared<TraceRegion>(), std::make_shared<TraceRegion>()};
  auto params = [&](TraceRegion& r) {
    std::vector<Tensor> ps;
    for (const Tensor& v : loop_vars) {
      ps.push_back(tr.NewValue(v.spec()));
      r.params.push_back(tr.ValueOf(ps.back(), loc));
    }
    return ps;
  };
  std::vector<Tensor> cond_params = params(*loop.cond_r);
  std::vector<Tensor> c = TraceInto(tr, *loop.cond_r, [&] { return std::vector<Tensor>{cond_fn(cond_params)}; }, loc);
  CheckLoopCond(c[0], loc);
  std::vector<Tensor> body_params = params(*loop.body_r);
  std::vector<Tensor> next = TraceInto(tr, *loop.body_r, [&] { return body_fn(body_params); }, loc);
  CheckLoopBody(next, loop_vars, loc);
  node.regions = {loop.cond_r, loop.body_r};
  for (const Tensor& v : loop_vars) {
    loop.outs.push_back(tr.NewValue(v.spec()));
    node.outputs.push_back(tr.ValueOf(loop.outs.back(), loc));
  }
  tr.AddNode(std::move(node));
  return loop;
}

// Reverse mode through a traced while_loop, by recomputation. The forward keeps no history
// (loop vars have fixed shapes, there is no tensor list to stack iterates into), so the
// backward walks k = n-1 .. 0 and, for each k, recomputes the loop vars v_k by replaying the
// body k times from the initial vars, then takes the VJP of one body step at v_k. That is
// n(n-1)/2 + n body evaluations for n trips: O(n^2) time, O(1) extra memory. Everything is
// written with while_loop / Replay, so a traced backward is a graph (a while over k around an
// inner while over the recomputed steps) and nested loops or conds in the body differentiate
// through the same machinery.
struct LoopRecord {
  // The body region with a trailing int32 trip counter as its last param and result.
  std::shared_ptr<TraceRegion> body_r;
  std::vector<int> capture_ids;  // every value the body uses from outside, and its tensor
  std::vector<Tensor> captures;
  std::vector<Tensor> init;  // the initial loop vars (without the counter)
  Tensor trips;              // how many times the body ran
  std::vector<size_t> float_vars, float_caps;  // indices of the differentiable vars / captures
  std::vector<std::shared_ptr<VariableState>> variables;  // trainable floating variables the body reads
  ReplayContext rc;
  Loc loc;
};

// Body replay of vars_and_counter (the loop vars then an int32 counter); yields both advanced.
std::vector<Tensor> ReplayBody(const LoopRecord& r, const std::vector<Tensor>& vars_and_counter) {
  std::unordered_map<int, Tensor> env;
  for (size_t i = 0; i < r.captures.size(); ++i) env[r.capture_ids[i]] = r.captures[i];
  for (size_t i = 0; i < r.body_r->params.size(); ++i) env[r.body_r->params[i]] = vars_and_counter[i];
  return Replay(*r.body_r, std::move(env), r.rc);
}

Tensor ZeroCounter() { return constant(int32_t{0}); }

// v_k: the loop vars after k body steps from the initial ones.
std::vector<Tensor> LoopVarsAt(const LoopRecord& r, const Tensor& k) {
  std::vector<Tensor> vars = r.init;
  vars.push_back(ZeroCounter());
  vars = while_loop([&](const std::vector<Tensor>& v) { return less(v.back(), k, r.loc); },
                    [&](const std::vector<Tensor>& v) { return ReplayBody(r, v); }, vars, r.loc);
  vars.pop_back();
  return vars;
}

// One reverse step: given adj (the adjoints of v_{k+1}'s floating vars), the adjoints of v_k's
// floating vars, then the step's contributions to the captures' and variables' adjoints.
std::vector<Tensor> StepVjp(const LoopRecord& r, std::vector<Tensor> vars, const std::vector<Tensor>& adj) {
  GradientTape tape;
  std::vector<GradSource> sources;
  std::vector<TensorSpec> specs;
  for (size_t i : r.float_vars) {
    tape.watch(vars[i], r.loc);
    sources.emplace_back(vars[i]);
    specs.push_back(vars[i].spec());
  }
  for (size_t j : r.float_caps) {
    tape.watch(r.captures[j], r.loc);
    sources.emplace_back(r.captures[j]);
    specs.push_back(r.captures[j].spec());
  }
  for (const auto& v : r.variables) {
    Variable handle = Variable::FromState(v);
    tape.watch(handle, r.loc);
    sources.emplace_back(handle);
    specs.push_back(v->Read().spec());
  }
  vars.push_back(ZeroCounter());  // the counter does not influence the body's floating results
  std::vector<Tensor> outs = ReplayBody(r, vars);
  Tensor target;
  for (size_t a = 0; a < r.float_vars.size(); ++a) {
    Tensor term = reduce_sum(mul(outs[r.float_vars[a]], adj[a], r.loc), {}, false, r.loc);
    target = target.defined() ? add(target, term, r.loc) : term;
  }
  std::vector<Tensor> grads(sources.size());
  if (target.defined()) grads = tape.gradient(target, sources, r.loc);
  for (size_t i = 0; i < grads.size(); ++i)
    if (!grads[i].defined()) grads[i] = Zeros(specs[i]);
  return grads;
}

// The loop's backward: the gradients of its custom-gradient inputs (floating initial vars,
// floating captures, variable reads) given the gradients of its outputs.
std::vector<Tensor> LoopVjp(const LoopRecord& r, absl::Span<const Tensor> dys) {
  std::vector<Tensor> state{sub(r.trips, 1, r.loc)};  // k, then the adjoints
  for (size_t i : r.float_vars) state.push_back(dys[i].defined() ? dys[i] : Zeros(r.init[i].spec()));
  for (size_t j : r.float_caps) state.push_back(Zeros(r.captures[j].spec()));
  for (const auto& v : r.variables) state.push_back(Zeros(v->Read().spec()));
  const size_t nv = r.float_vars.size();
  state = while_loop([&](const std::vector<Tensor>& s) { return greater_equal(s[0], 0, r.loc); },
                     [&](const std::vector<Tensor>& s) {
                       std::vector<Tensor> adj(s.begin() + 1, s.begin() + 1 + static_cast<long>(nv));
                       std::vector<Tensor> g = StepVjp(r, LoopVarsAt(r, s[0]), adj);
                       std::vector<Tensor> next{sub(s[0], 1, r.loc)};
                       for (size_t a = 0; a < g.size(); ++a) next.push_back(a < nv ? g[a] : add(s[1 + a], g[a], r.loc));
                       return next;
                     },
                     state, r.loc);
  return std::vector<Tensor>(state.begin() + 1, state.end());
}

void CollectVariableReads(const TraceRegion& r, std::set<int>& reads, bool& assigns) {
  for (const TraceNode& n : r.nodes) {
    if (n.kind == TraceNode::Kind::kReadVariable) reads.insert(n.index);
    if (n.kind == TraceNode::Kind::kAssignVariable) assigns = true;
    for (const auto& sub : n.regions) CollectVariableReads(*sub, reads, assigns);
  }
}

// A traced while_loop a tape sees: traced with an extra int32 trip counter, and recorded as
// one custom gradient (LoopVjp) over the floating initial vars, the floating values the body
// captures, and the trainable variables it reads.
std::vector<Tensor> TraceDifferentiableWhile(Tracer& tr, const LoopCond& cond_fn, const LoopBody& body_fn,
                                             const std::vector<Tensor>& loop_vars, const Loc& loc) {
  const size_t n = loop_vars.size();
  auto user_vars = [n](const std::vector<Tensor>& v) { return std::vector<Tensor>(v.begin(), v.begin() + static_cast<long>(n)); };
  std::vector<Tensor> vars = loop_vars;
  vars.push_back(ZeroCounter());
  TracedLoop loop = TraceWhile(
      tr, [&](const std::vector<Tensor>& v) { return cond_fn(user_vars(v)); },
      [&](const std::vector<Tensor>& v) {
        std::vector<Tensor> next = body_fn(user_vars(v));
        CheckLoopBody(next, loop_vars, loc);
        next.push_back(add(v.back(), 1, loc));
        return next;
      },
      vars, loc);
  std::vector<Tensor> outs = user_vars(loop.outs);

  std::set<int> reads;
  bool assigns = false;
  CollectVariableReads(*loop.body_r, reads, assigns);
  if (assigns)
    ThrowError(absl::UnimplementedError("[while_loop] gradients through a traced while_loop whose body assigns a variable "
                                        "are not supported (the backward replays the body); run it eagerly "
                                        "(config::run_functions_eagerly) to differentiate it"),
               loc);
  LoopRecord r;
  r.body_r = loop.body_r;
  std::set<int> defined, capture_ids;
  CollectCaptures(*loop.body_r, defined, capture_ids);
  r.capture_ids.assign(capture_ids.begin(), capture_ids.end());
  for (int id : r.capture_ids) r.captures.push_back(tr.TensorOf(id));
  r.init = loop_vars;
  r.trips = loop.outs.back();
  r.rc = ReplayContextFor(tr.trace(), {loop.body_r.get()});
  r.loc = loc;
  std::vector<Tensor> inputs;
  for (size_t i = 0; i < n; ++i)
    if (IsFloating(loop_vars[i].dtype())) {
      r.float_vars.push_back(i);
      inputs.push_back(loop_vars[i]);
    }
  for (size_t j = 0; j < r.captures.size(); ++j)
    if (IsFloating(r.captures[j].dtype())) {
      r.float_caps.push_back(j);
      inputs.push_back(r.captures[j]);
    }
  for (int index : reads) {
    const auto& v = r.rc.variables[static_cast<size_t>(index)];
    if (!v->trainable || !IsFloating(v->Read().dtype())) continue;
    r.variables.push_back(v);
    inputs.push_back(Variable::FromState(v).value(loc));  // a read: tapes map it to the variable
  }
  if (!inputs.empty())
    internal::RecordCustomGradient(inputs, outs, [r = std::move(r)](absl::Span<const Tensor> dys) { return LoopVjp(r, dys); });
  return outs;
}

// Undefined tensors given to control flow: an error at the user's line (not a crash inside).
void CheckAllDefined(const char* fn, const char* what, const std::vector<Tensor>& ts, const Loc& loc) {
  for (size_t i = 0; i < ts.size(); ++i)
    if (!ts[i].defined())
      ThrowError(absl::InvalidArgumentError(absl::StrCat("[", fn, "] ", what, " ", i,
                                                         " is an undefined tensor (e.g. a gradient that does not exist)")),
                 loc);
}

}  // namespace

std::vector<Tensor> cond(const Tensor& pred, const Branch& then_fn, const Branch& else_fn, const Loc& loc) {
  if (!pred.defined() || pred.dtype() != DType::kBool || pred.num_elements() != 1)
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[cond] pred must be a one-element bool tensor, got ",
                                                       pred.defined() ? pred.spec().to_string() : "an undefined tensor")),
               loc);
  Tracer* tr = graph::CurrentTracer();
  if (!tr || executing_eagerly()) return pred.item<bool>(loc) ? then_fn() : else_fn();

  TraceNode node;
  node.kind = TraceNode::Kind::kCond;
  node.loc = loc;
  node.inputs = {tr->ValueOf(pred, loc)};
  auto then_r = std::make_shared<TraceRegion>(), else_r = std::make_shared<TraceRegion>();
  std::vector<Tensor> then_outs = TraceInto(*tr, *then_r, then_fn, loc);
  std::vector<Tensor> else_outs = TraceInto(*tr, *else_r, else_fn, loc);
  std::vector<TensorSpec> specs = ValueOrThrow(MergeSpecs("cond", then_outs, else_outs), loc);
  node.regions = {then_r, else_r};
  std::vector<Tensor> outs;
  for (const TensorSpec& s : specs) {
    outs.push_back(tr->NewValue(s));
    node.outputs.push_back(tr->ValueOf(outs.back(), loc));
  }
  std::set<int> defined, capture_ids;
  CollectCaptures(*then_r, defined, capture_ids);
  defined.clear();
  CollectCaptures(*else_r, defined, capture_ids);
  tr->AddNode(std::move(node));

  if (HasObservers()) {
    // All captured values (ids and tensors) for replay; the floating ones get gradients.
    std::vector<int> ids(capture_ids.begin(), capture_ids.end());
    std::vector<Tensor> captures, differentiable;
    for (int id : ids) {
      captures.push_back(tr->TensorOf(id));
      if (IsFloating(captures.back().dtype())) differentiable.push_back(captures.back());
    }
    ReplayContext rc = ReplayContextFor(tr->trace(), {then_r.get(), else_r.get()});
    // Trainable variables either branch reads get gradients too (their reads are inputs).
    std::set<int> reads;
    bool assigns = false;
    CollectVariableReads(*then_r, reads, assigns);
    CollectVariableReads(*else_r, reads, assigns);
    std::vector<std::shared_ptr<VariableState>> variables;
    for (int index : reads) {
      const auto& v = rc.variables[static_cast<size_t>(index)];
      if (!v->trainable || !IsFloating(v->Read().dtype())) continue;
      variables.push_back(v);
      differentiable.push_back(Variable::FromState(v).value(loc));  // a read: tapes map it to the variable
    }
    internal::RecordCustomGradient(differentiable, outs, [pred, then_r, else_r, ids, captures, variables, rc, loc](absl::Span<const Tensor> dys_span) {
      std::vector<Tensor> dys(dys_span.begin(), dys_span.end());
      return cond(pred, Branch([=] { return BranchVjp(*then_r, ids, captures, variables, dys, rc); }),
                  Branch([=] { return BranchVjp(*else_r, ids, captures, variables, dys, rc); }), loc);
    });
  }
  return outs;
}

std::vector<Tensor> while_loop(const LoopCond& cond_fn, const LoopBody& body_fn, const std::vector<Tensor>& loop_vars,
                               const Loc& loc) {
  if (loop_vars.empty())  // nothing could change between iterations: it would never end
    ThrowError(absl::InvalidArgumentError("[while_loop] needs at least one loop variable; with none, the "
                                          "condition could never change"),
               loc);
  CheckAllDefined("while_loop", "loop variable", loop_vars, loc);
  Tracer* tr = graph::CurrentTracer();
  if (!tr || executing_eagerly()) {  // tapes differentiate the eager loop op by op
    std::vector<Tensor> vars = loop_vars;
    for (;;) {
      Tensor c = cond_fn(vars);
      CheckLoopCond(c, loc);
      if (!c.item<bool>(loc)) return vars;
      std::vector<Tensor> next = body_fn(vars);
      CheckLoopBody(next, loop_vars, loc);
      vars = std::move(next);
    }
  }
  if (!HasObservers()) return TraceWhile(*tr, cond_fn, body_fn, loop_vars, loc).outs;
  return TraceDifferentiableWhile(*tr, cond_fn, body_fn, loop_vars, loc);
}

std::vector<Tensor> host_func(HostCallable fn, const std::vector<Tensor>& inputs, const std::vector<DType>& out_dtypes,
                              const Loc& loc) {
  CheckAllDefined("host_func", "input", inputs, loc);
  std::vector<TensorSpec> specs;
  for (size_t i = 0; i < out_dtypes.size(); ++i)
    specs.emplace_back(i < inputs.size() ? inputs[i].shape() : Shape{}, out_dtypes[i]);
  return host_func(std::move(fn), inputs, specs, loc);
}

std::vector<Tensor> host_func(HostCallable fn, const std::vector<Tensor>& inputs, const std::vector<TensorSpec>& out_specs,
                              const Loc& loc) {
  CheckAllDefined("host_func", "input", inputs, loc);
  // The callable's results are checked against the declared specs in both modes.
  HostCallable checked = [fn, out_specs, loc](const std::vector<Tensor>& args) {
    std::vector<Tensor> out = fn(args);
    if (out.size() != out_specs.size())
      ThrowError(absl::InvalidArgumentError(absl::StrCat("[host_func] returned ", out.size(), " tensors, declared ", out_specs.size())), loc);
    for (size_t i = 0; i < out.size(); ++i) {
      bool ok = out[i].defined() && out[i].dtype() == out_specs[i].dtype && out[i].rank() == out_specs[i].shape.rank();
      for (int d = 0; ok && d < out[i].rank(); ++d) ok = out_specs[i].shape[d] < 0 || out_specs[i].shape[d] == out[i].shape()[d];
      if (!ok)
        ThrowError(absl::InvalidArgumentError(absl::StrCat("[host_func] output ", i, " is ",
                                                           out[i].defined() ? out[i].spec().to_string() : "undefined",
                                                           ", declared ", out_specs[i].to_string())),
                   loc);
    }
    return out;
  };
  Tracer* tr = graph::CurrentTracer();
  if (!tr || executing_eagerly()) return checked(inputs);
  TraceNode node;
  node.kind = TraceNode::Kind::kHostFunc;
  node.loc = loc;
  for (const Tensor& t : inputs) node.inputs.push_back(tr->ValueOf(t, loc));
  node.index = tr->AddHostFn([checked](const std::vector<Tensor>& args) { return checked(args); });
  std::vector<Tensor> outs;
  for (const TensorSpec& s : out_specs) {
    outs.push_back(tr->NewValue(s));
    node.outputs.push_back(tr->ValueOf(outs.back(), loc));
  }
  tr->AddNode(std::move(node));
  return outs;
}

void print(const Tensor& x, const std::string& label, const Loc& loc) {
  Tracer* tr = graph::CurrentTracer();
  if (!tr || executing_eagerly()) {
    std::cout << label << x << std::endl;
    return;
  }
  TraceNode node;
  node.kind = TraceNode::Kind::kPrint;
  node.loc = loc;
  node.inputs = {tr->ValueOf(x, loc)};
  node.index = static_cast<int>(tr->trace().print_labels.size());
  tr->trace().print_labels.push_back(label);
  tr->AddNode(std::move(node));
}

void enable_eager_execution(const ContextOptions& options, const Loc& loc) {
  static bool configured = false;
  static ContextOptions first;
  if (internal::GraphsCreated())
    ThrowError(absl::FailedPreconditionError("[enable_eager_execution] must be called at program start-up, before any "
                                             "function is traced or executed"),
               loc);
  if (options.execution_mode == ExecutionMode::kAsync)
    ThrowError(absl::UnimplementedError("[enable_eager_execution] ExecutionMode::kAsync is not implemented yet; "
                                        "use ExecutionMode::kSync"),
               loc);
  if (configured && (first.device_policy != options.device_policy || first.execution_mode != options.execution_mode))
    ThrowError(absl::FailedPreconditionError("[enable_eager_execution] conflicts with the options of an earlier call"), loc);
  configured = true;
  first = options;
  Context::Get().set_options(options);
}

namespace internal {

std::vector<Tensor> ReplayTrace(const graph::Trace& trace, const std::vector<Tensor>& args) {
  std::unordered_map<int, Tensor> env;
  for (size_t i = 0; i < trace.body.params.size() && i < args.size(); ++i) env[trace.body.params[i]] = args[i];
  return Replay(trace.body, std::move(env), ReplayContextFor(trace, {&trace.body}));
}

std::string FindStateChange(const graph::TraceRegion& region) {
  for (const TraceNode& n : region.nodes) {
    if (n.kind == TraceNode::Kind::kAssignVariable) return absl::StrCat("assigns a variable at ", FormatLoc(n.loc));
    if (n.op && n.op->has(kStateful)) return absl::StrCat("runs stateful op '", n.op->name, "' at ", FormatLoc(n.loc));
    for (const auto& sub : n.regions)
      if (std::string found = FindStateChange(*sub); !found.empty()) return found;
  }
  return "";
}

}  // namespace internal

}  // namespace duet
