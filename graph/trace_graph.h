// TraceGraph: what tracing a function records, before it becomes MLIR. Values are numbered
// across the whole trace (regions of cond/while may use values of enclosing graphs, as MLIR
// regions may); each graph or region lists its nodes in program order.
// Example: params {0, 1}; node add(0, 1) -> 2; results {2}.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "runtime/op_def.h"
#include "runtime/variable_state.h"

namespace duet::graph {

// A host callable for duet.host_func: concrete inputs in, concrete outputs out.
using HostFn = std::function<std::vector<Tensor>(const std::vector<Tensor>&)>;

struct TraceRegion;

struct TraceNode {
  // The node kinds of the trace, and of the Program it lowers to (program.h). The compiler
  // side has no list: it has one MLIR op class per kind (compiler/dialect/duet/ir/
  // structural_ops.td) and the registry ops.
  // kFusion exists only in Programs (a duet.fusion the executor runs tiled, graph/fusion.h):
  // the tracer never records one, and ProgramToTrace expands it back into its ops.
  enum class Kind {
    kOp,
    kConstant,
    kReadVariable,
    kAssignVariable,
    kHostFunc,
    kCond,
    kWhile,
    kFusion
  };
  Kind kind = Kind::kOp;
  const OpDef* op = nullptr;  // kOp
  std::vector<int> inputs, outputs;
  Attrs attrs;  // kOp
  Loc loc;
  Tensor constant;  // kConstant
  int index = -1;   // kReadVariable/kAssignVariable: variable; kHostFunc: host fn
  std::vector<std::shared_ptr<TraceRegion>> regions;  // kCond: then, else; kWhile: cond, body
  // kCond/kWhile traced for a gradient: the values the backward needs leave the regions as
  // extra outputs. saved[k] is the region value carried by the k-th extra output: for cond,
  // outputs = results..., saved values (the other branch yields zeros); for while, outputs =
  // loop vars..., trip count, one stack per saved body value (iterations along dim 0).
  bool for_gradient = false;
  std::vector<int> saved;
  size_t user_nodes = 0;  // kWhile for a gradient: the body's nodes before the stack updates
};

struct TraceRegion {
  std::vector<int> params;  // block arguments (while regions); empty for cond branches
  std::vector<TraceNode> nodes;
  std::vector<int> results;  // what the region yields
};

struct Trace {
  std::vector<TensorSpec> values;  // spec of every value id
  TraceRegion body;                // params = the function's tensor arguments
  std::vector<std::shared_ptr<VariableState>> variables;  // captured by reference
  std::vector<HostFn> host_fns;
};

}  // namespace duet::graph
