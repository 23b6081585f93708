// Every op traced vs eager: each OpInfo sample runs once through the eager executor and once
// as a traced, optimized, compiled graph; the results must be bit-identical (the graph runs
// the same kernels). Also every op's IR prints and parses back to the same text.
#include <cstring>

#include "absl/strings/str_cat.h"
#include "api/duet.h"
#include "compiler/conversion/trace_to_mlir.h"
#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/ir_text.h"
#include "graph/tracer.h"
#include "gtest/gtest.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

internal::Signature SignatureOf(const std::vector<Tensor>& inputs) {
  internal::Signature sig;
  for (const Tensor& t : inputs) sig.push_back({internal::ArgKey::Kind::kTensor, t.spec(), ""});
  return sig;
}

internal::Invoker Invoker(const OpDef& op, const Attrs& attrs) {
  return [&op, attrs](const std::vector<Tensor>& tensors) {
    TensorList out = *Dispatch(op, tensors, attrs, Loc::current());
    return std::vector<Tensor>(out.begin(), out.end());
  };
}

class TracedSweep : public ::testing::TestWithParam<std::string> {};

TEST_P(TracedSweep, TracedMatchesEagerBitForBit) {
  const OpDef& op = *OpRegistry::Get().Find(GetParam());
  const OpInfo* info = FindOpInfo(GetParam());
  ASSERT_NE(info, nullptr);
  int checked = 0;
  for (DType dtype : info->dtypes) {
    for (const OpSample& sample : info->samples(dtype)) {
      SCOPED_TRACE(absl::StrCat(op.name, " ", DTypeName(dtype), " sample ", sample.name));
      TensorList eager = *Dispatch(op, sample.inputs, sample.attrs, Loc::current());
      internal::FunctionCore core(op.name, {});
      std::vector<Tensor> traced = core.Call(SignatureOf(sample.inputs), sample.inputs,
                                             Invoker(op, sample.attrs), Loc::current());
      ASSERT_EQ(traced.size(), eager.size());
      for (size_t k = 0; k < eager.size(); ++k) {
        ASSERT_EQ(traced[k].spec(), eager[k].spec());
        if (op.has(kStateful)) continue;  // random: fresh values each run
        EXPECT_EQ(std::memcmp(traced[k].raw_data(), eager[k].raw_data(), eager[k].num_bytes()), 0)
            << "output " << k;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

TEST_P(TracedSweep, IrPrintsAndParsesBackToItself) {
  const OpDef& op = *OpRegistry::Get().Find(GetParam());
  const OpInfo* info = FindOpInfo(GetParam());
  ASSERT_NE(info, nullptr);
  OpSample sample = info->samples(info->dtypes[0])[0];
  graph::Trace trace;  // the traced (unoptimized) IR: every op appears as duet.<name>
  {
    graph::TraceScope scope(&trace);
    std::vector<Tensor> params;
    for (const Tensor& t : sample.inputs) params.push_back(scope.Parameter(t.spec()));
    ASSERT_TRUE(scope.Return(Invoker(op, sample.attrs)(params)).ok()) << op.name;
  }
  mlir::MLIRContext ctx;
  ir::LoadDuetDialect(ctx);
  mlir::OwningOpRef<mlir::ModuleOp> module = ir::BuildModule(ctx, trace, op.name);
  ASSERT_TRUE(mlir::succeeded(mlir::verify(*module)));
  std::string text = ir::PrintModule(*module);
  EXPECT_NE(text.find(" duet." + op.name + " "), std::string::npos) << "custom form:\n" << text;
  EXPECT_NE(text.find("traced_sweep_test.cc"), std::string::npos)
      << "ops are located at the user's line";
  auto parsed = ir::ParseModule(ctx, text);
  ASSERT_TRUE(parsed.ok()) << parsed.status() << "\n" << text;
  EXPECT_EQ(ir::PrintModule(**parsed), text);
}

INSTANTIATE_TEST_SUITE_P(AllOps, TracedSweep, ::testing::ValuesIn(RegisteredOpNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace duet::testing
