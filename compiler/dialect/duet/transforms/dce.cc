// dce (dead code elimination):
//   1. Walk each block backwards (users before producers), regions included.
//   2. Erase an op that is trivially dead (no result used; at most read effects, regions
//      included); its operands may become dead in turn, which the backward walk sees next.
//   3. Ops with write effects (assign_variable, print, host_func, stateful registry ops such as
//      random) are kept, and so is their program order. Effects come from the ops'
//      MemoryEffectOpInterface (registry traits, ODS declarations), never from names.
#include "compiler/dialect/duet/transforms/passes.h"
#include "compiler/rewrite_budget.h"
#include "mlir/IR/Block.h"
#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace duet::compiler {
namespace {

struct DcePass : mlir::PassWrapper<DcePass, mlir::OperationPass<mlir::ModuleOp>> {
  llvm::StringRef getArgument() const override { return "duet-dce"; }
  llvm::StringRef getDescription() const override {
    return "dead code elimination of effect-free ops";
  }

  void RunOnBlock(mlir::Block& block) {
    for (mlir::Operation& op : llvm::make_early_inc_range(llvm::reverse(block))) {
      for (mlir::Region& r : op.getRegions())
        for (mlir::Block& b : r) RunOnBlock(b);
      if (mlir::isOpTriviallyDead(&op) && MayRewrite("dce", &op)) op.erase();
    }
  }

  void runOnOperation() override {
    for (mlir::Operation& op : getOperation().getBody()->getOperations())
      for (mlir::Region& r : op.getRegions())
        for (mlir::Block& b : r) RunOnBlock(b);
  }
};

}  // namespace

DUET_REGISTER_PASS(DcePass);

}  // namespace duet::compiler
