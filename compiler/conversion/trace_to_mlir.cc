#include "compiler/conversion/trace_to_mlir.h"

#include "absl/strings/str_cat.h"
#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/ir_text.h"
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
      Create("duet.yield", b_.getUnknownLoc(), results, {}, {});
  }

  mlir::Operation* Create(const std::string& name, mlir::Location loc,
                          llvm::ArrayRef<mlir::Value> operands, llvm::ArrayRef<mlir::Type> types,
                          llvm::ArrayRef<mlir::NamedAttribute> attrs, int regions = 0) {
    mlir::OperationState state(loc, name);
    state.addOperands(operands);
    state.addTypes(types);
    state.addAttributes(attrs);
    for (int i = 0; i < regions; ++i) state.addRegion();
    return b_.create(state);
  }

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
        op = Create(absl::StrCat("duet.", n.op->name), loc, operands, types, attrs);
        break;
      case TraceNode::Kind::kConstant:
        op = Create("duet.constant", loc, {}, types,
                    {b_.getNamedAttr("value", ToElementsAttr(ctx_, n.constant))});
        break;
      case TraceNode::Kind::kReadVariable:
        op = Create("duet.read_variable", loc, {}, types,
                    {b_.getNamedAttr("var", b_.getI64IntegerAttr(n.index))});
        break;
      case TraceNode::Kind::kAssignVariable:
        op = Create("duet.assign_variable", loc, operands, {},
                    {b_.getNamedAttr("var", b_.getI64IntegerAttr(n.index))});
        break;
      case TraceNode::Kind::kHostFunc:
        op = Create("duet.host_func", loc, operands, types,
                    {b_.getNamedAttr("fn", b_.getI64IntegerAttr(n.index))});
        break;
      case TraceNode::Kind::kPrint:
        op = Create("duet.print", loc, operands, {},
                    {b_.getNamedAttr("label", b_.getStringAttr(trace_.print_labels[n.index]))});
        break;
      case TraceNode::Kind::kCond:
      case TraceNode::Kind::kWhile: {
        const char* name = n.kind == TraceNode::Kind::kCond ? "duet.cond" : "duet.while";
        op = Create(name, loc, operands, types, {}, static_cast<int>(n.regions.size()));
        mlir::OpBuilder::InsertionGuard guard(b_);
        for (size_t r = 0; r < n.regions.size(); ++r)
          EmitRegion(*n.regions[r], op->getRegion(r), false);
        break;
      }
    }
    for (size_t i = 0; i < n.outputs.size(); ++i) values_[n.outputs[i]] = op->getResult(i);
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
