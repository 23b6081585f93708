#include "compiler/dialect/duet/ir/structural_ops.h"

#include <string>

#include "compiler/dialect/duet/ir/dialect.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace duet::ir {
namespace {

using mlir::failure;
using mlir::LogicalResult;
using mlir::success;

LogicalResult Counts(mlir::Operation* op, int operands, int results, int regions) {
  if (operands >= 0 && op->getNumOperands() != static_cast<unsigned>(operands))
    return op->emitOpError() << "expects " << operands << " operands, got " << op->getNumOperands();
  if (results >= 0 && op->getNumResults() != static_cast<unsigned>(results))
    return op->emitOpError() << "expects " << results << " results, got " << op->getNumResults();
  if (op->getNumRegions() != static_cast<unsigned>(regions))
    return op->emitOpError() << "expects " << regions << " regions, got " << op->getNumRegions();
  return success();
}

// Every operand and result is a ranked tensor of a duet dtype.
LogicalResult TensorTypes(mlir::Operation* op) {
  for (mlir::Type t : llvm::concat<const mlir::Type>(op->getOperandTypes(), op->getResultTypes()))
    if (absl::StatusOr<TensorSpec> s = SpecOf(t); !s.ok())
      return op->emitOpError() << std::string(s.status().message());
  return success();
}

// A non-negative integer attribute (a capture index).
LogicalResult IndexAttr(mlir::Operation* op, const char* name) {
  auto a = llvm::dyn_cast_or_null<mlir::IntegerAttr>(op->getAttr(name));
  if (!a || !a.getType().isInteger(64) || a.getInt() < 0 || a.getInt() > INT32_MAX)
    return op->emitOpError() << "expects a non-negative i64 attribute '" << name << "'";
  return success();
}

// A variable reference: a capture index, or (in exported modules) a non-empty name.
LogicalResult VariableAttr(mlir::Operation* op) {
  auto name = llvm::dyn_cast_or_null<mlir::StringAttr>(op->getAttr("var"));
  if (name && !name.getValue().empty()) return success();
  if (llvm::isa_and_nonnull<mlir::IntegerAttr>(op->getAttr("var"))) return IndexAttr(op, "var");
  return op->emitOpError() << "expects a non-negative i64 or a non-empty string attribute 'var'";
}

// A one-element bool tensor: what cond and a while condition branch on.
bool IsPredicate(mlir::Type t) {
  absl::StatusOr<TensorSpec> s = SpecOf(t);
  return s.ok() && s->dtype == DType::kBool && s->shape.fully_defined() &&
         s->shape.num_elements() == 1;
}

// Same dtypes and ranks, each dim equal or unknown (-1) on one side: a value of a static type
// may flow where an unknown dim is declared (a loop var that grows, a branch's own shape).
bool Compatible(mlir::TypeRange a, mlir::TypeRange b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    absl::StatusOr<TensorSpec> x = SpecOf(a[i]), y = SpecOf(b[i]);
    if (!x.ok() || !y.ok() || x->dtype != y->dtype || x->shape.rank() != y->shape.rank())
      return false;
    for (int d = 0; d < x->shape.rank(); ++d)
      if (x->shape[d] != y->shape[d] && x->shape[d] >= 0 && y->shape[d] >= 0) return false;
  }
  return true;
}

// One block with `args` as argument types, ending in duet.yield; returns the yield or null.
mlir::Operation* SingleBlock(mlir::Operation* op, mlir::Region& region, mlir::TypeRange args,
                             const char* what) {
  if (!llvm::hasSingleElement(region)) {
    op->emitOpError() << "expects one block in the " << what << " region";
    return nullptr;
  }
  mlir::Block& block = region.front();
  if (mlir::TypeRange(block.getArgumentTypes()) != args) {
    op->emitOpError() << "the " << what << " region's arguments must be the loop variables' types";
    return nullptr;
  }
  if (block.empty() || block.back().getName().getStringRef() != "duet.yield") {
    op->emitOpError() << "the " << what << " region must end in duet.yield";
    return nullptr;
  }
  return &block.back();
}

