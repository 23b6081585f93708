// fuse-elementwise: groups producer->consumer chains of elementwise registry ops over one
// iteration domain into duet.fusion ops, which the executor runs tile by tile (graph/fusion.h)
// so that the intermediates never leave the cache.
//   1. Walk each block in order. An op that may run fused (IsFusibleElementwise: asked by
//      trait, never by name) joins the open groups of its producers over the same domain,
//      merging them, or starts a group.
//   2. A group closes when anything outside it uses one of its values (a later op, a nested
//      region, the terminator): it can grow no further, so the fusion op can stand at its
//      last member and still dominate every outside use. Nothing is duplicated.
//   3. Groups of two or more ops become one duet.fusion: the outside operands are its inputs,
//      the values used outside are its results (several outputs per region).
// Operands from outside may cover the domain, be one element, or broadcast to it NumPy-style (a
// bias row, a column): the executor expands those slice by slice (graph/fusion.h).
// Not yet: a reduction as a region's root (issue 9).
#include <algorithm>
#include <memory>
#include <vector>

#include "compiler/dialect/duet/ir/structural_ops.h"
#include "compiler/dialect/duet/transforms/passes.h"
#include "compiler/rewrite_budget.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace duet::compiler {
namespace {

struct Group {
  std::vector<mlir::Operation*> members;
  int64_t domain = 0;
  bool open = true;
  Group* merged_into = nullptr;  // set when another group absorbed this one
};

class BlockFuser {
 public:
  void Run(mlir::Block& block) {
    for (mlir::Operation& op : block) {
      for (mlir::Region& r : op.getRegions())
        if (!llvm::isa<ir::FusionOp>(op))
          for (mlir::Block& b : r) BlockFuser().Run(b);
      Visit(op);
    }
    for (auto& g : groups_)
      if (!g->merged_into && g->members.size() >= 2 &&
          MayRewrite("fuse-elementwise", g->members[0]))
        Materialize(*g);
  }

 private:
  Group* GroupOf(mlir::Value v) {
    mlir::Operation* def = v.getDefiningOp();
    auto it = def ? group_of_.find(def) : group_of_.end();
    if (it == group_of_.end()) return nullptr;
    Group* g = it->second;
    while (g->merged_into) g = g->merged_into;
    return g;
  }

  // Every value `op` reads, including inside its regions (captured values).
  static void OperandsOf(mlir::Operation& op, std::vector<mlir::Value>& out) {
    op.walk([&](mlir::Operation* inner) {
      for (mlir::Value v : inner->getOperands()) out.push_back(v);
    });
  }

  void Visit(mlir::Operation& op) {
    const int64_t domain =
        op.getNumResults() ? ir::StaticNumElements(op.getResult(0).getType()) : -1;
    std::vector<mlir::Value> reads;
    if (!ir::IsFusibleElementwise(&op, domain)) {
      OperandsOf(op, reads);
      for (mlir::Value v : reads)
        if (Group* g = GroupOf(v)) g->open = false;  // used outside: it stops here
      return;
    }
    Group* target = nullptr;
    for (mlir::Value v : op.getOperands()) {
      Group* g = GroupOf(v);
      if (!g || !g->open || g->domain != domain || g == target) continue;
      if (!target) {
        target = g;
        continue;
      }
      // Two open groups feed this op: neither is used outside yet, so they become one.
      target->members.insert(target->members.end(), g->members.begin(), g->members.end());
      g->members.clear();
      g->merged_into = target;
    }
    if (!target) {
      groups_.push_back(std::make_unique<Group>());
      target = groups_.back().get();
      target->domain = domain;
    }
    for (mlir::Value v : op.getOperands())
      if (Group* g = GroupOf(v); g && g != target) g->open = false;
    target->members.push_back(&op);
    group_of_[&op] = target;
  }

  static void Materialize(Group& g) {
    std::sort(g.members.begin(), g.members.end(),
              [](mlir::Operation* a, mlir::Operation* b) { return a->isBeforeInBlock(b); });
    llvm::SmallPtrSet<mlir::Operation*, 16> in_group(g.members.begin(), g.members.end());
    llvm::SetVector<mlir::Value> inputs;
    std::vector<mlir::Value> results;
    for (mlir::Operation* m : g.members) {
      for (mlir::Value v : m->getOperands())
        if (!in_group.contains(v.getDefiningOp())) inputs.insert(v);
      for (mlir::Value r : m->getResults())
        if (llvm::any_of(r.getUsers(),
                         [&](mlir::Operation* user) { return !in_group.contains(user); }))
          results.push_back(r);
    }
    mlir::Operation* last = g.members.back();
    mlir::OpBuilder builder(last->getContext());
    builder.setInsertionPointAfter(last);
    llvm::SmallVector<mlir::Type> result_types;
    for (mlir::Value r : results) result_types.push_back(r.getType());
    auto fusion = ir::FusionOp::create(builder, last->getLoc(), result_types, inputs.getArrayRef());
    mlir::Block& body = fusion.getBody().emplaceBlock();
    mlir::IRMapping map;
    for (mlir::Value v : inputs) map.map(v, body.addArgument(v.getType(), v.getLoc()));
    builder.setInsertionPointToStart(&body);
    for (mlir::Operation* m : g.members) builder.clone(*m, map);
    llvm::SmallVector<mlir::Value> yielded;
    for (mlir::Value r : results) yielded.push_back(map.lookup(r));
    ir::YieldOp::create(builder, last->getLoc(), yielded);
    for (size_t k = 0; k < results.size(); ++k) results[k].replaceAllUsesWith(fusion.getResult(k));
    for (mlir::Operation* m : llvm::reverse(g.members)) m->erase();
  }

  std::vector<std::unique_ptr<Group>> groups_;
  llvm::DenseMap<mlir::Operation*, Group*> group_of_;
};

struct FuseElementwisePass
    : mlir::PassWrapper<FuseElementwisePass, mlir::OperationPass<mlir::ModuleOp>> {
  llvm::StringRef getArgument() const override { return "duet-fuse-elementwise"; }
  llvm::StringRef getDescription() const override {
    return "fuses chains of elementwise ops over one domain into duet.fusion ops";
  }
  void runOnOperation() override {
    for (mlir::Operation& op : getOperation().getBody()->getOperations())
      for (mlir::Region& r : op.getRegions())
        for (mlir::Block& b : r) BlockFuser().Run(b);
  }
};

}  // namespace

DUET_REGISTER_PASS(FuseElementwisePass);

}  // namespace duet::compiler
