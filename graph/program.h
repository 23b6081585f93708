// Program: an optimized graph lowered to a flat instruction list over value slots, and the
// graph executor that runs it with the registry's CPU kernels (the same kernels eager runs,
// so results are bit-identical). A call's overhead is one slot vector plus the kernels.
// A program that assigns variables runs holding their update locks, so its
// reads and assigns are one atomic read-modify-write per call, as eager assign_add is.
// Example: absl::StatusOr<std::vector<Tensor>> out = RunProgram(program, bindings, {x});
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "graph/trace_graph.h"

namespace duet::graph {

struct Program;
struct FusionPlan;  // graph/fusion.h

struct Instr {
  using Kind = TraceNode::Kind;  // the one list of node kinds (trace_graph.h)
  Kind kind = Kind::kOp;
  const OpDef* op = nullptr;
  KernelFn kernel = nullptr;  // resolved at lowering (dtypes are static)
  std::vector<int> in, out;
  Attrs attrs;
  SpecList out_specs;
  bool static_shapes = true;  // else shapes are inferred at run time
  Tensor constant;
  int index = -1;     // variable or host fn
  std::string where;  // the user's file:line, for errors
  std::vector<std::shared_ptr<Program>> regions;
  std::shared_ptr<const FusionPlan> fusion;  // kFusion
  std::vector<int> release;  // slots whose last read is this instruction: freed right after it
  std::vector<char> take;    // per input: its slot's last read, so the kernel takes the handle
};

struct Program {
  std::vector<int> params;  // slots of the arguments (function) or block arguments (region)
  std::vector<Instr> instrs;
  std::vector<int> results;             // slots returned / yielded
  int num_slots = 0;                    // of the whole function (shared by its regions)
  std::vector<int> assigned_variables;  // distinct variables assigned anywhere (top level only)
};

// What a program's structural instructions refer to.
struct Bindings {
  std::vector<std::shared_ptr<VariableState>> variables;
  std::vector<HostFn> host_fns;
};

absl::StatusOr<std::vector<Tensor>> RunProgram(const Program& program, const Bindings& bindings,
                                               absl::Span<const Tensor> args);

}  // namespace duet::graph
