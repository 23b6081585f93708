// The graph optimization passes over the duet dialect, one per file, each an MLIR pass on the
// module. They ask the registry's traits (stateful, elementwise, shape-only), never op names.
//   fold  canonicalization: constant folding with the registry's CPU kernels (so folding can
//         never disagree with eager) and forwarding of value-preserving ops (identity)
//   cse   common subexpression elimination of pure ops
//   dce   dead code elimination of pure ops
// Example: RunPipeline(module, {"fold", "cse", "dce"}, dump);
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace duet::compiler {

std::unique_ptr<mlir::Pass> CreateFoldPass();
std::unique_ptr<mlir::Pass> CreateCsePass();
std::unique_ptr<mlir::Pass> CreateDcePass();

// The names RunPipeline and duet-opt accept, in the default order.
const std::vector<std::string>& DefaultPipeline();

// Runs the named passes in order; `dump(pass_name, ir_text)` sees the IR after each pass.
absl::Status RunPipeline(mlir::ModuleOp module, const std::vector<std::string>& passes,
                         const std::function<void(const std::string&, const std::string&)>& dump = nullptr);

// True if the op has no side effects (pure registry ops, constants, variable reads).
bool IsPure(mlir::Operation* op);

}  // namespace duet::compiler
