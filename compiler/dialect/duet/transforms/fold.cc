// fold (canonicalization):
//   1. Walk the module's ops in order.
//   2. A pure registry op whose operands are all duet.constant and whose results have static
//      shapes (and at most kMaxFoldElements elements) is run now, through the one dispatch
//      point with the eager executor, i.e. with the same CPU kernel eager uses; its results
//      replace it as duet.constant ops.
//   3. An op that is elementwise and shape-only with one operand of the result's type
//      (identity, stop_gradient after tracing) is replaced by its operand.
#include "absl/strings/str_cat.h"
#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/transforms/passes.h"
#include "mlir/IR/Builders.h"
#include "runtime/context.h"
#include "runtime/dispatch.h"

namespace duet::compiler {
namespace {

constexpr int64_t kMaxFoldElements = 1 << 20;

struct FoldPass : mlir::PassWrapper<FoldPass, mlir::OperationPass<mlir::ModuleOp>> {
  llvm::StringRef getArgument() const override { return "duet-fold"; }
  llvm::StringRef getDescription() const override {
    return "constant folding with the registry kernels";
  }

  bool TryFold(mlir::Operation* op, const OpDef& def) {
    std::vector<Tensor> inputs;
    for (mlir::Value v : op->getOperands()) {
      mlir::Operation* producer = v.getDefiningOp();
      if (!producer || producer->getName().getStringRef() != "duet.constant") return false;
      inputs.push_back(
          ir::FromElementsAttr(llvm::cast<mlir::DenseElementsAttr>(producer->getAttr("value"))));
    }
    for (mlir::Value r : op->getResults()) {
      absl::StatusOr<TensorSpec> spec = ir::SpecOf(r.getType());
      if (!spec.ok() || !spec->shape.fully_defined() ||
          spec->shape.num_elements() > kMaxFoldElements)
        return false;
    }
    absl::StatusOr<Attrs> attrs = ir::OpAttrs(op, def);
    if (!attrs.ok()) return false;
    absl::StatusOr<TensorList> out = Dispatch(def, inputs, *attrs, Loc());
    if (!out.ok()) return false;  // leave the error to run time, where it names the user's line
    mlir::OpBuilder b(op);
    for (size_t i = 0; i < out->size(); ++i) {
      mlir::OperationState state(op->getLoc(), "duet.constant");
      state.addTypes(op->getResult(i).getType());
      state.addAttribute("value", ir::ToElementsAttr(getContext(), (*out)[i]));
      op->getResult(i).replaceAllUsesWith(b.create(state)->getResult(0));
    }
    return true;
  }

  void runOnOperation() override {
    // Folding is compile-time work: the eager executor runs it even if a trace is active, and
    // no tape or op log sees it.
    ObserverPause pause;
    ExecutorScope eager(DefaultExecutor());
    std::vector<mlir::Operation*> dead;
    getOperation()->walk([&](mlir::Operation* op) {
      const OpDef* def = ir::RegistryOp(op);
      if (!def || def->has(kStateful)) return;
      if (def->has(kElementwise) && def->has(kShapeOnly) && op->getNumOperands() == 1 &&
          op->getOperand(0).getType() == op->getResult(0).getType()) {
        op->getResult(0).replaceAllUsesWith(op->getOperand(0));
        dead.push_back(op);
        return;
      }
      if (op->getNumOperands() > 0 && TryFold(op, *def)) dead.push_back(op);
    });
    for (mlir::Operation* op : dead) op->erase();
  }
};

}  // namespace

DUET_REGISTER_PASS(FoldPass);

}  // namespace duet::compiler
