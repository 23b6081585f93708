// cond / while_loop / host_func / print: eager code runs them at once; while tracing they
// become nodes whose regions are traced by running the user's lambdas under the tracer.
// A traced cond/while that a tape sees, or that a function's forward builds for its gradient,
// keeps what its backward needs as extra outputs (cond: each branch's values; while: a stack
// per body value, see AddStacks). A tape records it as one custom gradient whose backward
// (api/trace_gradient.h) is a traced cond over the branches' backwards, or a while that
// walks the iterations in reverse reading the stacks: O(n) for n trips, nothing re-run.
#include "api/control_flow.h"

#include <iostream>
#include <set>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "api/function_core.h"
#include "api/replay.h"
#include "api/trace_gradient.h"
#include "eager/functional.h"
#include "eager/gradient_tape.h"
#include "eager/variable.h"
#include "graph/tracer.h"
#include "kernels/binary_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/io_ops.h"
#include "kernels/shape_ops.h"
#include "runtime/dispatch.h"
#include "runtime/tensor_factory.h"

namespace duet {
namespace {

// The trace's id for `t`; here, at the API boundary, a foreign symbolic tensor becomes an Error.
int TraceId(graph::Tracer& tr, const Tensor& t, const Loc& loc) {
  return ValueOrThrow(tr.ValueOf(t, loc), loc);
}

using graph::TraceNode;
using graph::Tracer;
using graph::TraceRegion;

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
  for (const Tensor& t : outs) region.results.push_back(TraceId(tr, t, loc));
  return outs;
}

// While a traced cond/while must keep what its backward needs: a tape records it here, or a
// function's forward is being built for its gradient.
bool Saving() { return HasObservers() || internal::SavingForGradient(); }

// Appends saved values to a branch's results: its own, or zeros standing in for the other
// branch's (unknown dims 0: the backward reads them only after the branch that made them ran).
void YieldSaved(Tracer& tr, TraceRegion& r, const std::vector<int>& ids, bool own, const Loc& loc) {
  tr.PushRegion(&r);
  for (int id : ids) {
    if (own) {
      r.results.push_back(id);
      continue;
    }
    TensorSpec s = tr.trace().values[static_cast<size_t>(id)];
    for (int d = 0; d < s.shape.rank(); ++d)
      if (s.shape[d] < 0) s.shape[d] = 0;
    r.results.push_back(TraceId(tr, zeros(s.shape, s.dtype, loc), loc));
  }
  tr.PopRegion();
}

absl::StatusOr<std::vector<TensorSpec>> MergeSpecs(const char* op, const std::vector<Tensor>& a,
                                                   const std::vector<Tensor>& b) {
  if (a.size() != b.size())
    return absl::InvalidArgumentError(
        absl::StrCat("[", op, "] branches return ", a.size(), " and ", b.size(), " tensors"));
  std::vector<TensorSpec> specs;
  for (size_t i = 0; i < a.size(); ++i) {
    const TensorSpec &x = a[i].spec(), &y = b[i].spec();
    if (x.dtype != y.dtype || x.shape.rank() != y.shape.rank())
      return absl::InvalidArgumentError(absl::StrCat("[", op, "] output ", i, " is ", x.to_string(),
                                                     " in one branch and ", y.to_string(),
                                                     " in the other"));
    TensorSpec merged = x;
    for (int d = 0; d < x.shape.rank(); ++d)
      if (x.shape[d] != y.shape[d]) merged.shape[d] = -1;
    specs.push_back(merged);
  }
  return specs;
}

void CheckLoopCond(const Tensor& c, const Loc& loc) {
  if (!c.defined() || c.dtype() != DType::kBool || c.num_elements() != 1)
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[while_loop] cond must return a one-element bool tensor, got ",
                                c.defined() ? c.spec().to_string() : "an undefined tensor")),
               loc);
}

void CheckLoopBody(const std::vector<Tensor>& next, const std::vector<Tensor>& vars,
                   const Loc& loc) {
  if (next.size() != vars.size())
    ThrowError(
        absl::InvalidArgumentError(absl::StrCat("[while_loop] body returned ", next.size(),
                                                " tensors for ", vars.size(), " loop variables")),
        loc);
  // Loop variables keep dtype and shape (an unknown -1 dim matches any size): a traced body's
  // kernels are sized for them.
  for (size_t i = 0; i < next.size(); ++i) {
    bool same = next[i].dtype() == vars[i].dtype() && next[i].rank() == vars[i].rank();
    for (int d = 0; same && d < next[i].rank(); ++d)
      same = next[i].shape()[d] == vars[i].shape()[d] || next[i].shape()[d] < 0 ||
             vars[i].shape()[d] < 0;
    if (!same)
      ThrowError(
          absl::InvalidArgumentError(absl::StrCat(
              "[while_loop] loop variable ", i, " changed from ", vars[i].spec().to_string(),
              " to ", next[i].spec().to_string(), "; loop variables keep their dtype and shape")),
          loc);
  }
}

