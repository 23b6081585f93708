// Program -> Trace, instruction by instruction; regions recursively, sharing the value table.
// A fusion is expanded back into its ops (its intermediates get fresh value ids).
#include "graph/program_to_trace.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "graph/fusion.h"
#include "runtime/error.h"
#include "runtime/status_macros.h"

namespace duet::graph {
namespace {

TraceNode::Kind KindOf(Instr::Kind kind) {
  using I = Instr::Kind;
  using T = TraceNode::Kind;
  static const std::map<I, T> kinds = {
      {I::kOp, T::kOp},
      {I::kConstant, T::kConstant},
      {I::kReadVariable, T::kReadVariable},
      {I::kAssignVariable, T::kAssignVariable},
      {I::kHostFunc, T::kHostFunc},
      {I::kCond, T::kCond},
      {I::kWhile, T::kWhile},
  };
  return kinds.at(kind);
}

class Converter {
 public:
  Converter(const Bindings& bindings, const Trace* source, Trace& out)
      : bindings_(bindings), out_(out), defined_(out.values.size()) {
    if (source) CollectLocs(source->body);
  }

  // `param_specs`: the specs of `p.params`, in order.
  absl::Status Region(const Program& p, const std::vector<TensorSpec>& param_specs,
                      TraceRegion& into) {
    if (p.params.size() != param_specs.size())
      return Bad(absl::StrCat("a block has ", p.params.size(), " parameters but ",
                              param_specs.size(), " specs"));
    for (size_t k = 0; k < p.params.size(); ++k)
      RETURN_IF_ERROR(Define(p.params[k], param_specs[k]));
    into.params = p.params;
    for (const Instr& i : p.instrs) {
      if (i.kind == Instr::Kind::kFusion) {
        RETURN_IF_ERROR(ExpandFusion(i, into));
        continue;
      }
      ASSIGN_OR_RETURN(TraceNode node, Node(i));
      into.nodes.push_back(std::move(node));
    }
    for (int r : p.results) RETURN_IF_ERROR(Read(r));
    into.results = p.results;
    return absl::OkStatus();
  }

 private:
  static absl::Status Bad(const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat("[ProgramToTrace] ", what));
  }

  void CollectLocs(const TraceRegion& region) {
    for (const TraceNode& n : region.nodes) {
      locs_.try_emplace(FormatLoc(n.loc), n.loc);
      for (const auto& r : n.regions) CollectLocs(*r);
    }
  }

  absl::Status Define(int slot, const TensorSpec& spec) {
    if (slot < 0 || slot >= static_cast<int>(defined_.size()) || defined_[slot])
      return Bad(absl::StrCat("slot ", slot, " is out of range or defined twice"));
    out_.values[slot] = spec;
    defined_[slot] = true;
    return absl::OkStatus();
  }

  int Fresh(const TensorSpec& spec) {
    out_.values.push_back(spec);
    defined_.push_back(true);
    return static_cast<int>(out_.values.size()) - 1;
  }

  absl::Status ExpandFusion(const Instr& i, TraceRegion& into) {
    if (!i.fusion || static_cast<int>(i.in.size()) != i.fusion->num_inputs() ||
        i.out.size() != i.fusion->results.size() || i.out.size() != i.out_specs.size())
      return Bad(absl::StrCat("a fusion does not match its plan (at ", i.where, ")"));
    const FusionPlan& plan = *i.fusion;
    std::vector<int> slot(plan.values.size(), -1);  // region value -> trace value
    for (int k = 0; k < plan.num_inputs(); ++k) {
      RETURN_IF_ERROR(Read(i.in[k]));
      slot[k] = i.in[k];
    }
    std::vector<int> result_of(plan.values.size(), -1);
    for (size_t r = 0; r < plan.results.size(); ++r) result_of[plan.results[r]] = i.out[r];
    for (const FusedOp& f : plan.ops) {
      TraceNode n;
      n.kind = TraceNode::Kind::kOp;
      n.op = f.op;
      n.attrs = f.attrs;
      if (auto it = locs_.find(f.where); it != locs_.end() && !f.where.empty()) n.loc = it->second;
      for (int v : f.in) {
        if (slot[v] < 0) return Bad("a fused op reads a value before it is made");
        n.inputs.push_back(slot[v]);
      }
      for (int v : f.out) {
        if (result_of[v] >= 0) {
          RETURN_IF_ERROR(Define(result_of[v], plan.values[v]));
          slot[v] = result_of[v];
        } else {
          slot[v] = Fresh(plan.values[v]);
        }
        n.outputs.push_back(slot[v]);
      }
      into.nodes.push_back(std::move(n));
    }
    return absl::OkStatus();
  }

  absl::Status Read(int slot) const {
    if (slot < 0 || slot >= static_cast<int>(defined_.size()) || !defined_[slot])
      return Bad(absl::StrCat("slot ", slot, " is read before it is defined"));
    return absl::OkStatus();
  }

  absl::StatusOr<TraceNode> Node(const Instr& i) {
    using K = Instr::Kind;
    TraceNode n;
    n.op = i.op;
    n.attrs = i.attrs;
    n.constant = i.constant;
    n.index = i.index;
    if (auto it = locs_.find(i.where); it != locs_.end() && !i.where.empty()) n.loc = it->second;
    for (int s : i.in) RETURN_IF_ERROR(Read(s));
    n.inputs = i.in;
    n.kind = KindOf(i.kind);
    if (i.kind == K::kOp && !i.op)
      return Bad(absl::StrCat("an op instruction without an op (at ", i.where, ")"));
    if ((i.kind == K::kReadVariable || i.kind == K::kAssignVariable) &&
        (i.index < 0 || i.index >= static_cast<int>(bindings_.variables.size())))
      return Bad(absl::StrCat("variable ", i.index, " is not bound (at ", i.where, ")"));
    if (i.kind == K::kHostFunc &&
        (i.index < 0 || i.index >= static_cast<int>(bindings_.host_fns.size())))
      return Bad(absl::StrCat("host function ", i.index, " is not bound (at ", i.where, ")"));
    if (i.kind == K::kCond || i.kind == K::kWhile) {
      if (i.regions.size() != 2)
        return Bad(absl::StrCat("cond/while needs 2 regions (at ", i.where, ")"));
      std::vector<TensorSpec> loop_vars;
      if (i.kind == K::kWhile)
        for (int s : i.in) loop_vars.push_back(out_.values[s]);
      for (const auto& region : i.regions) {
        auto r = std::make_shared<TraceRegion>();
        RETURN_IF_ERROR(Region(*region, loop_vars, *r));
        n.regions.push_back(std::move(r));
      }
    }
    if (i.out.size() != i.out_specs.size())
      return Bad(absl::StrCat("an instruction has ", i.out.size(), " outputs but ",
                              i.out_specs.size(), " specs"));
    for (size_t k = 0; k < i.out.size(); ++k) RETURN_IF_ERROR(Define(i.out[k], i.out_specs[k]));
    n.outputs = i.out;
    return n;
  }

  const Bindings& bindings_;
  Trace& out_;
  std::map<std::string, Loc> locs_;
  std::vector<bool> defined_;  // by slot
};

}  // namespace

absl::StatusOr<Trace> ProgramToTrace(const Program& program, const Bindings& bindings,
                                     const std::vector<TensorSpec>& inputs, const Trace* source) {
  Trace out;
  out.values.resize(program.num_slots);
  out.variables = bindings.variables;
  out.host_fns = bindings.host_fns;
  Converter converter(bindings, source, out);
  RETURN_IF_ERROR(converter.Region(program, inputs, out.body));
  return out;
}

}  // namespace duet::graph
