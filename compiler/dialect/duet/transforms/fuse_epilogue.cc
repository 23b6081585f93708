// fuse-epilogue: a contraction followed by adds and an activation becomes the backend's fused
// form of it (duet.matmul + duet.add + duet.relu -> duet.fused_matmul {epilogue = "add,relu"}),
// which the CPU backend runs as one oneDNN primitive with post-ops: the bias and the
// activation are applied while the result is still in cache, with no pass over memory each.
//   1. A registry op whose backend declares a fused form (runtime/epilogue.h) starts a chain.
//   2. While the chain's value has exactly one use, in the same block, by an op the backend
//      declares an epilogue step (an add of an operand that broadcasts to the value without
//      changing its shape, or a final activation), that op joins the chain.
//   3. The fused op replaces the chain at its last op.
// The one-use rule is what keeps training graphs right: a value a backward op reads (a
// pre-activation whose gradient rule needs it) has two uses, so the chain stops before it.
// The backend declares only activations whose gradient reads their output (relu_grad(dy, y)),
// so in a training step matmul + bias + relu still fuse. Runs before fuse-elementwise, which
// would otherwise take the adds and activations into its regions. The compiled path runs on
// the CPU backend, so the CPU's declarations are asked.
#include <string>
#include <vector>

#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/structural_ops.h"
#include "compiler/dialect/duet/transforms/passes.h"
#include "compiler/rewrite_budget.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "mlir/IR/Builders.h"
#include "runtime/epilogue.h"

namespace duet::compiler {
namespace {

constexpr DeviceType kDevice = DeviceType::kCPU;

bool IsStaticFloat(mlir::Type t) {
  auto ranked = llvm::dyn_cast<mlir::RankedTensorType>(t);
  return ranked && ranked.hasStaticShape() && ranked.getElementType().isF32();
}

struct Chain {
  mlir::Operation* producer = nullptr;
  const OpDef* fused = nullptr;
  std::vector<mlir::Operation*> steps;
  std::vector<std::string> step_names;
  llvm::SmallVector<mlir::Value> operands;  // one per add
};

// The chain starting at `op`, or one with no steps.
Chain ChainFrom(mlir::Operation* op) {
  Chain c;
  const OpDef* def = ir::RegistryOp(op);
  if (!def || op->getNumResults() != 1 || !IsStaticFloat(op->getResult(0).getType())) return c;
  c.fused = FusedFormOf(kDevice, *def);
  if (!c.fused) return c;
  c.producer = op;
  mlir::Value value = op->getResult(0);
  while (value.hasOneUse()) {
    mlir::Operation* user = *value.getUsers().begin();
    const OpDef* step_def = ir::RegistryOp(user);
    if (!step_def || user->getBlock() != op->getBlock() || user->getNumResults() != 1 ||
        user->getResult(0).getType() != value.getType())
      break;
    std::optional<EpilogueStep> step = EpilogueStepOf(kDevice, *step_def);
    if (!step) break;
    if (*step == EpilogueStep::kAdd) {
      if (user->getNumOperands() != 2) break;
      mlir::Value other = user->getOperand(0) == value ? user->getOperand(1) : user->getOperand(0);
      auto to = llvm::cast<mlir::RankedTensorType>(value.getType());
      if (other == value || !ir::BroadcastsTo(other.getType(), to) ||
          llvm::cast<mlir::RankedTensorType>(other.getType()).getElementType() !=
              to.getElementType())
        break;
      c.operands.push_back(other);
    } else if (user->getNumOperands() != 1) {
      break;
    }
    c.steps.push_back(user);
    c.step_names.push_back(step_def->name);
    value = user->getResult(0);
    if (*step == EpilogueStep::kActivation) break;  // an activation ends the epilogue
  }
  return c;
}

void Fuse(const Chain& c) {
  mlir::Operation* last = c.steps.back();
  mlir::OpBuilder b(last);
  mlir::OperationState state(c.producer->getLoc(), std::string(ir::kDialect) + "." + c.fused->name);
  state.addOperands(c.producer->getOperands());
  state.addOperands(c.operands);
  state.addTypes(last->getResult(0).getType());
  state.addAttributes(c.producer->getAttrs());
  state.addAttribute("epilogue", b.getStringAttr(JoinEpilogue(c.step_names)));
  mlir::Operation* fused = b.create(state);
  last->getResult(0).replaceAllUsesWith(fused->getResult(0));
  for (mlir::Operation* s : llvm::reverse(c.steps)) s->erase();
  c.producer->erase();
}

void FuseBlock(mlir::Block& block) {
  std::vector<mlir::Operation*> ops;
  for (mlir::Operation& op : block) ops.push_back(&op);
  llvm::SmallPtrSet<mlir::Operation*, 16> erased;  // steps fused into an earlier producer
  for (mlir::Operation* op : ops) {
    if (erased.contains(op)) continue;
    for (mlir::Region& r : op->getRegions())
      for (mlir::Block& inner : r) FuseBlock(inner);
    Chain c = ChainFrom(op);
    if (c.steps.empty() || !MayRewrite("fuse-epilogue", op)) continue;
    erased.insert(c.steps.begin(), c.steps.end());
    Fuse(c);
  }
}

struct FuseEpiloguePass : mlir::PassWrapper<FuseEpiloguePass, mlir::OperationPass<mlir::ModuleOp>> {
  llvm::StringRef getArgument() const override { return "duet-fuse-epilogue"; }
  llvm::StringRef getDescription() const override {
    return "fuses a contraction's bias adds and activation into the backend's fused form";
  }
  void runOnOperation() override {
    for (mlir::Operation& op : getOperation().getBody()->getOperations())
      for (mlir::Region& r : op.getRegions())
        for (mlir::Block& b : r) FuseBlock(b);
  }
};

DUET_REGISTER_PASS(FuseEpiloguePass);

}  // namespace
}  // namespace duet::compiler
