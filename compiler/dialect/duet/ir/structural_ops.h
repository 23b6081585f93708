// The duet dialect's C++ class and its structural ops, generated from duet_dialect.td and
// structural_ops.td (duet.constant, read_variable, assign_variable, host_func, print, cond,
// while, yield; see dialect.h for the IR). Include this only where an op is built or matched by
// its class (passes, conversions): the generated declarations are heavy.
// Example: if (auto c = llvm::dyn_cast<ConstantOp>(op)) use(c.getValue());
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/ExtensibleDialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace duet::ir {

// The captured variables, as one memory resource: reads and assigns of variables are ordered
// against each other (and against host functions) but not against other side effects.
struct VariableResource : mlir::SideEffects::Resource::Base<VariableResource> {
  llvm::StringRef getName() final { return "duet.variables"; }
};

// Whether `op` may run inside a duet.fusion over a domain of `domain` elements: a registry
// op that is elementwise and stateless, whose results all have `domain` elements and whose
// operands have `domain` elements, one, or broadcast to the result; static shapes only. The fusion
// pass and the fusion op's verifier ask the same question, so whatever verifies also tiles.
bool IsFusibleElementwise(mlir::Operation* op, int64_t domain);
// Whether static `operand` broadcasts (NumPy, right-aligned) to static `to` (a row, a column).
bool BroadcastsTo(mlir::Type operand, mlir::RankedTensorType to);

// The element count of a static tensor type, or -1.
int64_t StaticNumElements(mlir::Type type);

}  // namespace duet::ir

MLIR_DECLARE_EXPLICIT_TYPE_ID(duet::ir::VariableResource)

#include "compiler/dialect/duet/ir/duet_dialect.h.inc"

#define GET_OP_CLASSES
#include "compiler/dialect/duet/ir/structural_ops.h.inc"
