// dce (dead code elimination):
//   1. Walk each block backwards (users before producers), regions included.
//   2. Erase a pure op none of whose results is used; its operands may become dead in turn,
//      which the backward walk sees next.
//   3. Side-effecting ops (assign_variable, print, host_func, stateful registry ops such as
//      random) are kept, and so is their program order.
#include "compiler/dialect/duet/transforms/passes.h"
#include "mlir/IR/Block.h"
#include "mlir/IR/Operation.h"

namespace duet::compiler {
namespace {

struct DcePass : mlir::PassWrapper<DcePass, mlir::OperationPass<mlir::ModuleOp>> {
  llvm::StringRef getArgument() const override { return "duet-dce"; }
  llvm::StringRef getDescription() const override { return "dead code elimination of pure ops"; }

  void RunOnBlock(mlir::Block& block) {
    for (mlir::Operation& op : llvm::make_early_inc_range(llvm::reverse(block))) {
      for (mlir::Region& r : op.getRegions())
        for (mlir::Block& b : r) RunOnBlock(b);
      if (IsPure(&op) && op.getNumRegions() == 0 && op.use_empty()) op.erase();
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
