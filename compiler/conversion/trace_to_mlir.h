// Builds the MLIR form of a trace: `func.func @name(args) -> results` in the duet dialect, each
// op located at the user's file:line. Constants are embedded as dense attributes.
// Example: OwningOpRef<ModuleOp> m = BuildModule(ctx, trace, "f");  // then verify, optimize
#pragma once

#include <string>

#include "graph/trace_graph.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace duet::ir {

mlir::OwningOpRef<mlir::ModuleOp> BuildModule(mlir::MLIRContext& ctx, const graph::Trace& trace,
                                              const std::string& name);

}  // namespace duet::ir
