// cse (common subexpression elimination):
//   1. Walk each block in order, with the expressions of enclosing blocks visible (their
//      values dominate nested regions).
//   2. A pure op's key is (name, operands, attribute dictionary, result types); attribute
//      dictionaries are uniqued by MLIR, so equal attributes are the same pointer.
//   3. An op whose key was seen is replaced by the earlier op's results and erased.
//   Only ops free of memory effects merge (MemoryEffectOpInterface): a variable read reads the
//   variable resource, and an assign between two reads makes them differ.
//   (Upstream --cse does not merge the dynamic registry ops; see ir/test/upstream_passes.mlir.)
#include <map>

#include "compiler/dialect/duet/transforms/passes.h"
#include "compiler/rewrite_budget.h"
#include "mlir/IR/Block.h"
#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace duet::compiler {
namespace {

using Key = std::vector<const void*>;

Key KeyOf(mlir::Operation* op) {
  Key key{op->getName().getAsOpaquePointer(), op->getRawDictionaryAttrs().getAsOpaquePointer()};
  for (mlir::Value v : op->getOperands()) key.push_back(v.getAsOpaquePointer());
  for (mlir::Type t : op->getResultTypes()) key.push_back(t.getAsOpaquePointer());
  return key;
}

struct CsePass : mlir::PassWrapper<CsePass, mlir::OperationPass<mlir::ModuleOp>> {
  llvm::StringRef getArgument() const override { return "duet-cse"; }
  llvm::StringRef getDescription() const override {
    return "common subexpression elimination of pure ops";
  }

  void RunOnBlock(mlir::Block& block, std::map<Key, mlir::Operation*> seen) {
    for (mlir::Operation& op : llvm::make_early_inc_range(block)) {
      for (mlir::Region& r : op.getRegions())
        for (mlir::Block& b : r) RunOnBlock(b, seen);
      if (!mlir::isMemoryEffectFree(&op) || op.getNumRegions() > 0 || op.getNumResults() == 0)
        continue;
      auto [it, inserted] = seen.emplace(KeyOf(&op), &op);
      if (inserted || !MayRewrite("cse", &op)) continue;
      op.replaceAllUsesWith(it->second->getResults());
      op.erase();
    }
  }

  void runOnOperation() override {
    for (mlir::Operation& op : getOperation().getBody()->getOperations())
      for (mlir::Region& r : op.getRegions())
        for (mlir::Block& b : r) RunOnBlock(b, {});
  }
};

}  // namespace

DUET_REGISTER_PASS(CsePass);

}  // namespace duet::compiler