struct TracedLoop {
  std::vector<Tensor> outs;  // the user's loop vars
  TraceNode node;            // a copy of the node added
};

// Makes a while node keep per-iteration values for its backward (TF while_v2 pushes them to
// stacks): an int32 trip counter and, for each value the body defines (its params included),
// a stack loop var (-1, shape...) that the body extends by concat along dim 0. Values of
// unknown shape from a nested cond/while are not stacked (the backward re-traces that node
// from its stacked inputs); any other value of unknown shape leaves the loop without stacks
// (false): it runs, and its gradient is an error naming the loop's line.
bool AddStacks(Tracer& tr, TraceNode& node, TraceRegion& cond_r, TraceRegion& body_r,
               const Loc& loc) {
  ObserverPause pause;
  std::vector<int> ids;
  for (int id : internal::DefinedValues(body_r)) {
    const TensorSpec& s = tr.trace().values[static_cast<size_t>(id)];
    if (s.shape.fully_defined()) {
      ids.push_back(id);
      continue;
    }
    bool from_control_flow = false;
    for (const TraceNode& n : body_r.nodes)
      if (n.kind == TraceNode::Kind::kCond || n.kind == TraceNode::Kind::kWhile)
        for (int o : n.outputs) from_control_flow = from_control_flow || o == id;
    if (!from_control_flow)
      return false;  // no stack for it: the loop runs, its gradient is refused
  }
  node.for_gradient = true;
  node.saved = ids;
  node.user_nodes = body_r.nodes.size();
  std::vector<Tensor> body_params;
  auto param = [&](const TensorSpec& spec, const Tensor& init) {
    node.inputs.push_back(TraceId(tr, init, loc));
    cond_r.params.push_back(TraceId(tr, tr.NewValue(spec), loc));
    body_params.push_back(tr.NewValue(spec));
    body_r.params.push_back(TraceId(tr, body_params.back(), loc));
  };
  Tensor zero = constant(int32_t{0});
  param(zero.spec(), zero);
  for (int id : ids) {
    TensorSpec s = tr.trace().values[static_cast<size_t>(id)];
    Shape empty = s.shape, stacked = s.shape;
    empty.insert(0, 0);
    stacked.insert(0, -1);
    param({stacked, s.dtype}, zeros(empty, s.dtype, loc));
  }
  tr.PushRegion(&body_r);
  body_r.results.push_back(TraceId(tr, add(body_params[0], 1, loc), loc));
  for (size_t k = 0; k < ids.size(); ++k)
    body_r.results.push_back(TraceId(
        tr, concat({body_params[k + 1], expand_dims(tr.TensorOf(ids[k]), 0, loc)}, 0, loc), loc));
  tr.PopRegion();
  return true;
}

// Adds a while node to the current region: cond and body regions take one param per loop var.
TracedLoop TraceWhile(Tracer& tr, const LoopCond& cond_fn, const LoopBody& body_fn,
                      const std::vector<Tensor>& loop_vars, bool save, const Loc& loc) {
  TraceNode node;
  node.kind = TraceNode::Kind::kWhile;
  node.loc = loc;
  for (const Tensor& v : loop_vars) node.inputs.push_back(TraceId(tr, v, loc));
  auto cond_r = std::make_shared<TraceRegion>(), body_r = std::make_shared<TraceRegion>();
  auto params = [&](TraceRegion& r) {
    std::vector<Tensor> ps;
    for (const Tensor& v : loop_vars) {
      ps.push_back(tr.NewValue(v.spec()));
      r.params.push_back(TraceId(tr, ps.back(), loc));
    }
    return ps;
  };
  std::vector<Tensor> cond_params = params(*cond_r);
  std::vector<Tensor> c = TraceInto(
      tr, *cond_r, [&] { return std::vector<Tensor>{cond_fn(cond_params)}; }, loc);
  CheckLoopCond(c[0], loc);
  std::vector<Tensor> body_params = params(*body_r);
  std::vector<Tensor> next = TraceInto(
      tr, *body_r, [&] { return body_fn(body_params); }, loc);
  CheckLoopBody(next, loop_vars, loc);
  if (save) AddStacks(tr, node, *cond_r, *body_r, loc);
  node.regions = {cond_r, body_r};
  TracedLoop loop;
  for (int p : body_r->params) {
    Tensor out = tr.NewValue(tr.trace().values[static_cast<size_t>(p)]);
    if (loop.outs.size() < loop_vars.size()) loop.outs.push_back(out);
    node.outputs.push_back(TraceId(tr, out, loc));
  }
  loop.node = tr.AddNode(std::move(node));
  return loop;
}

