// What ODS cannot say about the structural ops: constant values of the result's static type,
// the predicate's shape, region arguments and yields against the loop variables (an unknown
// dim may take a static one), and the control flow of cond/while for RegionBranchOpInterface.
#include "compiler/dialect/duet/ir/structural_ops.h"

#include <string>

#include "compiler/dialect/duet/ir/dialect.h"

MLIR_DEFINE_EXPLICIT_TYPE_ID(duet::ir::VariableResource)

namespace duet::ir {
namespace {

using mlir::failure;
using mlir::LogicalResult;
using mlir::success;

// A one-element bool tensor: what cond and a while condition branch on.
bool IsPredicate(mlir::Type t) {
  absl::StatusOr<TensorSpec> s = SpecOf(t);
  return s.ok() && s->dtype == DType::kBool && s->shape.fully_defined() &&
         s->shape.num_elements() == 1;
}

// Same dtype and rank, each dim equal or unknown (-1) on one side: a value of a static type may
// flow where an unknown dim is declared (a loop var that grows, a branch's own shape).
bool Compatible(mlir::Type a, mlir::Type b) {
  absl::StatusOr<TensorSpec> x = SpecOf(a), y = SpecOf(b);
  if (!x.ok() || !y.ok() || x->dtype != y->dtype || x->shape.rank() != y->shape.rank())
    return false;
  for (int d = 0; d < x->shape.rank(); ++d)
    if (x->shape[d] != y->shape[d] && x->shape[d] >= 0 && y->shape[d] >= 0) return false;
  return true;
}

bool Compatible(mlir::TypeRange a, mlir::TypeRange b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!Compatible(a[i], b[i])) return false;
  return true;
}

// The region's one block with `args` as argument types, ending in duet.yield; or null.
YieldOp RegionYield(mlir::Operation* op, mlir::Region& region, mlir::TypeRange args,
                    const char* what) {
  mlir::Block& block = region.front();  // SizedRegion<1> holds exactly one block
  if (mlir::TypeRange(block.getArgumentTypes()) != args) {
    op->emitOpError() << "the " << what << " region's arguments must be the loop variables' types";
    return {};
  }
  auto yield = block.empty() ? YieldOp() : llvm::dyn_cast<YieldOp>(block.back());
  if (!yield) op->emitOpError() << "the " << what << " region must end in duet.yield";
  return yield;
}

LogicalResult YieldsTypes(mlir::Operation* op, YieldOp yield, mlir::TypeRange want,
                          const char* what) {
  if (!yield) return failure();
  if (!Compatible(yield.getValues().getTypes(), want))
    return op->emitOpError() << "the " << what << " region must yield the op's result types";
  return success();
}

}  // namespace

int64_t StaticNumElements(mlir::Type type) {
  auto t = llvm::dyn_cast<mlir::RankedTensorType>(type);
  return t && t.hasStaticShape() ? t.getNumElements() : -1;
}

bool BroadcastsTo(mlir::Type operand, mlir::RankedTensorType to) {
  auto o = llvm::dyn_cast<mlir::RankedTensorType>(operand);
  if (!o || !o.hasStaticShape() || !to.hasStaticShape() || o.getRank() > to.getRank()) return false;
  for (int64_t i = 1; i <= o.getRank(); ++i) {
    const int64_t d = o.getDimSize(o.getRank() - i);
    if (d != 1 && d != to.getDimSize(to.getRank() - i)) return false;
  }
  return true;
}

// Whether a and b are one static shape once leading ones are dropped ((1, 4) and (4)).
static bool SameUpToLeadingOnes(mlir::Type a, mlir::RankedTensorType b) {
  auto ra = llvm::dyn_cast<mlir::RankedTensorType>(a);
  if (!ra || !ra.hasStaticShape() || !b.hasStaticShape()) return false;
  auto squeeze = [](llvm::ArrayRef<int64_t> d) {
    while (!d.empty() && d.front() == 1) d = d.drop_front();
    return d;
  };
  return squeeze(ra.getShape()) == squeeze(b.getShape());
}

bool IsFusibleElementwise(mlir::Operation* op, int64_t domain) {
  const OpDef* def = RegistryOp(op);
  if (!def || !(def->traits & kElementwise) || (def->traits & kStateful) || domain <= 1 ||
      op->getNumResults() == 0)
    return false;
  for (mlir::Type t : op->getResultTypes())
    if (StaticNumElements(t) != domain) return false;
  auto result = llvm::cast<mlir::RankedTensorType>(op->getResult(0).getType());
  for (mlir::Type t : op->getOperandTypes()) {
    int64_t n = StaticNumElements(t);
    if (n != domain && n != 1 && !BroadcastsTo(t, result)) return false;
  }
  return true;
}

mlir::OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

LogicalResult ConstantOp::verify() {
  if (getValueAttr().getType() != getResult().getType())
    return emitOpError() << "'value' has another type than the result";
  if (!getResult().getType().hasStaticShape()) return emitOpError() << "expects a static shape";
  return success();
}

