// Replay walks a recorded region and calls the public API for each node (Dispatch for ops,
// cond/while_loop/host_func/print/Variable for the rest), so whatever tracer is current
// records it again. Nothing here runs a computation by itself.
#include "api/replay.h"

#include "absl/strings/str_cat.h"
#include "api/control_flow.h"
#include "api/trace_gradient.h"
#include "eager/variable.h"
#include "graph/tracer.h"
#include "runtime/dispatch.h"

namespace duet::internal {
namespace {

using graph::TraceNode;
using graph::TraceRegion;

thread_local int tls_saving = 0;

struct SaveScope {
  SaveScope() { ++tls_saving; }
  ~SaveScope() { --tls_saving; }
};

// What replaying a recorded region needs besides its nodes.
struct ReplayContext {
  std::vector<std::shared_ptr<VariableState>> variables;
  std::vector<graph::HostFn> host_fns;
  std::unordered_map<int, TensorSpec> host_outputs;  // specs of the regions' host_func outputs
};

void CollectHostOutputs(const TraceRegion& r, const graph::Trace& trace,
                        std::unordered_map<int, TensorSpec>& specs) {
  for (const TraceNode& n : r.nodes) {
    if (n.kind == TraceNode::Kind::kHostFunc)
      for (int o : n.outputs) specs[o] = trace.values[static_cast<size_t>(o)];
    for (const auto& sub : n.regions) CollectHostOutputs(*sub, trace, specs);
  }
}

// All outputs (with the saved extras) of the cond/while just traced into the current region.
std::vector<Tensor> OutputsOfLastControlFlow() {
  graph::Tracer* tr = graph::CurrentTracer();
  const std::vector<TraceNode>& nodes = tr->region().nodes;
  for (size_t k = nodes.size(); k-- > 0;)
    if (nodes[k].kind == TraceNode::Kind::kCond || nodes[k].kind == TraceNode::Kind::kWhile) {
      std::vector<Tensor> out;
      for (int o : nodes[k].outputs) out.push_back(tr->TensorOf(o));
      return out;
    }
  return {};
}

ReplayContext ContextFor(const graph::Trace& trace, const TraceRegion& scope) {
  ReplayContext rc{trace.variables, trace.host_fns, {}};
  CollectHostOutputs(scope, trace, rc.host_outputs);
  return rc;
}

std::vector<Tensor> Replay(const TraceRegion& region, std::unordered_map<int, Tensor> env,
                           const ReplayContext& rc) {
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
      case TraceNode::Kind::kConstant:
        out = {n.constant};
        break;
      case TraceNode::Kind::kReadVariable:
        out = {Variable::FromState(rc.variables[n.index]).value(n.loc)};
        break;
      case TraceNode::Kind::kAssignVariable:
        Variable::FromState(rc.variables[n.index]).assign(in[0], n.loc);
        break;
      case TraceNode::Kind::kHostFunc: {
        std::vector<TensorSpec> specs;
        for (int o : n.outputs) specs.push_back(rc.host_outputs.at(o));
        out = host_func(rc.host_fns[n.index], in, specs, n.loc);
        break;
      }
      case TraceNode::Kind::kCond: {
        const size_t nr = n.outputs.size() - n.saved.size();  // the user's results only
        auto branch = [&](const TraceRegion& r) {
          return Branch([&] {
            std::vector<Tensor> results = Replay(r, env, rc);
            results.resize(nr);
            return results;
          });
        };
        out = cond(in[0], branch(*n.regions[0]), branch(*n.regions[1]), n.loc);
        if (n.for_gradient) out = OutputsOfLastControlFlow();
        break;
      }
      case TraceNode::Kind::kFusion:
        ThrowIfError(absl::InternalError("[replay] a trace holds a fusion"), n.loc);
        break;
      case TraceNode::Kind::kWhile: {
        auto cond_r = n.regions[0], body_r = n.regions[1];
        size_t nv = n.outputs.size() - n.saved.size() - (n.for_gradient ? 1 : 0);  // user vars only
        in.resize(nv);
        auto bind = [&env](const TraceRegion& r, const std::vector<Tensor>& vars) {
          std::unordered_map<int, Tensor> e = env;
          for (size_t k = 0; k < vars.size(); ++k) e[r.params[k]] = vars[k];
          return e;
        };
        TraceRegion user_body = *body_r;  // without the stack updates of a gradient trace
        if (n.for_gradient) user_body.nodes.resize(n.user_nodes);
        user_body.results.resize(nv);
        out = while_loop(
            [&](const std::vector<Tensor>& v) { return Replay(*cond_r, bind(*cond_r, v), rc)[0]; },
            [&](const std::vector<Tensor>& v) { return Replay(user_body, bind(user_body, v), rc); },
            in, n.loc);
        if (n.for_gradient) out = OutputsOfLastControlFlow();
        break;
      }
    }
    for (size_t k = 0; k < n.outputs.size() && k < out.size(); ++k) env[n.outputs[k]] = out[k];
  }
  std::vector<Tensor> results;
  for (int r : region.results) results.push_back(env.at(r));
  return results;
}

// The first effect in the region, described with its line, or "".
std::string FindEffect(const TraceRegion& region) {
  for (const TraceNode& n : region.nodes) {
    if (n.kind == TraceNode::Kind::kAssignVariable)
      return absl::StrCat("assigns a variable at ", FormatLoc(n.loc));
    if (n.kind == TraceNode::Kind::kHostFunc)
      return absl::StrCat("calls host_func at ", FormatLoc(n.loc));
    if (n.op && n.op->has(kStateful))
      return absl::StrCat("runs stateful op '", n.op->name, "' at ", FormatLoc(n.loc));
    for (const auto& sub : n.regions)
      if (std::string found = FindEffect(*sub); !found.empty()) return found;
  }
  return "";
}

}  // namespace

bool SavingForGradient() { return tls_saving > 0; }

std::vector<Tensor> RetraceForGradient(const graph::Trace& trace, const std::vector<Tensor>& args) {
  SaveScope save;
  return ReplayTrace(trace, args);
}

std::vector<Tensor> ReplayTrace(const graph::Trace& trace, const std::vector<Tensor>& args) {
  std::unordered_map<int, Tensor> env;
  for (size_t i = 0; i < trace.body.params.size() && i < args.size(); ++i)
    env[trace.body.params[i]] = args[i];
  return Replay(trace.body, std::move(env), ContextFor(trace, trace.body));
}

Rerun RerunIn(const graph::Trace& trace, const TraceRegion& scope) {
  auto rc = std::make_shared<ReplayContext>(ContextFor(trace, scope));
  return [rc](const TraceNode& node, const std::unordered_map<int, Tensor>& env) {
    TraceRegion one;
    one.nodes.push_back(node);
    if (std::string effect = FindEffect(one); !effect.empty())
      ThrowError(absl::UnimplementedError(
                     absl::StrCat("[gradient] a cond/while_loop nested in a while_loop body is "
                                  "recomputed by the backward, and it ",
                                  effect, "; move the effect out of the nested loop")),
                 node.loc);
    one.results = node.outputs;
    SaveScope save;
    std::unordered_map<int, Tensor> outer = env;
    return Replay(one, std::move(outer), *rc);
  };
}

}  // namespace duet::internal
