// The graph optimization passes over the duet dialect, one per file, each a registered MLIR pass
// named "duet-<name>" (so duet-opt takes `--duet-fold` and pipelines name them), registered by
// its own file with DUET_REGISTER_PASS. They ask MLIR's interfaces and traits (fold hooks,
// ConstantLike, MemoryEffectOpInterface), which the dialect derives from the registry's traits
// (stateful, elementwise, shape-only) and ODS; never op names.
//   fold  constant folding through the ops' fold hooks: the registry's CPU kernels (so folding
//         can never disagree with eager) and forwarding of value-preserving ops (identity)
//   cse   common subexpression elimination of effect-free ops
//   dce   dead code elimination of effect-free ops
// and the lowering passes, which shape the graph for the executor:
//   fuse-epilogue     a contraction + bias adds + an activation -> the backend's fused form
//                     (duet.fused_matmul: one oneDNN primitive with post-ops)
//   fuse-elementwise  chains of elementwise ops over one domain -> duet.fusion (run tiled)
// The default pipeline (pipeline.cc) is also registered, as "duet-optimize".
// Example: RunPipeline(module, DefaultPipeline(), dump);
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

namespace duet::compiler {

// Registers a pass class with MLIR's registry at start-up (the library is alwayslink).
#define DUET_REGISTER_PASS(PassClass) \
  static const bool kRegistered##PassClass = (::mlir::PassRegistration<PassClass>(), true)

// The short names (without "duet-") of the default (optimization) pipeline, in order; export
// stops after it, so exported modules hold no executor-specific ops.
const std::vector<std::string>& DefaultPipeline();
// The lowering passes Compile runs after it for the graph executor, in order.
const std::vector<std::string>& LoweringPipeline();

// Runs the named passes (short names) in order; `dump(pass_name, ir_text)` sees the IR after
// each pass. An unknown name is an InvalidArgument error listing the registered ones.
absl::Status RunPipeline(
    mlir::ModuleOp module, const std::vector<std::string>& passes,
    const std::function<void(const std::string&, const std::string&)>& dump = nullptr);

}  // namespace duet::compiler
