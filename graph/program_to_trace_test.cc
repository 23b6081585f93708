// ProgramToTrace on hand-built programs: slots become value ids with the instructions' specs,
// while regions get their loop variables' specs, variables and host functions are carried
// over, and malformed programs (a slot read before it is defined, an unbound variable,
// parameters that do not match the inputs) are errors, not crashes.
#include "graph/program_to_trace.h"

#include "gtest/gtest.h"
#include "runtime/tensor_factory.h"

namespace duet::graph {
namespace {

using K = Instr::Kind;

const TensorSpec kVec({-1}, DType::kFloat32);

Instr Make(K kind, std::vector<int> in, std::vector<int> out, SpecList specs = {}) {
  Instr i;
  i.kind = kind;
  i.in = std::move(in);
  i.out = std::move(out);
  i.out_specs = std::move(specs);
  return i;
}

TEST(ProgramToTrace, KeepsSlotsSpecsAndBindings) {
  // slot 0: argument; 1: read variable 0; 2: while over (0) with cond params {3}, body params {4}.
  auto cond_region = std::make_shared<Program>();
  cond_region->params = {3};
  const Tensor no = constant(false);
  cond_region->instrs.push_back(Make(K::kConstant, {}, {5}, {no.spec()}));
  cond_region->instrs.back().constant = no;
  cond_region->results = {5};
  auto body_region = std::make_shared<Program>();
  body_region->params = {4};
  body_region->results = {1};  // a value of the enclosing graph
  Program p;
  p.params = {0};
  p.num_slots = 6;
  p.instrs.push_back(Make(K::kReadVariable, {}, {1}, {TensorSpec({3}, DType::kFloat32)}));
  p.instrs.back().index = 0;
  p.instrs.push_back(Make(K::kWhile, {0}, {2}, {kVec}));
  p.instrs.back().regions = {cond_region, body_region};
  p.results = {2, 1};
  auto var = std::make_shared<VariableState>();

  absl::StatusOr<Trace> t = ProgramToTrace(p, {{var}, {}}, {kVec});
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->values.size(), 6u);
  EXPECT_EQ(t->values[1], TensorSpec({3}, DType::kFloat32));
  EXPECT_EQ(t->values[3], kVec);  // the while's cond parameter: the loop variable's spec
  EXPECT_EQ(t->values[4], kVec);
  EXPECT_EQ(t->body.params, std::vector<int>{0});
  EXPECT_EQ(t->body.results, (std::vector<int>{2, 1}));
  ASSERT_EQ(t->body.nodes.size(), 2u);
  EXPECT_EQ(t->body.nodes[0].kind, TraceNode::Kind::kReadVariable);
  EXPECT_EQ(t->body.nodes[1].kind, TraceNode::Kind::kWhile);
  ASSERT_EQ(t->body.nodes[1].regions.size(), 2u);
  EXPECT_EQ(t->body.nodes[1].regions[0]->nodes[0].kind, TraceNode::Kind::kConstant);
  EXPECT_EQ(t->body.nodes[1].regions[1]->results, std::vector<int>{1});
  ASSERT_EQ(t->variables.size(), 1u);
  EXPECT_EQ(t->variables[0], var);
}

void ExpectStatus(const absl::StatusOr<Trace>& t, const std::string& want) {
  ASSERT_FALSE(t.ok());
  EXPECT_NE(std::string(t.status().message()).find(want), std::string::npos) << t.status();
}

TEST(ProgramToTrace, MalformedProgramsAreErrors) {
  Program reads_early;
  reads_early.params = {0};
  reads_early.num_slots = 3;
  reads_early.instrs.push_back(Make(K::kAssignVariable, {2}, {}));
  ExpectStatus(ProgramToTrace(reads_early, {}, {kVec}),
               "[ProgramToTrace] slot 2 is read before it is defined");

  Program unbound;
  unbound.num_slots = 1;
  unbound.instrs.push_back(Make(K::kReadVariable, {}, {0}, {kVec}));
  unbound.instrs.back().index = 0;
  unbound.instrs.back().where = "model.cc:7";
  ExpectStatus(ProgramToTrace(unbound, {}, {}), "variable 0 is not bound (at model.cc:7)");

  Program one_param;
  one_param.params = {0};
  one_param.num_slots = 1;
  ExpectStatus(ProgramToTrace(one_param, {}, {}), "a block has 1 parameters but 0 specs");

  Program out_of_range;
  out_of_range.num_slots = 1;
  out_of_range.results = {7};
  ExpectStatus(ProgramToTrace(out_of_range, {}, {}), "slot 7 is read before it is defined");
}

}  // namespace
}  // namespace duet::graph
