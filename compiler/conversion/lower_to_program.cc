#include "compiler/conversion/lower_to_program.h"

#include <algorithm>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "compiler/codegen/generated_kernels.h"
#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/ir_text.h"
#include "compiler/dialect/duet/ir/structural_ops.h"
#include "graph/fusion.h"
#include "llvm/ADT/DenseMap.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "runtime/status_macros.h"

namespace duet::ir {
namespace {

using graph::Instr;
using graph::Program;

// A variable op's capture index; a name (an exported module not bound to its variables) fails.
template <class VariableOp>
absl::StatusOr<int> VariableIndex(VariableOp op) {
  mlir::Attribute var = op.getVar();
  if (auto named = llvm::dyn_cast<mlir::StringAttr>(var))
    return absl::InvalidArgumentError(
        absl::StrCat("variable '", named.getValue().str(),
                     "' is not bound (compile an exported module with its variables)"));
  return static_cast<int>(llvm::cast<mlir::IntegerAttr>(var).getInt());
}

class Lowering {
 public:
  explicit Lowering(DeviceType device) : device_(device) {}

  int Slot(mlir::Value v) {
    auto [it, inserted] = slots_.try_emplace(v, next_slot_);
    if (inserted) ++next_slot_;
    return it->second;
  }

  absl::Status LowerBlock(mlir::Block& block, Program& p) {
    for (mlir::BlockArgument a : block.getArguments()) p.params.push_back(Slot(a));
    for (mlir::Operation& op : block) {
      if (llvm::isa<mlir::func::ReturnOp, YieldOp>(op)) {
        for (mlir::Value v : op.getOperands()) p.results.push_back(Slot(v));
        continue;
      }
      ASSIGN_OR_RETURN(Instr instr, LowerOp(op));
      p.instrs.push_back(std::move(instr));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Instr> LowerOp(mlir::Operation& op) {
    Instr i;
    i.where = DescribeLocation(op.getLoc());
    for (mlir::Value v : op.getOperands()) i.in.push_back(Slot(v));
    for (mlir::Value v : op.getResults()) {
      i.out.push_back(Slot(v));
      ASSIGN_OR_RETURN(TensorSpec spec, SpecOf(v.getType()));
      i.static_shapes = i.static_shapes && spec.shape.fully_defined();
      i.out_specs.push_back(std::move(spec));
    }
    if (const OpDef* def = RegistryOp(&op)) {
      i.kind = Instr::Kind::kOp;
      i.op = def;
      ASSIGN_OR_RETURN(i.attrs, OpAttrs(&op, *def));
      ASSIGN_OR_RETURN(i.kernel, Kernel(op, *def));
    } else if (auto fusion = llvm::dyn_cast<FusionOp>(op)) {
      i.kind = Instr::Kind::kFusion;
      ASSIGN_OR_RETURN(i.fusion, LowerFusion(fusion));
    } else if (auto c = llvm::dyn_cast<ConstantOp>(op)) {
      i.kind = Instr::Kind::kConstant;
      ASSIGN_OR_RETURN(i.constant, FromElementsAttr(c.getValue()));
    } else if (auto read = llvm::dyn_cast<ReadVariableOp>(op)) {
      i.kind = Instr::Kind::kReadVariable;
      ASSIGN_OR_RETURN(i.index, VariableIndex(read));
    } else if (auto assign = llvm::dyn_cast<AssignVariableOp>(op)) {
      i.kind = Instr::Kind::kAssignVariable;
      ASSIGN_OR_RETURN(i.index, VariableIndex(assign));
    } else if (auto host = llvm::dyn_cast<HostFuncOp>(op)) {
      i.kind = Instr::Kind::kHostFunc;
      i.index = static_cast<int>(host.getFn().getInt());
    } else if (llvm::isa<CondOp, WhileOp>(op)) {
      i.kind = llvm::isa<CondOp>(op) ? Instr::Kind::kCond : Instr::Kind::kWhile;
      for (mlir::Region& r : op.getRegions()) {
        auto sub = std::make_shared<Program>();
        RETURN_IF_ERROR(LowerBlock(r.front(), *sub));
        i.regions.push_back(std::move(sub));
      }
    } else {
      return absl::UnimplementedError(
          absl::StrCat("cannot execute op ", op.getName().getStringRef().str()));
    }
    return i;
  }

  int num_slots() const { return next_slot_; }

 private:
  // The kernel a registry op runs on this backend, chosen by its kernel dtype.
  absl::StatusOr<KernelFn> Kernel(mlir::Operation& op, const OpDef& def) {
    int from = def.kernel_dtype_input;
    ASSIGN_OR_RETURN(TensorSpec spec,
                     SpecOf(from >= 0 && from < static_cast<int>(op.getNumOperands())
                                ? op.getOperand(from).getType()
                                : op.getResult(0).getType()));
    KernelFn kernel = def.kernel(device_, spec.dtype);
    if (!kernel)
      return absl::UnimplementedError(absl::StrCat(
          "[", def.name, "] has no ", DeviceTypeName(device_), " kernel for ",
          DTypeName(spec.dtype), " (compiling for ", Device{device_, 0}.to_string(), ")"));
    return kernel;
  }

  // A verified duet.fusion (so every body op is a fusible registry op) as a tile plan, its
  // values numbered inputs first.
  absl::StatusOr<std::shared_ptr<const graph::FusionPlan>> LowerFusion(FusionOp fusion) {
    auto plan = std::make_shared<graph::FusionPlan>();
    plan->domain = StaticNumElements(fusion.getResult(0).getType());
    ASSIGN_OR_RETURN(TensorSpec result_spec, SpecOf(fusion.getResult(0).getType()));
    plan->shape = result_spec.shape;
    llvm::DenseMap<mlir::Value, int> index;
    auto add = [&](mlir::Value v) -> absl::Status {
      ASSIGN_OR_RETURN(TensorSpec spec, SpecOf(v.getType()));
      index[v] = static_cast<int>(plan->values.size());
      plan->values.push_back(std::move(spec));
      return absl::OkStatus();
    };
    mlir::Block& body = fusion.getBody().front();
    for (mlir::BlockArgument a : body.getArguments()) {
      RETURN_IF_ERROR(add(a));
      const int64_t n = plan->values.back().shape.num_elements();
      plan->broadcast.push_back(n == 1);
      plan->expand.push_back(n != 1 && n != plan->domain);  // a row, a column, ...
    }
    for (mlir::Operation& op : body.without_terminator()) {
      graph::FusedOp f;
      f.op = RegistryOp(&op);
      ASSIGN_OR_RETURN(f.attrs, OpAttrs(&op, *f.op));
      ASSIGN_OR_RETURN(f.kernel, Kernel(op, *f.op));
      f.where = DescribeLocation(op.getLoc());
      for (mlir::Value v : op.getOperands()) f.in.push_back(index.at(v));
      for (mlir::Value v : op.getResults()) {
        RETURN_IF_ERROR(add(v));
        f.out.push_back(index.at(v));
      }
      plan->ops.push_back(std::move(f));
    }
    for (mlir::Value v : body.getTerminator()->getOperands()) plan->results.push_back(index.at(v));
    if (device_ == DeviceType::kCPU) plan->generated = codegen::MakeGeneratedKernelSlot(*plan);
    return plan;
  }

  DeviceType device_;
  llvm::DenseMap<mlir::Value, int> slots_;
  int next_slot_ = 0;
};

// Every slot an instruction reads, including inside its regions (values they capture).
void SlotsRead(const Instr& i, std::vector<int>& out) {
  out.insert(out.end(), i.in.begin(), i.in.end());
  for (const auto& r : i.regions) {
    for (const Instr& sub : r->instrs) SlotsRead(sub, out);
    out.insert(out.end(), r->results.begin(), r->results.end());
  }
}

void CollectAssignedVariables(const Program& p, std::vector<int>& out) {
  for (const Instr& i : p.instrs) {
    if (i.kind == Instr::Kind::kAssignVariable) out.push_back(i.index);
    for (const auto& region : i.regions) CollectAssignedVariables(*region, out);
  }
}

// Buffer lifetimes: each top-level instruction releases the slots it reads last (never the
// function's results). Regions keep theirs for the whole region run (loops re-read them).
void PlanReleases(Program& p) {
  std::unordered_map<int, size_t> last;
  std::vector<int> read;
  for (size_t k = 0; k < p.instrs.size(); ++k) {
    read.clear();
    SlotsRead(p.instrs[k], read);
    for (int s : read) last[s] = k;
  }
  for (int r : p.results) last.erase(r);
  for (auto [slot, k] : last) p.instrs[k].release.push_back(slot);
  // An op's input whose slot dies here, at its last position in the op's inputs, is moved
  // into the kernel (an elementwise kernel may then reuse the buffer).
  for (Instr& i : p.instrs) {
    i.take.assign(i.in.size(), 0);
    for (size_t k = 0; k < i.in.size(); ++k)
      i.take[k] =
          std::find(i.release.begin(), i.release.end(), i.in[k]) != i.release.end() &&
          std::find(i.in.begin() + static_cast<long>(k) + 1, i.in.end(), i.in[k]) == i.in.end();
  }
}

}  // namespace

absl::StatusOr<std::shared_ptr<Program>> LowerToProgram(mlir::ModuleOp module, DeviceType device) {
  mlir::func::FuncOp func;
  for (auto f : module.getOps<mlir::func::FuncOp>()) func = f;
  if (!func) return absl::InvalidArgumentError("the module has no function");
  if (func.isExternal()) return absl::InvalidArgumentError("the module's function has no body");
  auto program = std::make_shared<Program>();
  Lowering lowering(device);
  RETURN_IF_ERROR(lowering.LowerBlock(func.getBody().front(), *program));
  program->num_slots = lowering.num_slots();
  CollectAssignedVariables(*program, program->assigned_variables);
  std::sort(program->assigned_variables.begin(), program->assigned_variables.end());
  program->assigned_variables.erase(
      std::unique(program->assigned_variables.begin(), program->assigned_variables.end()),
      program->assigned_variables.end());
  PlanReleases(*program);
  return program;
}

}  // namespace duet::ir
