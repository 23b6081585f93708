// Lowers an optimized duet-dialect module (one func.func) to a Program for the graph executor:
// values become slots, registry ops resolve their kernel on `device` once (a missing one is
// Unimplemented naming op, device and dtype), constants are decoded once.
#pragma once

#include "graph/program.h"
#include "mlir/IR/BuiltinOps.h"

namespace duet::ir {

absl::StatusOr<std::shared_ptr<graph::Program>> LowerToProgram(
    mlir::ModuleOp module, DeviceType device = DeviceType::kCPU);

}  // namespace duet::ir
