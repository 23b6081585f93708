// The `duet` MLIR dialect. Registry ops are derived from the op registry at load time (the
// dialect is extensible): every registered op is a dynamic op `duet.<name>`, verified by the
// registry's own shape/dtype function (so the IR can never disagree with eager), folded by its
// CPU kernel (registry_fold.h), with memory effects from its traits (`duet.print` is one: a
// stateful registry op). The structural ops are
// written once in ODS (structural_ops.td; classes in structural_ops.h):
//   duet.constant {value}            a captured tensor (ConstantLike)
//   duet.read_variable {var}         reads captured variable #var at run time (exported
//                                    modules name it instead: {var = "dense/kernel"})
//   duet.assign_variable {var} (x)   writes it (side effect: keeps program order)
//   duet.host_func {fn} (xs)         calls host callable #fn eagerly (side effect)
//   duet.cond (pred) [then, else], duet.while (xs) [cond, body], duet.yield (xs)
// Example: mlir::MLIRContext ctx; LoadDuetDialect(ctx); ... "duet.add"(%0, %1) : ...
#pragma once

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "runtime/op_def.h"

namespace duet::ir {

inline constexpr const char* kDialect = "duet";

// Loads the func dialect and the duet dialect (ops from the registry) into `ctx`.
void LoadDuetDialect(mlir::MLIRContext& ctx);
// Adds both to a registry (for MlirOptMain and other tools that load dialects on demand).
void RegisterDuetDialect(mlir::DialectRegistry& registry);

// The registry op an operation is, or null for structural ops and other dialects.
const OpDef* RegistryOp(mlir::Operation* op);

// Types and attributes <-> runtime values.
mlir::Type ElementType(mlir::MLIRContext& ctx, DType dtype);
absl::StatusOr<DType> DTypeOf(mlir::Type element_type);
mlir::RankedTensorType TensorType(mlir::MLIRContext& ctx, const TensorSpec& spec);
absl::StatusOr<TensorSpec> SpecOf(mlir::Type type);
mlir::Attribute ToAttribute(mlir::MLIRContext& ctx, const AttrValue& value);
absl::StatusOr<AttrValue> FromAttribute(mlir::Attribute attr, AttrKind kind);
// The registry attrs of a registry op, in declaration order.
absl::StatusOr<Attrs> OpAttrs(mlir::Operation* op, const OpDef& def);
mlir::DenseElementsAttr ToElementsAttr(mlir::MLIRContext& ctx, const Tensor& t);
absl::StatusOr<Tensor> FromElementsAttr(mlir::DenseElementsAttr attr);  // allocation may fail

}  // namespace duet::ir
