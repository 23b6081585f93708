// fold (constant folding), a thin wrapper over MLIR's own folding:
//   1. The greedy rewrite driver, with no patterns, calls every op's fold hook until nothing
//      changes: registry ops fold through the registry's CPU kernel or forward their operand
//      (ir/registry_fold.h), duet.constant folds to its value, and the dialect materializes
//      results as duet.constant (deduplicated, placed at the start of the function).
//   2. Ops left dead (no uses, no effects beyond reads) are erased on the way.
//   It is upstream `--canonicalize` without region simplification, kept as a named pass so the
//   default pipeline and `function(..., passes)` name it.
#include "compiler/dialect/duet/transforms/passes.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace duet::compiler {
namespace {

struct FoldPass : mlir::PassWrapper<FoldPass, mlir::OperationPass<mlir::ModuleOp>> {
  llvm::StringRef getArgument() const override { return "duet-fold"; }
  llvm::StringRef getDescription() const override {
    return "constant folding with the registry kernels (the ops' fold hooks)";
  }

  void runOnOperation() override {
    mlir::GreedyRewriteConfig config;
    config.setRegionSimplificationLevel(mlir::GreedySimplifyRegionLevel::Disabled);
    // Not converging within the driver's iteration limit is not an error: what folded stays.
    (void)mlir::applyPatternsGreedily(getOperation(), mlir::FrozenRewritePatternSet(), config);
  }
};

}  // namespace

DUET_REGISTER_PASS(FoldPass);

}  // namespace duet::compiler
