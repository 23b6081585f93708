// Builds the MLIR form of a trace: `func.func @name(args) -> results` in the duet dialect, each
// op located at the user's file:line. Constants are embedded as dense attributes.
// Example: OwningOpRef<ModuleOp> m = BuildModule(ctx, trace, "f");  // then verify, optimize
#pragma once

#include <string>

#include "graph/trace_graph.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace duet::ir {

mlir::OwningOpRef<mlir::ModuleOp> BuildModule(mlir::MLIRContext& ctx, const graph::Trace& trace, const std::string& name);

// The user's line as an MLIR location, and back ("file.cc:12").
mlir::Location LocationOf(mlir::MLIRContext& ctx, const Loc& loc);
std::string DescribeLocation(mlir::Location loc);

// The IR as text (generic op form: it parses back to the same IR). With elide_constants,
// constants of more than 16 elements print as dense_resource placeholders (for reading, not
// for round trips).
std::string PrintModule(mlir::ModuleOp module, bool elide_constants = false);

}  // namespace duet::ir

namespace duet::ir {
// Parses IR text (generic or custom form) in a context with the duet dialect loaded.
absl::StatusOr<mlir::OwningOpRef<mlir::ModuleOp>> ParseModule(mlir::MLIRContext& ctx, const std::string& text);
}  // namespace duet::ir
