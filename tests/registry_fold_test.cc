// The registry ops' fold hook under MLIR's own canonicalizer: a pure op with constant operands
// is replaced by what its registered CPU kernel computes (the kernel runs once, at compile
// time), a stateful op with constant operands is left alone.
#include <atomic>

#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/ir_text.h"
#include "gtest/gtest.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

std::atomic<int> kernel_runs{0};

absl::StatusOr<SpecList> SameAsInput(const InferContext& ctx) { return SpecList{ctx.input(0)}; }

// y = 2x + 0.5: no other op computes this, so a folded value can only come from this kernel.
absl::Status TwiceAndAHalf(KernelContext& ctx) {
  ++kernel_runs;
  const float* x = ctx.inputs[0].data<float>();
  float* y = ctx.outputs[0].mutable_data<float>();
  for (int64_t i = 0; i < ctx.inputs[0].num_elements(); ++i) y[i] = 2 * x[i] + 0.5f;
  return absl::OkStatus();
}

const OpDef& kPure = OpBuilder("test_twice_and_a_half")
                         .Inputs({"x"})
                         .Outputs({"y"})
                         .Infer(SameAsInput)
                         .NotDifferentiable()
                         .Doc("test op")
                         .Build();
const OpDef& kStatefulOp = OpBuilder("test_stateful_twice_and_a_half")
                               .Inputs({"x"})
                               .Outputs({"y"})
                               .Traits(kStateful)
                               .Infer(SameAsInput)
                               .NotDifferentiable()
                               .Doc("test op with hidden state")
                               .Build();
DUET_REGISTER_KERNEL("test_twice_and_a_half", DeviceType::kCPU, {DType::kFloat32}, TwiceAndAHalf);
DUET_REGISTER_KERNEL("test_stateful_twice_and_a_half", DeviceType::kCPU, {DType::kFloat32},
                     TwiceAndAHalf);

std::string Canonicalize(const std::string& text) {
  mlir::MLIRContext ctx;
  ir::LoadDuetDialect(ctx);
  auto module = ir::ParseModule(ctx, text);
  if (!module.ok()) return std::string(module.status().message());
  mlir::PassManager pm(&ctx);
  pm.addPass(mlir::createCanonicalizerPass());
  if (mlir::failed(pm.run(**module))) return "canonicalize failed";
  return ir::PrintModule(**module);
}

TEST(RegistryFold, CanonicalizeRunsThePureOpsKernelAndKeepsTheStatefulOp) {
  (void)kPure;
  (void)kStatefulOp;
  kernel_runs = 0;
  std::string out = Canonicalize(R"(
func.func @f() -> (tensor<2xf32>, tensor<2xf32>) {
  %c = "duet.constant"() {value = dense<[1.0, 3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %a = "duet.test_twice_and_a_half"(%c) : (tensor<2xf32>) -> tensor<2xf32>
  %b = "duet.test_stateful_twice_and_a_half"(%c) : (tensor<2xf32>) -> tensor<2xf32>
  return %a, %b : tensor<2xf32>, tensor<2xf32>
})");
  EXPECT_EQ(kernel_runs, 1) << out;
  EXPECT_NE(out.find("dense<[2.500000e+00, 6.500000e+00]>"), std::string::npos) << out;
  EXPECT_EQ(out.find("duet.test_twice_and_a_half"), std::string::npos) << out;
  EXPECT_NE(out.find("duet.test_stateful_twice_and_a_half"), std::string::npos) << out;
}

}  // namespace
}  // namespace duet
