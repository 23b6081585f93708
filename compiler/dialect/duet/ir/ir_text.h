// The duet dialect as text: printing (it parses back to the same IR), parsing, and the user's
// source line as an MLIR location ("file.cc:12").
// Example: std::string text = PrintModule(module); auto again = ParseModule(ctx, text);
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "runtime/error.h"

namespace duet::ir {

// The user's line as an MLIR location, and back ("file.cc:12").
mlir::Location LocationOf(mlir::MLIRContext& ctx, const Loc& loc);
std::string DescribeLocation(mlir::Location loc);

// The IR as text, in the custom form (`%2 = duet.mul %0, %1 : tensor<4xf32>`; it parses back to
// the same IR; structural ops still print generically). With elide_constants,
// constants of more than 16 elements print as dense_resource placeholders (for reading, not
// for round trips).
std::string PrintModule(mlir::ModuleOp module, bool elide_constants = false);

// Parses IR text (generic or custom form) in a context with the duet dialect loaded.
absl::StatusOr<mlir::OwningOpRef<mlir::ModuleOp>> ParseModule(mlir::MLIRContext& ctx,
                                                              const std::string& text);

}  // namespace duet::ir