LogicalResult CondOp::verify() {
  if (!IsPredicate(getPred().getType()))
    return emitOpError() << "expects a one-element i1 tensor as the first operand";
  mlir::TypeRange results = getResultTypes();
  if (failed(
          YieldsTypes(*this, RegionYield(*this, getThenRegion(), {}, "then"), results, "then")) ||
      failed(YieldsTypes(*this, RegionYield(*this, getElseRegion(), {}, "else"), results, "else")))
    return failure();
  return success();
}

// Control enters one branch, and the branch's yield leaves to the results.
void CondOp::getSuccessorRegions(mlir::RegionBranchPoint point,
                                 llvm::SmallVectorImpl<mlir::RegionSuccessor>& regions) {
  if (point.isParent()) {
    regions.emplace_back(&getThenRegion());
    regions.emplace_back(&getElseRegion());
    return;
  }
  regions.emplace_back(getOperation(), getResults());
}

bool CondOp::areTypesCompatible(mlir::Type a, mlir::Type b) { return Compatible(a, b); }

LogicalResult WhileOp::verify() {
  mlir::TypeRange vars = getResultTypes();  // loop-carried; the initial values may be more static
  if (!Compatible(getInits().getTypes(), vars))
    return emitOpError() << "expects results of the loop variables' types";
  YieldOp cond = RegionYield(*this, getCondRegion(), vars, "condition");
  if (!cond) return failure();
  if (cond.getValues().size() != 1 || !IsPredicate(cond.getValues()[0].getType()))
    return emitOpError() << "the condition region must yield one one-element i1 tensor";
  return YieldsTypes(*this, RegionYield(*this, getBodyRegion(), vars, "body"), vars, "body");
}

// The loop variables enter the condition; the condition's yield (only the predicate) goes to
// the body or out, both of which read the variables as the condition saw them (so no values
// are forwarded on those edges); the body's yield feeds the condition the next variables.
void WhileOp::getSuccessorRegions(mlir::RegionBranchPoint point,
                                  llvm::SmallVectorImpl<mlir::RegionSuccessor>& regions) {
  mlir::Region& cond = getCondRegion();
  mlir::Operation* from = point.getTerminatorPredecessorOrNull();
  if (point.isParent() || from->getParentRegion() == &getBodyRegion()) {
    regions.emplace_back(&cond, cond.getArguments());
    return;
  }
  regions.emplace_back(&getBodyRegion(), mlir::Block::BlockArgListType());
  regions.emplace_back(getOperation(), getResults().take_front(0));
}

mlir::OperandRange WhileOp::getEntrySuccessorOperands(mlir::RegionSuccessor) { return getInits(); }

bool WhileOp::areTypesCompatible(mlir::Type a, mlir::Type b) { return Compatible(a, b); }

LogicalResult FusionOp::verify() {
  mlir::Block& block = getBody().front();
  if (mlir::TypeRange(block.getArgumentTypes()) != getInputs().getTypes())
    return emitOpError() << "the body's arguments must be the inputs' types";
  auto yield = block.empty() ? YieldOp() : llvm::dyn_cast<YieldOp>(block.back());
  if (!yield) return emitOpError() << "the body must end in duet.yield";
  if (getNumResults() == 0 || yield.getValues().getTypes() != getResultTypes())
    return emitOpError() << "the body must yield the op's result types (at least one)";
  const int64_t domain = StaticNumElements(getResult(0).getType());
  if (domain <= 1) return emitOpError() << "expects a static domain of more than one element";
  // Broadcast inputs are expanded to result 0's shape (graph/fusion.h), so every value the
  // region computes must have that shape (up to leading ones), not just as many elements.
  auto shape = llvm::cast<mlir::RankedTensorType>(getResult(0).getType());
  for (mlir::Type t : getResultTypes())
    if (!SameUpToLeadingOnes(t, shape))
      return emitOpError() << "every result must have result 0's shape " << shape;
  for (mlir::Type t : getInputs().getTypes()) {
    int64_t n = StaticNumElements(t);
    if (n != 1 && !SameUpToLeadingOnes(t, shape) && !BroadcastsTo(t, shape))
      return emitOpError() << "every input must have " << domain
                           << " elements, one, or broadcast to " << shape;
  }
  for (mlir::Operation& op : block.without_terminator()) {
    if (!IsFusibleElementwise(&op, domain))
      return op.emitOpError() << "cannot run inside a duet.fusion over " << domain
                              << " elements (a stateless elementwise registry op of static "
                                 "shapes is needed)";
    for (mlir::Type t : op.getResultTypes())
      if (!SameUpToLeadingOnes(t, shape))
        return op.emitOpError() << "must compute the fusion's shape " << shape;
  }
  for (mlir::Value v : yield.getValues())
    if (llvm::isa<mlir::BlockArgument>(v))
      return emitOpError() << "yields an input unchanged (a fused op's result is needed)";
  return success();
}

mlir::MutableOperandRange YieldOp::getMutableSuccessorOperands(mlir::RegionSuccessor) {
  auto loop = llvm::dyn_cast<WhileOp>(getOperation()->getParentOp());
  if (loop && getOperation()->getParentRegion() == &loop.getCondRegion())
    return mlir::MutableOperandRange(getOperation(), 0, 0);  // the predicate is not forwarded
  return getValuesMutable();
}

}  // namespace duet::ir

#define GET_OP_CLASSES
#include "compiler/dialect/duet/ir/structural_ops.cpp.inc"
