#include "compiler/dialect/duet/ir/registry_fold.h"

#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/rewrite_budget.h"
#include "runtime/context.h"
#include "runtime/dispatch.h"
#include "runtime/executor.h"

namespace duet::ir {

mlir::LogicalResult FoldRegistryOp(const OpDef& def, mlir::Operation* op,
                                   llvm::ArrayRef<mlir::Attribute> operands,
                                   llvm::SmallVectorImpl<mlir::OpFoldResult>& results) {
  if (def.has(kStateful)) return mlir::failure();
  if (def.has(kElementwise) && def.has(kShapeOnly) && op->getNumOperands() == 1 &&
      op->getOperand(0).getType() == op->getResult(0).getType()) {
    if (!compiler::MayRewrite("fold", op)) return mlir::failure();
    results.push_back(op->getOperand(0));
    return mlir::success();
  }
  if (operands.empty()) return mlir::failure();  // generators (zeros, fill) stay small in the IR
  std::vector<Tensor> inputs;
  for (mlir::Attribute a : operands) {
    auto dense = llvm::dyn_cast_if_present<mlir::DenseElementsAttr>(a);
    if (!dense) return mlir::failure();
    absl::StatusOr<Tensor> input = FromElementsAttr(dense);
    if (!input.ok()) return mlir::failure();  // not a duet type, or too big to allocate
    inputs.push_back(*std::move(input));
  }
  for (mlir::Value r : op->getResults()) {
    absl::StatusOr<TensorSpec> spec = SpecOf(r.getType());
    if (!spec.ok() || !spec->shape.fully_defined() || spec->shape.num_elements() > kMaxFoldElements)
      return mlir::failure();
  }
  absl::StatusOr<Attrs> attrs = OpAttrs(op, def);
  if (!attrs.ok()) return mlir::failure();
  absl::StatusOr<TensorList> out;
  {
    // Compile-time work: the eager executor runs it even while a trace is active, and no tape
    // or op log sees it.
    ObserverPause pause;
    ExecutorScope eager(DefaultExecutor());
    out = Dispatch(def, inputs, *attrs, Loc());
  }
  if (!out.ok() || out->size() != op->getNumResults()) return mlir::failure();
  llvm::SmallVector<mlir::Attribute> values;
  for (size_t i = 0; i < out->size(); ++i) {
    mlir::DenseElementsAttr value = ToElementsAttr(*op->getContext(), (*out)[i]);
    if (value.getType() != op->getResult(i).getType()) return mlir::failure();
    values.push_back(value);
  }
  if (!compiler::MayRewrite("fold", op)) return mlir::failure();
  results.append(values.begin(), values.end());
  return mlir::success();
}

}  // namespace duet::ir
