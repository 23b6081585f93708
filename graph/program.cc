#include "graph/program.h"

#include <algorithm>
#include <iostream>
#include <mutex>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "graph/fusion.h"
#include "runtime/status_macros.h"

namespace duet::graph {
namespace {

absl::Status AtLine(const absl::Status& s, const std::string& where) {
  if (s.ok() || where.empty()) return s;
  return absl::Status(s.code(), absl::StrCat(s.message(), " (at ", where, ")"));
}

class Runner {
 public:
  Runner(const Bindings& bindings, int num_slots) : bindings_(bindings), slots_(num_slots) {}

  absl::Status Run(const Program& p) {
    for (const Instr& i : p.instrs) {
      if (absl::Status s = Step(i); !s.ok()) [[unlikely]]
        return AtLine(s, i.where);
      for (int slot : i.release)
        slots_[slot] = Tensor();  // buffers go back to the allocator's cache
    }
    return absl::OkStatus();
  }

  absl::InlinedVector<Tensor, 32>& slots() { return slots_; }

 private:
  // An elementwise op writes over an input that dies here: its last read took the only handle
  // to a buffer of the output's spec (never an argument, a variable, a constant or a view's
  // source: those have other handles). Every elementwise kernel may alias its output with an
  // input (tests/inplace_kernels_test.cc); mark_modified keeps version-keyed caches honest.
  static bool RunsInPlace(const Instr& i, TensorList& inputs, const SpecList& specs,
                          TensorList& outputs) {
    if (specs.size() != 1 || !i.op->has(kElementwise) || i.op->has(kStateful)) return false;
    for (size_t k = 0; k < inputs.size() && k < i.take.size(); ++k) {
      if (!i.take[k] || inputs[k].spec() != specs[0] || !inputs[k].is_sole_owner()) continue;
      outputs[0] = inputs[k];
      outputs[0].mark_modified();
      return true;
    }
    return false;
  }

  // The instruction's inputs: a slot's last read takes its handle rather than copying it
  // (planned at lowering; regions' instructions take nothing), so its buffer may be reused.
  TensorList Inputs(const Instr& i) {
    TensorList inputs;
    for (size_t k = 0; k < i.in.size(); ++k) {
      if (k < i.take.size() && i.take[k])
        inputs.push_back(std::move(slots_[i.in[k]]));
      else
        inputs.push_back(slots_[i.in[k]]);
    }
    return inputs;
  }

