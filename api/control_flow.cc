// cond / while_loop / host_func / print: eager code runs them at once; while tracing they
// become nodes whose regions are traced by running the user's lambdas under the tracer.
// A traced cond seen by a tape is recorded as one custom gradient: a cond over the two
// branches' vector-Jacobian products, so its backward is a traced cond too.
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
};

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
      case TraceNode::Kind::kHostFunc: out = host_func(rc.host_fns[n.index], in, std::vector<DType>{}, n.loc); break;
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

// d(sum(outs * dys)) / d(captures) of a recorded branch, zeros where there is no path.
std::vector<Tensor> BranchVjp(const TraceRegion& branch, const std::vector<int>& capture_ids,
                              const std::vector<Tensor>& captures, const std::vector<Tensor>& dys, const ReplayContext& rc) {
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
  std::vector<Tensor> grads(sources.size());
  if (target.defined()) grads = tape.gradient(target, sources);
  for (size_t i = 0; i < grads.size(); ++i)
    if (!grads[i].defined()) grads[i] = Zeros(sources[i].tensor().spec());
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
    ReplayContext rc{tr->trace().variables, tr->trace().host_fns, tr->trace().print_labels};
    internal::RecordCustomGradient(differentiable, outs, [pred, then_r, else_r, ids, captures, rc, loc](absl::Span<const Tensor> dys_span) {
      std::vector<Tensor> dys(dys_span.begin(), dys_span.end());
      return cond(pred, Branch([=] { return BranchVjp(*then_r, ids, captures, dys, rc); }),
                  Branch([=] { return BranchVjp(*else_r, ids, captures, dys, rc); }), loc);
    });
  }
  return outs;
}

std::vector<Tensor> while_loop(const LoopCond& cond_fn, const LoopBody& body_fn, const std::vector<Tensor>& loop_vars,
                               const Loc& loc) {
  auto check_cond = [&](const Tensor& c) {
    if (!c.defined() || c.dtype() != DType::kBool || c.num_elements() != 1)
      ThrowError(absl::InvalidArgumentError(absl::StrCat("[while_loop] cond must return a one-element bool tensor, got ",
                                                         c.defined() ? c.spec().to_string() : "an undefined tensor")),
                 loc);
  };
  auto check_body = [&](const std::vector<Tensor>& next) {
    if (next.size() != loop_vars.size())
      ThrowError(absl::InvalidArgumentError(absl::StrCat("[while_loop] body returned ", next.size(), " tensors for ",
                                                         loop_vars.size(), " loop variables")),
                 loc);
    for (size_t i = 0; i < next.size(); ++i)
      if (next[i].dtype() != loop_vars[i].dtype() || next[i].rank() != loop_vars[i].rank())
        ThrowError(absl::InvalidArgumentError(absl::StrCat("[while_loop] loop variable ", i, " changed from ",
                                                           loop_vars[i].spec().to_string(), " to ", next[i].spec().to_string())),
                   loc);
  };
  Tracer* tr = graph::CurrentTracer();
  if (!tr || executing_eagerly()) {
    std::vector<Tensor> vars = loop_vars;
    for (;;) {
      Tensor c = cond_fn(vars);
      check_cond(c);
      if (!c.item<bool>(loc)) return vars;
      std::vector<Tensor> next = body_fn(vars);
      check_body(next);
      vars = std::move(next);
    }
  }
  if (HasObservers())
    ThrowError(absl::UnimplementedError("[while_loop] gradients through a while_loop inside a traced function are not "
                                        "supported yet; run it eagerly (config::run_functions_eagerly) to differentiate it"),
               loc);
  TraceNode node;
  node.kind = TraceNode::Kind::kWhile;
  node.loc = loc;
  for (const Tensor& v : loop_vars) node.inputs.push_back(tr->ValueOf(v, loc));
  auto cond_r = std::make_shared<TraceRegion>(), body_r = std::make_shared<TraceRegion>();
  auto params = [&](TraceRegion& r) {
    std::vector<Tensor> ps;
    for (const Tensor& v : loop_vars) {
      ps.push_back(tr->NewValue(v.spec()));
      r.params.push_back(tr->ValueOf(ps.back(), loc));
    }
    return ps;
  };
  std::vector<Tensor> cond_params = params(*cond_r);
  std::vector<Tensor> c = TraceInto(*tr, *cond_r, [&] { return std::vector<Tensor>{cond_fn(cond_params)}; }, loc);
  check_cond(c[0]);
  std::vector<Tensor> body_params = params(*body_r);
  std::vector<Tensor> next = TraceInto(*tr, *body_r, [&] { return body_fn(body_params); }, loc);
  check_body(next);
  node.regions = {cond_r, body_r};
  std::vector<Tensor> outs;
  for (const Tensor& v : loop_vars) {
    outs.push_back(tr->NewValue(v.spec()));
    node.outputs.push_back(tr->ValueOf(outs.back(), loc));
  }
  tr->AddNode(std::move(node));
  return outs;
}

std::vector<Tensor> host_func(HostCallable fn, const std::vector<Tensor>& inputs, const std::vector<DType>& out_dtypes,
                              const Loc& loc) {
  std::vector<TensorSpec> specs;
  for (size_t i = 0; i < out_dtypes.size(); ++i)
    specs.emplace_back(i < inputs.size() ? inputs[i].shape() : Shape{}, out_dtypes[i]);
  return host_func(std::move(fn), inputs, specs, loc);
}

std::vector<Tensor> host_func(HostCallable fn, const std::vector<Tensor>& inputs, const std::vector<TensorSpec>& out_specs,
                              const Loc& loc) {
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

}  // namespace duet
