// Reverse over traced nodes. A value's adjoint is complete when its producer is reached,
// because regions list nodes in program order (as the tape's record is in execution order).
//   op: the registry rule, with the saved inputs and outputs (zeros for missing output grads).
//   read_variable: the adjoint goes to the variable. assign/print/host_func: no gradient.
//   cond: cond(pred) over each branch's Reverse, with the branch's values from the node's
//   extra outputs; returns the adjoints of the captures and variables the branches use.
//   while: a while over k = trips-1 .. 0 whose body reads iteration k's values from the
//   stacks (gather(stack, k)) and runs Reverse on the body once: O(n) for n trips.
#include "api/trace_gradient.h"

#include "absl/strings/str_cat.h"
#include "api/control_flow.h"
#include "eager/variable.h"
#include "graph/tracer.h"
#include "kernels/binary_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/grad_helpers.h"
#include "kernels/shape_ops.h"
#include "runtime/operand.h"
#include "runtime/tensor_factory.h"

namespace duet::internal {
namespace {

using graph::TraceNode;
using graph::TraceRegion;

std::vector<Tensor> Recompute(const TraceNode& nested, GraphGrad& g);

Tensor Add(const Tensor& acc, const Tensor& g) { return acc.defined() ? add(acc, g) : g; }

Tensor VariableZeros(const VariableState& v) { return ZerosLike(v.Read()); }

// The adjoints of a node's outputs (undefined where none arrived).
std::vector<Tensor> OutputGrads(const TraceNode& n, const GraphGrad& g) {
  std::vector<Tensor> out(n.outputs.size());
  for (size_t i = 0; i < n.outputs.size(); ++i)
    if (auto it = g.grads.find(n.outputs[i]); it != g.grads.end()) out[i] = it->second;
  return out;
}

bool AnyDefined(const std::vector<Tensor>& ts) {
  for (const Tensor& t : ts)
    if (t.defined()) return true;
  return false;
}

void OpGrad(const TraceNode& n, GraphGrad& g) {
  if (n.op->gradient_kind == GradientKind::kNotDifferentiable) return;
  std::vector<Tensor> out_grads = OutputGrads(n, g);
  bool any = AnyDefined(out_grads);
  uint64_t needed = 0;
  for (size_t i = 0; i < n.inputs.size() && i < 64; ++i)
    if (g.IsTracked(n.inputs[i])) needed |= uint64_t{1} << i;
  if (!any || needed == 0) return;
  if (n.op->gradient_kind != GradientKind::kDefined)
    ThrowError(absl::UnimplementedError(
                   absl::StrCat("[gradient] op '", n.op->name, "' has no gradient rule")),
               n.loc);
  std::vector<Tensor> ins, outs;
  for (int i : n.inputs) ins.push_back(g.Value(i));
  for (int o : n.outputs) outs.push_back(g.Value(o));
  graph::LocationScope at(n.loc);
  for (size_t i = 0; i < outs.size(); ++i)  // multi-output rules get zeros, not holes
    if (!out_grads[i].defined() && IsFloating(outs[i].dtype())) out_grads[i] = ZerosOf(outs[i]);
  std::vector<Tensor> in_grads =
      n.op->gradient(GradContext{*n.op, ins, outs, out_grads, n.attrs, needed});
  if (in_grads.size() > n.inputs.size())
    ThrowError(absl::InternalError(absl::StrCat("[gradient] rule of '", n.op->name, "' returned ",
                                                in_grads.size(), " gradients for ", n.inputs.size(),
                                                " inputs")),
               n.loc);
  for (size_t i = 0; i < in_grads.size(); ++i)
    if (in_grads[i].defined()) g.Seed(n.inputs[i], in_grads[i]);
}

// The captures and source variables a region's adjoints can reach.
void Reach(const TraceRegion& r, const GraphGrad& g, std::set<int>& caps, std::set<int>& vars) {
  std::set<int> defined, all_caps, reads;
  CollectCaptures(r, defined, all_caps);
  for (int c : all_caps)
    if (g.IsTracked(c)) caps.insert(c);
  CollectVariableReads(r, reads);
  for (int v : reads)
    if (g.source_variables.count(v)) vars.insert(v);
}

// Adds a branch's or body's results (captures, then variables) to the outer adjoints.
void AddReached(GraphGrad& g, const std::vector<int>& caps, const std::vector<int>& vars,
                const std::vector<Tensor>& r, size_t offset) {
  for (size_t j = 0; j < caps.size(); ++j) g.Seed(caps[j], r[offset + j]);
  for (size_t j = 0; j < vars.size(); ++j) {
    Tensor& acc = g.var_grads[vars[j]];
    acc = Add(acc, r[offset + caps.size() + j]);
  }
}

void CondGrad(const TraceNode& n, GraphGrad& g) {
  const size_t nr = n.outputs.size() - n.saved.size();
  std::vector<Tensor> dys = OutputGrads(n, g);
  bool any = AnyDefined(dys);
  std::set<int> cap_set, var_set;
  Reach(*n.regions[0], g, cap_set, var_set);
  Reach(*n.regions[1], g, cap_set, var_set);
  if (!any || (cap_set.empty() && var_set.empty())) return;
  std::vector<int> caps(cap_set.begin(), cap_set.end()), vars(var_set.begin(), var_set.end());
  std::vector<Tensor> extras, cap_values;
  for (size_t k = 0; k < n.saved.size(); ++k) extras.push_back(g.Value(n.outputs[nr + k]));
  for (int c : caps) cap_values.push_back(g.Value(c));
  auto branch = [&](const TraceRegion& r) {
    return Branch([&, rp = &r] {
      GraphGrad child = g.Child();
      for (size_t k = 0; k < n.saved.size(); ++k) {
        child.env[n.saved[k]] = extras[k];
        if (dys[nr + k].defined())
          child.Seed(n.saved[k], dys[nr + k]);  // higher order: saved values used
      }
      for (size_t i = 0; i < nr; ++i)
        if (dys[i].defined()) child.Seed(rp->results[i], dys[i]);
      Reverse(*rp, child);
      std::vector<Tensor> out;
      for (size_t j = 0; j < caps.size(); ++j) {
        auto it = child.grads.find(caps[j]);
        out.push_back(it != child.grads.end() ? it->second : ZerosOf(cap_values[j]));
      }
      for (int v : vars) {
        auto it = child.var_grads.find(v);
        out.push_back(it != child.var_grads.end() ? it->second : VariableZeros(*g.variables[v]));
      }
      return out;
    });
  };
  std::vector<Tensor> r =
      cond(g.Value(n.inputs[0]), branch(*n.regions[0]), branch(*n.regions[1]), n.loc);
  AddReached(g, caps, vars, r, 0);
}

void WhileGrad(const TraceNode& n, GraphGrad& g) {
  const TraceRegion& body = *n.regions[1];
  const size_t nv = n.outputs.size() - n.saved.size() - 1;
  std::vector<Tensor> dys = OutputGrads(n, g);
  bool any = AnyDefined(dys);
  std::vector<size_t> fv;  // loop vars that carry an adjoint
  for (size_t i = 0; i < nv; ++i)
    if (g.IsTracked(body.params[i])) fv.push_back(i);
  std::set<int> cap_set, var_set;
  Reach(body, g, cap_set, var_set);
  if (!any || (fv.empty() && cap_set.empty() && var_set.empty())) return;
  std::vector<int> caps(cap_set.begin(), cap_set.end()), vars(var_set.begin(), var_set.end());
  std::vector<Tensor> stacks, stack_grads;
  std::unordered_map<int, size_t> stack_of;
  for (size_t k = 0; k < n.saved.size(); ++k) {
    stacks.push_back(g.Value(n.outputs[nv + 1 + k]));
    stack_grads.push_back(dys[nv + 1 + k]);
    stack_of[n.saved[k]] = k;
  }
  std::vector<Tensor> state{sub(g.Value(n.outputs[nv]), 1, n.loc)};  // k, then the adjoints
  for (size_t i : fv) state.push_back(dys[i].defined() ? dys[i] : ZerosOf(g.Value(n.outputs[i])));
  for (int c : caps) state.push_back(ZerosOf(g.Value(c)));
  for (int v : vars) state.push_back(VariableZeros(*g.variables[v]));
  const size_t nf = fv.size();
  state = while_loop(
      [&](const std::vector<Tensor>& s) { return greater_equal(s[0], 0, n.loc); },
      [&](const std::vector<Tensor>& s) {
        GraphGrad child = g.Child();
        Tensor k = s[0];
        child.lazy = [&stacks, &stack_of, k, &n, &body, outer = g.lazy](GraphGrad& at, int id) {
          if (auto it = stack_of.find(id); it != stack_of.end())
            return gather(stacks[it->second], k, 0, n.loc);
          for (const TraceNode& nested : body.nodes)  // unknown shape: re-trace the nested node
            for (size_t o = 0; o < nested.outputs.size(); ++o)
              if (nested.outputs[o] == id) return Recompute(nested, at)[o];
          return outer ? outer(at, id) : Tensor();
        };
        for (size_t j = 0; j < stacks.size(); ++j)  // higher order: the stacks themselves were used
          if (stack_grads[j].defined()) child.Seed(n.saved[j], gather(stack_grads[j], k, 0, n.loc));
        for (size_t a = 0; a < nf; ++a) child.Seed(body.results[fv[a]], s[1 + a]);
        Reverse(body, child);
        std::vector<Tensor> next{sub(k, 1, n.loc)};
        for (size_t a = 0; a < nf; ++a) {
          int p = body.params[fv[a]];
          auto it = child.grads.find(p);
          next.push_back(it != child.grads.end() ? it->second : ZerosOf(child.Value(p)));
        }
        for (size_t j = 0; j < caps.size(); ++j) {
          auto it = child.grads.find(caps[j]);
          next.push_back(it != child.grads.end() ? add(s[1 + nf + j], it->second, n.loc)
                                                 : s[1 + nf + j]);
        }
        for (size_t j = 0; j < vars.size(); ++j) {
          auto it = child.var_grads.find(vars[j]);
          const Tensor& acc = s[1 + nf + caps.size() + j];
          next.push_back(it != child.var_grads.end() ? add(acc, it->second, n.loc) : acc);
        }
        return next;
      },
      state, n.loc);
  for (size_t a = 0; a < nf; ++a) g.Seed(n.inputs[fv[a]], state[1 + a]);
  AddReached(g, caps, vars, state, 1 + nf);
}

// A nested cond/while re-traced from iteration k's values; all its outputs join the env.
std::vector<Tensor> Recompute(const TraceNode& nested, GraphGrad& g) {
  std::set<int> defined, used(nested.inputs.begin(), nested.inputs.end());
  for (const auto& r : nested.regions) CollectCaptures(*r, defined, used);
  std::unordered_map<int, Tensor> env;
  for (int id : used) env[id] = g.Value(id);
  if (!g.rerun)
    ThrowError(absl::InternalError("[gradient] no way to re-trace a nested loop"), nested.loc);
  std::vector<Tensor> out = g.rerun(nested, env);
  for (size_t o = 0; o < nested.outputs.size() && o < out.size(); ++o)
    g.env[nested.outputs[o]] = out[o];
  return out;
}

// A saved value's extra output (a stack, for while) depends on the sources when the value does.
void TrackSaved(const TraceNode& n, size_t first_extra, GraphGrad& g) {
  for (size_t k = 0; k < n.saved.size(); ++k)
    if (g.IsTracked(n.saved[k])) g.Track(n.outputs[first_extra + k]);
}

bool AnyTracked(const std::vector<int>& ids, const GraphGrad& g) {
  for (int i : ids)
    if (g.IsTracked(i)) return true;
  return false;
}

}  // namespace

Tensor GraphGrad::Value(int id) {
  if (auto it = env.find(id); it != env.end()) return it->second;
  Tensor t = lazy ? lazy(*this, id) : Tensor();
  if (!t.defined())
    ThrowError(absl::InternalError(absl::StrCat("[gradient] the forward did not keep value %", id,
                                                " for the backward")),
               Loc());
  env[id] = t;
  return t;
}

void GraphGrad::Seed(int id, const Tensor& g) {
  if (!IsTracked(id) || !g.defined()) return;
  Tensor& acc = grads[id];
  acc = Add(acc, g);
}

GraphGrad GraphGrad::Child() const {
  GraphGrad c;
  c.variables = variables;
  c.source_variables = source_variables;
  c.env = env;
  c.lazy = lazy;
  c.rerun = rerun;
  c.specs = specs;
  c.tracked = tracked;
  return c;
}

Tensor ZerosOf(const Tensor& t) { return ZerosLike(t); }

void Propagate(const TraceRegion& r, GraphGrad& g) {
  for (const TraceNode& n : r.nodes) {
    switch (n.kind) {
      case TraceNode::Kind::kOp:
        if (n.op->gradient_kind != GradientKind::kNotDifferentiable && AnyTracked(n.inputs, g))
          for (int o : n.outputs) g.Track(o);
        break;
      case TraceNode::Kind::kReadVariable:
        if (g.source_variables.count(n.index)) g.Track(n.outputs[0]);
        break;
      case TraceNode::Kind::kCond: {
        Propagate(*n.regions[0], g);
        Propagate(*n.regions[1], g);
        for (size_t i = 0; i < n.outputs.size() - n.saved.size(); ++i)
          if (g.IsTracked(n.regions[0]->results[i]) || g.IsTracked(n.regions[1]->results[i]))
            g.Track(n.outputs[i]);
        TrackSaved(n, n.outputs.size() - n.saved.size(), g);
        break;
      }
      case TraceNode::Kind::kWhile: {
        const TraceRegion& body = *n.regions[1];
        const size_t nv = n.outputs.size() - n.saved.size() - (n.for_gradient ? 1 : 0);
        for (size_t i = 0; i < nv; ++i)
          if (g.IsTracked(n.inputs[i])) g.Track(body.params[i]);
        for (bool changed = true; changed;) {  // a var becomes tracked when its update is
          changed = false;
          Propagate(body, g);
          for (size_t i = 0; i < nv; ++i)
            if (g.IsTracked(body.results[i]) && !g.IsTracked(body.params[i])) {
              g.Track(body.params[i]);
              changed = true;
            }
        }
        for (size_t i = 0; i < nv; ++i)
          if (g.IsTracked(body.params[i])) g.Track(n.outputs[i]);
        TrackSaved(n, nv + 1, g);
        break;
      }
      default:
        break;
    }
  }
}

void Reverse(const TraceRegion& r, GraphGrad& g) {
  for (const TraceNode& n : r.nodes)
    if (n.kind == TraceNode::Kind::kConstant) g.env[n.outputs[0]] = n.constant;
  for (size_t k = r.nodes.size(); k-- > 0;) {
    const TraceNode& n = r.nodes[k];
    switch (n.kind) {
      case TraceNode::Kind::kOp:
        OpGrad(n, g);
        break;
      case TraceNode::Kind::kReadVariable:
        if (auto it = g.grads.find(n.outputs[0]); it != g.grads.end()) {
          Tensor& acc = g.var_grads[n.index];
          acc = Add(acc, it->second);
        }
        break;
      case TraceNode::Kind::kCond:
      case TraceNode::Kind::kWhile:
        if (!n.for_gradient)
          ThrowError(absl::UnimplementedError(
                         "[while_loop] gradients need the body's values per iteration, and the "
                         "body makes a value of unknown shape; give its values known shapes"),
                     n.loc);
        if (n.kind == TraceNode::Kind::kCond)
          CondGrad(n, g);
        else
          WhileGrad(n, g);
        break;
      default:
        break;  // constants, assigns, prints and host calls carry no gradient
    }
  }
}

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

void CollectVariableReads(const TraceRegion& r, std::set<int>& reads) {
  for (const TraceNode& n : r.nodes) {
    if (n.kind == TraceNode::Kind::kReadVariable) reads.insert(n.index);
    for (const auto& sub : n.regions) CollectVariableReads(*sub, reads);
  }
}

std::vector<int> DefinedValues(const TraceRegion& r) {
  std::vector<int> ids = r.params;
  for (const TraceNode& n : r.nodes)
    if (n.kind != TraceNode::Kind::kConstant)
      ids.insert(ids.end(), n.outputs.begin(), n.outputs.end());
  return ids;
}

std::vector<Tensor> NodeVjp(const TraceNode& node, GraphGrad g, const std::vector<int>& wrt,
                            const std::vector<int>& wrt_variables, absl::Span<const Tensor> dys) {
  TraceRegion one;
  one.nodes.push_back(node);
  for (int id : wrt) g.Track(id);
  g.source_variables.insert(wrt_variables.begin(), wrt_variables.end());
  Propagate(one, g);
  for (size_t i = 0; i < dys.size() && i < node.outputs.size(); ++i)
    g.Seed(node.outputs[i], dys[i]);
  Reverse(one, g);
  std::vector<Tensor> out;
  for (int id : wrt) {
    auto it = g.grads.find(id);
    out.push_back(it != g.grads.end() ? it->second : ZerosOf(g.Value(id)));
  }
  for (int v : wrt_variables) {
    auto it = g.var_grads.find(v);
    out.push_back(it != g.var_grads.end() ? it->second : VariableZeros(*g.variables[v]));
  }
  return out;
}

}  // namespace duet::internal
