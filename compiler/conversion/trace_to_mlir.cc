#include "compiler/conversion/trace_to_mlir.h"

#include "absl/strings/str_cat.h"
#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/ir_text.h"
#include "compiler/dialect/duet/ir/structural_ops.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Location.h"

namespace duet::ir {
namespace {

using graph::Trace;
using graph::TraceNode;
using graph::TraceRegion;

class ModuleBuilder {
 public:
  ModuleBuilder(mlir::MLIRContext& ctx, const Trace& trace)
      : ctx_(ctx), trace_(trace), b_(&ctx), values_(trace.values.size()) {}

  mlir::Type TypeOf(int id) { return TensorType(ctx_, trace_.values[id]); }

  void EmitRegion(const TraceRegion& region, mlir::Region& into, bool is_function) {
    mlir::Block* block = is_function ? &into.front() : b_.createBlock(&into);
    if (!is_function)
      for (int p : region.params) values_[p] = block->addArgument(TypeOf(p), b_.getUnknownLoc());
    b_.setInsertionPointToEnd(block);
    for (const TraceNode& n : region.nodes) EmitNode(n);
    llvm::SmallVector<mlir::Value> results;
    for (int r : region.results) results.push_back(values_[r]);
    if (is_function)
      mlir::func::ReturnOp::create(b_, b_.getUnknownLoc(), results);
    else
      YieldOp::create(b_, b_.getUnknownLoc(), results);
  }

  // A registry op: a dynamic op, built by name.
  mlir::Operation* CreateRegistryOp(const OpDef& def, mlir::Location loc,
                                    llvm::ArrayRef<mlir::Value> operands,
                                    llvm::ArrayRef<mlir::Type> types,
                                    llvm::ArrayRef<mlir::NamedAttribute> attrs) {
    mlir::OperationState state(loc, absl::StrCat(kDialect, ".", def.name));
    state.addOperands(operands);
    state.addTypes(types);
    state.addAttributes(attrs);
    return b_.create(state);
  }

  mlir::IntegerAttr Index(int index) { return b_.getI64IntegerAttr(index); }

  void EmitNode(const TraceNode& n) {
    mlir::Location loc = LocationOf(ctx_, n.loc);
    llvm::SmallVector<mlir::Value> operands;
    for (int i : n.inputs) operands.push_back(values_[i]);
    llvm::SmallVector<mlir::Type> types;
    for (int o : n.outputs) types.push_back(TypeOf(o));
    llvm::SmallVector<mlir::NamedAttribute> attrs;
    mlir::Operation* op = nullptr;
    switch (n.kind) {
      case TraceNode::Kind::kOp:
        ForEachAttr(*n.op, n.attrs, [&](const AttrDef& def, const AttrValue& value) {
          attrs.push_back(b_.getNamedAttr(def.name, ToAttribute(ctx_, value)));
        });
        op = CreateRegistryOp(*n.op, loc, operands, types, attrs);
        break;
      case TraceNode::Kind::kConstant:
        op = ConstantOp::create(
            b_, loc, types[0],
            llvm::cast<mlir::DenseIntOrFPElementsAttr>(ToElementsAttr(ctx_, n.constant)));
        break;
      case TraceNode::Kind::kReadVariable:
        op = ReadVariableOp::create(b_, loc, types[0], Index(n.index));
        break;
      case TraceNode::Kind::kAssignVariable:
        op = AssignVariableOp::create(b_, loc, operands[0], Index(n.index));
        break;
      case TraceNode::Kind::kHostFunc:
        op = HostFuncOp::create(b_, loc, types, operands, Index(n.index));
        break;
        break;
      case TraceNode::Kind::kCond:
        op = CondOp::create(b_, loc, types, operands[0]);
        EmitRegions(n, op);
        break;
      case TraceNode::Kind::kWhile:
        op = WhileOp::create(b_, loc, types, operands);
        EmitRegions(n, op);
        break;
      case TraceNode::Kind::kFusion:
        llvm_unreachable("traces hold no fusions (ProgramToTrace expands them)");
    }
    for (size_t i = 0; i < n.outputs.size(); ++i) values_[n.outputs[i]] = op->getResult(i);
  }

  void EmitRegions(const TraceNode& n, mlir::Operation* op) {
    mlir::OpBuilder::InsertionGuard guard(b_);
    for (size_t r = 0; r < n.regions.size(); ++r)
      EmitRegion(*n.regions[r], op->getRegion(r), false);
  }

  mlir::OwningOpRef<mlir::ModuleOp> Build(const std::string& name) {
    mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(b_.getUnknownLoc());
    b_.setInsertionPointToEnd(module->getBody());
    llvm::SmallVector<mlir::Type> args, results;
    for (int p : trace_.body.params) args.push_back(TypeOf(p));
    for (int r : trace_.body.results) results.push_back(TypeOf(r));
    auto func =
        mlir::func::FuncOp::create(b_, b_.getUnknownLoc(), name, b_.getFunctionType(args, results));
    mlir::Block* entry = func.addEntryBlock();
    for (size_t i = 0; i < trace_.body.params.size(); ++i)
      values_[trace_.body.params[i]] = entry->getArgument(i);
    EmitRegion(trace_.body, func.getBody(), true);
    return module;
  }

 private:
  mlir::MLIRContext& ctx_;
  const Trace& trace_;
  mlir::OpBuilder b_;
  std::vector<mlir::Value> values_;
};

}  // namespace

mlir::OwningOpRef<mlir::ModuleOp> BuildModule(mlir::MLIRContext& ctx, const graph::Trace& trace,
                                              const std::string& name) {
  return ModuleBuilder(ctx, trace).Build(name);
}

}  // namespace duet::ir
