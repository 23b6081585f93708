// duet-test-miscompile-mul: a deliberately wrong pass for tests of the compiler's debugging
// tools (config::check_functions_against_eager, DUET_BISECT): it turns every duet.mul into a
// duet.add of the same operands. Each replacement is one rewrite for DUET_BISECT. Test-only.
#include "compiler/dialect/duet/transforms/passes.h"
#include "compiler/rewrite_budget.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"

namespace duet::compiler {
namespace {

struct MiscompileMulPass
    : mlir::PassWrapper<MiscompileMulPass, mlir::OperationPass<mlir::ModuleOp>> {
  llvm::StringRef getArgument() const override { return "duet-test-miscompile-mul"; }
  llvm::StringRef getDescription() const override {
    return "tests only: wrongly rewrites mul(x, y) to add(x, y)";
  }

  void runOnOperation() override {
    llvm::SmallVector<mlir::Operation*> muls;
    getOperation()->walk([&](mlir::Operation* op) {
      if (op->getName().getStringRef() == "duet.mul") muls.push_back(op);
    });
    for (mlir::Operation* mul : muls) {
      if (!MayRewrite("test-miscompile-mul", mul)) continue;
      mlir::OpBuilder builder(mul);
      mlir::OperationState state(mul->getLoc(), "duet.add");
      state.addOperands(mul->getOperands());
      state.addTypes(mul->getResultTypes());
      state.addAttributes(mul->getAttrs());
      mlir::Operation* add = builder.create(state);
      mul->replaceAllUsesWith(add->getResults());
      mul->erase();
    }
  }
};

}  // namespace

DUET_REGISTER_PASS(MiscompileMulPass);

}  // namespace duet::compiler