  absl::Status RunOp(const Instr& i) {
    TensorList inputs = Inputs(i);
    SpecList inferred;  // only for shapes known at run time; else the lowered specs, not copied
    if (!i.static_shapes) {
      ASSIGN_OR_RETURN(inferred, i.op->infer(InferContext{*i.op, inputs, i.attrs}));
    }
    const SpecList& specs = i.static_shapes ? i.out_specs : inferred;
    TensorList outputs(specs.size());
    if (!i.op->kernel_allocates_outputs && !RunsInPlace(i, inputs, specs, outputs))
      for (size_t k = 0; k < specs.size(); ++k) {
        ASSIGN_OR_RETURN(outputs[k], Tensor::TryEmpty(specs[k]));
      }
    KernelContext ctx{*i.op, inputs, absl::MakeSpan(outputs), specs, i.attrs};
    RETURN_IF_ERROR(i.kernel(ctx));
    for (size_t k = 0; k < i.out.size(); ++k) slots_[i.out[k]] = std::move(outputs[k]);
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<Tensor>> RunRegion(const Program& region,
                                                const std::vector<Tensor>& args) {
    for (size_t k = 0; k < region.params.size(); ++k) slots_[region.params[k]] = args[k];
    RETURN_IF_ERROR(Run(region));
    std::vector<Tensor> out;
    for (int r : region.results) out.push_back(slots_[r]);
    return out;
  }

  absl::Status Step(const Instr& i) {
    switch (i.kind) {
      case Instr::Kind::kOp:
        return RunOp(i);
      case Instr::Kind::kConstant:
        slots_[i.out[0]] = i.constant;
        return absl::OkStatus();
      case Instr::Kind::kReadVariable:
        slots_[i.out[0]] = bindings_.variables[i.index]->Read();
        return absl::OkStatus();
      case Instr::Kind::kAssignVariable: {
        std::lock_guard<std::mutex> lock(bindings_.variables[i.index]->mu);
        bindings_.variables[i.index]->value = slots_[i.in[0]];
        return absl::OkStatus();
      }
      case Instr::Kind::kHostFunc: {
        std::vector<Tensor> args;
        for (int s : i.in) args.push_back(slots_[s]);
        std::vector<Tensor> out = bindings_.host_fns[i.index](args);
        if (out.size() != i.out.size())
          return absl::InvalidArgumentError(absl::StrCat("[host_func] returned ", out.size(),
                                                         " tensors, declared ", i.out.size()));
        for (size_t k = 0; k < out.size(); ++k) {
          if (out[k].dtype() != i.out_specs[k].dtype)
            return absl::InvalidArgumentError(absl::StrCat("[host_func] output ", k, " is ",
                                                           out[k].spec().to_string(), ", declared ",
                                                           DTypeName(i.out_specs[k].dtype)));
          slots_[i.out[k]] = out[k];
        }
        return absl::OkStatus();
      }
      case Instr::Kind::kCond: {
        bool pred = *slots_[i.in[0]].data<bool>();
        ASSIGN_OR_RETURN(std::vector<Tensor> out, RunRegion(*i.regions[pred ? 0 : 1], {}));
        for (size_t k = 0; k < i.out.size(); ++k) slots_[i.out[k]] = out[k];
        return absl::OkStatus();
      }
      case Instr::Kind::kFusion: {
        TensorList inputs = Inputs(i);  // results may reuse the buffers of last reads
        ASSIGN_OR_RETURN(std::vector<Tensor> out,
                         RunFusion(*i.fusion, inputs, i.out_specs, i.take));
        for (size_t k = 0; k < i.out.size(); ++k) slots_[i.out[k]] = std::move(out[k]);
        return absl::OkStatus();
      }
      case Instr::Kind::kWhile: {
        std::vector<Tensor> vars;
        for (int s : i.in) vars.push_back(slots_[s]);
        for (;;) {
          ASSIGN_OR_RETURN(std::vector<Tensor> c, RunRegion(*i.regions[0], vars));
          if (!*c[0].data<bool>()) break;
          ASSIGN_OR_RETURN(vars, RunRegion(*i.regions[1], vars));
        }
        for (size_t k = 0; k < i.out.size(); ++k) slots_[i.out[k]] = vars[k];
        return absl::OkStatus();
      }
    }
    return absl::InternalError("unknown instruction");
  }

  const Bindings& bindings_;
  absl::InlinedVector<Tensor, 32> slots_;  // a small graph's slots live on the stack
};

}  // namespace

absl::StatusOr<std::vector<Tensor>> RunProgram(const Program& program, const Bindings& bindings,
                                               absl::Span<const Tensor> args) {
  absl::InlinedVector<VariableState*, 4> assigned;
  for (int v : program.assigned_variables) assigned.push_back(bindings.variables[v].get());
  std::sort(assigned.begin(), assigned.end());  // one global order (addresses): no lock cycles
  absl::InlinedVector<std::unique_lock<std::recursive_mutex>, 4> updates;
  for (VariableState* v : assigned) updates.emplace_back(v->update_mu);
  Runner runner(bindings, program.num_slots);
  for (size_t k = 0; k < program.params.size(); ++k) runner.slots()[program.params[k]] = args[k];
  RETURN_IF_ERROR(runner.Run(program));
  std::vector<Tensor> out;
  for (int r : program.results) out.push_back(runner.slots()[r]);
  return out;
}

}  // namespace duet::graph