// A traced cond/while a tape sees: recorded as one custom gradient over `wrt` (floating
// values it uses) and the trainable variables it reads, whose backward is NodeVjp traced into
// the same graph, reading the forward's values from the node's saved outputs.
void RecordNodeGradient(Tracer& tr, const TraceNode& node, const std::vector<Tensor>& outs,
                        const std::set<int>& wrt_set, const Loc& loc) {
  std::vector<int> wrt;
  std::vector<Tensor> inputs;
  for (int id : wrt_set)
    if (IsFloating(tr.trace().values[static_cast<size_t>(id)].dtype)) {
      wrt.push_back(id);
      inputs.push_back(tr.TensorOf(id));
    }
  std::set<int> reads;
  for (const auto& r : node.regions) internal::CollectVariableReads(*r, reads);
  std::vector<int> vars;
  for (int index : reads) {
    const auto& v = tr.trace().variables[static_cast<size_t>(index)];
    if (!v->trainable || !IsFloating(v->Read().dtype())) continue;
    vars.push_back(index);
    inputs.push_back(Variable::FromState(v).value(loc));  // a read: tapes map it to the variable
  }
  if (inputs.empty()) return;
  internal::GraphGrad g;
  g.variables = tr.trace().variables;
  g.specs = std::make_shared<const std::vector<TensorSpec>>(tr.trace().values);
  std::set<int> defined, used(node.inputs.begin(), node.inputs.end());
  for (const auto& r : node.regions) internal::CollectCaptures(*r, defined, used);
  used.insert(node.outputs.begin(), node.outputs.end());
  for (int id : used) g.env[id] = tr.TensorOf(id);
  TraceRegion scope;
  scope.nodes.push_back(node);
  g.rerun = internal::RerunIn(tr.trace(), scope);
  internal::RecordCustomGradient(inputs, outs, [node, g, wrt, vars](absl::Span<const Tensor> dys) {
    return internal::NodeVjp(node, g, wrt, vars, dys);
  });
}

void CheckAllDefined(const char* fn, const char* what, const std::vector<Tensor>& ts,
                     const Loc& loc) {
  for (size_t i = 0; i < ts.size(); ++i)
    if (!ts[i].defined())
      ThrowError(absl::InvalidArgumentError(
                     absl::StrCat("[", fn, "] ", what, " ", i,
                                  " is an undefined tensor (e.g. a gradient that does not exist)")),
                 loc);
}

}  // namespace

std::vector<Tensor> cond(const Tensor& pred, const Branch& then_fn, const Branch& else_fn,
                         const Loc& loc) {
  if (!pred.defined() || pred.dtype() != DType::kBool || pred.num_elements() != 1)
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[cond] pred must be a one-element bool tensor, got ",
                                pred.defined() ? pred.spec().to_string() : "an undefined tensor")),
               loc);
  Tracer* tr = graph::CurrentTracer();
  if (!tr) return pred.item<bool>(loc) ? then_fn() : else_fn();

  TraceNode node;
  node.kind = TraceNode::Kind::kCond;
  node.loc = loc;
  node.inputs = {TraceId(*tr, pred, loc)};
  auto then_r = std::make_shared<TraceRegion>(), else_r = std::make_shared<TraceRegion>();
  std::vector<Tensor> then_outs = TraceInto(*tr, *then_r, then_fn, loc);
  std::vector<Tensor> else_outs = TraceInto(*tr, *else_r, else_fn, loc);
  std::vector<TensorSpec> specs = ValueOrThrow(MergeSpecs("cond", then_outs, else_outs), loc);
  const size_t nr = specs.size();
  if (Saving()) {  // then yields its values and zeros for else's; else the other way round
    std::vector<int> then_saved = internal::DefinedValues(*then_r),
                     else_saved = internal::DefinedValues(*else_r);
    YieldSaved(*tr, *then_r, then_saved, true, loc);
    YieldSaved(*tr, *then_r, else_saved, false, loc);
    YieldSaved(*tr, *else_r, then_saved, false, loc);
    YieldSaved(*tr, *else_r, else_saved, true, loc);
    node.for_gradient = true;
    node.saved = then_saved;
    node.saved.insert(node.saved.end(), else_saved.begin(), else_saved.end());
    for (int id : node.saved) specs.push_back(tr->trace().values[static_cast<size_t>(id)]);
  }
  node.regions = {then_r, else_r};
  std::vector<Tensor> outs;
  for (const TensorSpec& s : specs) {
    Tensor out = tr->NewValue(s);
    if (outs.size() < nr) outs.push_back(out);
    node.outputs.push_back(TraceId(*tr, out, loc));
  }
  const TraceNode& added = tr->AddNode(std::move(node));
  if (HasObservers()) {  // the floating captures and the variables either branch reads get
                         // gradients
    std::set<int> defined, wrt;
    internal::CollectCaptures(*then_r, defined, wrt);
    defined.clear();
    internal::CollectCaptures(*else_r, defined, wrt);
    RecordNodeGradient(*tr, TraceNode(added), outs, wrt, loc);
  }
  return outs;
}

