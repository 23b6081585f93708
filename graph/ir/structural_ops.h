// Verifiers of the duet dialect's structural ops (duet.constant, read_variable,
// assign_variable, host_func, print, cond, while; see dialect.h): operand and result counts,
// the attributes lowering and the executor read, and the region shapes and yields. IR text is
// untrusted input (duet-opt, loading), so whatever verifies must lower and run without
// crashing. Example: VerifyStructuralOp("constant", op) fails for a constant without `value`.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "mlir/IR/Operation.h"

namespace duet::ir {

// The structural op names (without "duet.").
llvm::ArrayRef<const char*> StructuralOpNames();

// `name` is one of StructuralOpNames(); errors are emitted on `op`.
mlir::LogicalResult VerifyStructuralOp(llvm::StringRef name, mlir::Operation* op);

}  // namespace duet::ir