LogicalResult YieldsTypes(mlir::Operation* op, mlir::Operation* yield, mlir::TypeRange want,
                          const char* what) {
  if (!yield) return failure();
  if (!Compatible(yield->getOperandTypes(), want))
    return op->emitOpError() << "the " << what << " region must yield the op's result types";
  return success();
}

LogicalResult VerifyConstant(mlir::Operation* op) {
  if (failed(Counts(op, 0, 1, 0)) || failed(TensorTypes(op))) return failure();
  auto value = llvm::dyn_cast_or_null<mlir::DenseIntOrFPElementsAttr>(op->getAttr("value"));
  if (!value) return op->emitOpError() << "expects a dense int or float elements attribute 'value'";
  if (value.getType() != op->getResult(0).getType())
    return op->emitOpError() << "'value' has another type than the result";
  if (!SpecOf(value.getType())->shape.fully_defined())
    return op->emitOpError() << "expects a static shape";
  return success();
}

LogicalResult VerifyCond(mlir::Operation* op) {
  if (failed(Counts(op, -1, -1, 2)) || failed(TensorTypes(op))) return failure();
  if (op->getNumOperands() == 0 || !IsPredicate(op->getOperand(0).getType()))
    return op->emitOpError() << "expects a one-element i1 tensor as the first operand";
  mlir::TypeRange results = op->getResultTypes();
  if (failed(YieldsTypes(op, SingleBlock(op, op->getRegion(0), {}, "then"), results, "then")) ||
      failed(YieldsTypes(op, SingleBlock(op, op->getRegion(1), {}, "else"), results, "else")))
    return failure();
  return success();
}

LogicalResult VerifyWhile(mlir::Operation* op) {
  if (failed(Counts(op, -1, -1, 2)) || failed(TensorTypes(op))) return failure();
  mlir::TypeRange vars =
      op->getResultTypes();  // the loop-carried types; the initial values may be more static
  if (!Compatible(op->getOperandTypes(), vars))
    return op->emitOpError() << "expects results of the loop variables' types";
  mlir::Operation* cond = SingleBlock(op, op->getRegion(0), vars, "condition");
  if (!cond) return failure();
  if (cond->getNumOperands() != 1 || !IsPredicate(cond->getOperand(0).getType()))
    return op->emitOpError() << "the condition region must yield one one-element i1 tensor";
  return YieldsTypes(op, SingleBlock(op, op->getRegion(1), vars, "body"), vars, "body");
}

}  // namespace

llvm::ArrayRef<const char*> StructuralOpNames() {
  static const char* const names[] = {
      "constant", "read_variable", "assign_variable", "host_func", "print", "cond", "while"};
  return names;
}

LogicalResult VerifyStructuralOp(llvm::StringRef name, mlir::Operation* op) {
  if (name == "constant") return VerifyConstant(op);
  if (name == "read_variable")
    return failure(failed(Counts(op, 0, 1, 0)) || failed(TensorTypes(op)) ||
                   failed(VariableAttr(op)));
  if (name == "assign_variable")
    return failure(failed(Counts(op, 1, 0, 0)) || failed(TensorTypes(op)) ||
                   failed(VariableAttr(op)));
  if (name == "host_func")
    return failure(failed(Counts(op, -1, -1, 0)) || failed(TensorTypes(op)) ||
                   failed(IndexAttr(op, "fn")));
  if (name == "print") {
    if (failed(Counts(op, 1, 0, 0)) || failed(TensorTypes(op))) return failure();
    if (!llvm::isa_and_nonnull<mlir::StringAttr>(op->getAttr("label")))
      return op->emitOpError() << "expects a string attribute 'label'";
    return success();
  }
  if (name == "cond") return VerifyCond(op);
  if (name == "while") return VerifyWhile(op);
  return op->emitOpError() << "is not a structural op";
}

}  // namespace duet::ir