std::vector<Tensor> while_loop(const LoopCond& cond_fn, const LoopBody& body_fn,
                               const std::vector<Tensor>& loop_vars, const Loc& loc) {
  if (loop_vars.empty())  // nothing could change between iterations: it would never end
    ThrowError(
        absl::InvalidArgumentError("[while_loop] needs at least one loop variable; with none, the "
                                   "condition could never change"),
        loc);
  CheckAllDefined("while_loop", "loop variable", loop_vars, loc);
  Tracer* tr = graph::CurrentTracer();
  if (!tr) {  // tapes differentiate the eager loop op by op
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
  TracedLoop loop = TraceWhile(*tr, cond_fn, body_fn, loop_vars, Saving(), loc);
  if (HasObservers()) {  // the floating initial vars and body captures get gradients
    std::set<int> defined, wrt(loop.node.inputs.begin(),
                               loop.node.inputs.begin() + static_cast<long>(loop_vars.size()));
    internal::CollectCaptures(*loop.node.regions[1], defined, wrt);
    RecordNodeGradient(*tr, loop.node, loop.outs, wrt, loc);
  }
  return loop.outs;
}

std::vector<Tensor> host_func(HostCallable fn, const std::vector<Tensor>& inputs,
                              const std::vector<DType>& out_dtypes, const Loc& loc) {
  CheckAllDefined("host_func", "input", inputs, loc);
  std::vector<TensorSpec> specs;
  for (size_t i = 0; i < out_dtypes.size(); ++i)
    specs.emplace_back(i < inputs.size() ? inputs[i].shape() : Shape{}, out_dtypes[i]);
  return host_func(std::move(fn), inputs, specs, loc);
}

std::vector<Tensor> host_func(HostCallable fn, const std::vector<Tensor>& inputs,
                              const std::vector<TensorSpec>& out_specs, const Loc& loc) {
  CheckAllDefined("host_func", "input", inputs, loc);
  // The callable's results are checked against the declared specs in both modes.
  HostCallable checked = [fn, out_specs, loc](const std::vector<Tensor>& args) {
    std::vector<Tensor> out = fn(args);
    if (out.size() != out_specs.size())
      ThrowError(absl::InvalidArgumentError(absl::StrCat("[host_func] returned ", out.size(),
                                                         " tensors, declared ", out_specs.size())),
                 loc);
    for (size_t i = 0; i < out.size(); ++i) {
      bool ok = out[i].defined() && out[i].dtype() == out_specs[i].dtype &&
                out[i].rank() == out_specs[i].shape.rank();
      for (int d = 0; ok && d < out[i].rank(); ++d)
        ok = out_specs[i].shape[d] < 0 || out_specs[i].shape[d] == out[i].shape()[d];
      if (!ok)
        ThrowError(absl::InvalidArgumentError(
                       absl::StrCat("[host_func] output ", i, " is ",
                                    out[i].defined() ? out[i].spec().to_string() : "undefined",
                                    ", declared ", out_specs[i].to_string())),
                   loc);
    }
    return out;
  };
  Tracer* tr = graph::CurrentTracer();
  if (!tr) return checked(inputs);
  TraceNode node;
  node.kind = TraceNode::Kind::kHostFunc;
  node.loc = loc;
  for (const Tensor& t : inputs) node.inputs.push_back(TraceId(*tr, t, loc));
  node.index = tr->AddHostFn([checked](const std::vector<Tensor>& args) { return checked(args); });
  std::vector<Tensor> outs;
  for (const TensorSpec& s : out_specs) {
    outs.push_back(tr->NewValue(s));
    node.outputs.push_back(TraceId(*tr, outs.back(), loc));
  }
  tr->AddNode(std::move(node));
  return outs;
}

void print(const Tensor& x, const std::string& label, const Loc& loc) {
  internal::Print(x, label, loc);  // an op like any other: eager, traced and taped alike
}

void enable_eager_execution(const ContextOptions& options, const Loc& loc) {
  static bool configured = false;
  static ContextOptions first;
  if (internal::GraphsCreated())
    ThrowError(absl::FailedPreconditionError(
                   "[enable_eager_execution] must be called at program start-up, before any "
                   "function is traced or executed"),
               loc);
  if (configured && (first.device_policy != options.device_policy ||
                     first.execution_mode != options.execution_mode))
    ThrowError(absl::FailedPreconditionError(
                   "[enable_eager_execution] conflicts with the options of an earlier call"),
               loc);
  configured = true;
  first = options;
  Context::Get().set_options(options);
}

}  // namespace duet
