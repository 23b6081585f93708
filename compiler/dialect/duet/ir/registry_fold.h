// The fold hook of every registry op (dialect.cc attaches it), so that MLIR's own folding
// (canonicalize, OpBuilder::createOrFold, duet-fold) folds duet IR:
//   1. A stateful op (random) never folds.
//   2. An elementwise, shape-only op with one operand of the result's type (identity,
//      stop_gradient after tracing) folds to its operand.
//   3. An op whose operands are all constants (ConstantLike ops' dense attributes) and whose
//      results have static shapes of at most kMaxFoldElements elements runs now, through the one
//      dispatch point with the eager executor: the same CPU kernel eager runs, so folding can
//      never disagree with eager. Its results become attributes, which the dialect materializes
//      as duet.constant. A kernel error leaves the op alone (run time reports it at the user's
//      line).
// Example: duet.add(constant [1, 2], constant [3, 4]) folds to dense<[4, 6]>.
#pragma once

#include "mlir/IR/OpDefinition.h"
#include "runtime/op_def.h"

namespace duet::ir {

inline constexpr int64_t kMaxFoldElements = int64_t{1} << 20;

mlir::LogicalResult FoldRegistryOp(const OpDef& def, mlir::Operation* op,
                                   llvm::ArrayRef<mlir::Attribute> operands,
                                   llvm::SmallVectorImpl<mlir::OpFoldResult>& results);

}  // namespace duet::ir
