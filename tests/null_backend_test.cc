// Kernels per backend: the null backend (allocate-only kernels for every op) runs the whole
// compile path without hardware (trace -> compile -> graph executor), eagerly too; and a
// missing kernel is an Unimplemented error naming the op, the device and the dtype.
#include "kernels/null/null_backend.h"
#include "absl/status/status.h"
#include "api/duet.h"
#include "compiler/compile.h"
#include "graph/tracer.h"
#include "gtest/gtest.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

const TensorSpec kX(Shape{2, 3}, DType::kFloat32), kW(Shape{3, 4}, DType::kFloat32);

graph::Trace SmallModel() {
  graph::Trace trace;
  graph::TraceScope scope(&trace);
  Tensor x = scope.Parameter(kX), w = scope.Parameter(kW);
  Tensor y = relu(matmul(x, w) + 1.f);
  EXPECT_TRUE(scope.Return({reduce_sum(y, {1}), softmax(y)}).ok());
  return trace;
}

TEST(NullBackend, HasAKernelForEveryOpAndDType) {
  for (const OpDef* op : OpRegistry::Get().ops())
    for (int d = 0; d < kNumDTypes; ++d)
      EXPECT_NE(op->kernel(DeviceType::kNull, static_cast<DType>(d)), nullptr) << op->name;
}

TEST(NullBackend, RunsTheWholeCompilePath) {
  graph::Trace trace = SmallModel();
  absl::StatusOr<compiler::Executable> exe =
      compiler::Compile(trace, {.name = "null_path", .device = DeviceType::kNull});
  ASSERT_TRUE(exe.ok()) << exe.status();
  const int64_t before = NullKernelCalls();
  absl::StatusOr<std::vector<Tensor>> out =
      graph::RunProgram(*exe->program, {}, {Tensor::Empty(kX), Tensor::Empty(kW)});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].spec(), TensorSpec(Shape{2}, DType::kFloat32));
  EXPECT_EQ((*out)[1].spec(), TensorSpec(Shape{2, 4}, DType::kFloat32));
  // matmul + add + relu are one fused_matmul (fuse-epilogue), then reduce_sum and softmax.
  EXPECT_GE(NullKernelCalls() - before, 3) << "fused_matmul, reduce_sum, softmax";
}

TEST(NullBackend, RunsEagerOpsOnNullTensors) {
  const Device null{DeviceType::kNull, 0};
  const int64_t before = NullKernelCalls();
  Tensor y = matmul(Tensor::Empty(kX, null), Tensor::Empty(kW, null));
  EXPECT_EQ(y.spec(), TensorSpec(Shape{2, 4}, DType::kFloat32));
  EXPECT_EQ(y.device(), null);
  EXPECT_EQ(NullKernelCalls() - before, 1);
}

// The test device (kernels/test_device) has kernels for a subset of ops; log_softmax is not
// among them.
TEST(Backends, MissingKernelIsUnimplementedNamingOpDeviceAndDType) {
  const Device test{DeviceType::kTest, 0};
  const OpDef& log_softmax_def = *OpRegistry::Get().Find("log_softmax");
  absl::StatusOr<TensorList> out =
      Dispatch(log_softmax_def, {Tensor::Empty(kX, test)},
               MakeAttrs(log_softmax_def, {{"axis", int64_t{-1}}}), Loc::current());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(out.status().message(),
            "[log_softmax] has no test kernel for float32 (device /test:0)");

  graph::Trace trace;
  {
    graph::TraceScope scope(&trace);
    Tensor x = scope.Parameter(kX);
    EXPECT_TRUE(scope.Return({duet::log_softmax(relu(x))}).ok());
  }
  absl::StatusOr<compiler::Executable> exe =
      compiler::Compile(trace, {.name = "test_path", .device = DeviceType::kTest});
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(exe.status().message().find("] has no test kernel for float32 (compiling for /test:0)"),
            std::string::npos)
      << exe.status();
}

TEST(Backends, EveryRegisteredKernelFoundItsOp) {
  EXPECT_TRUE(OpRegistry::Get().UnboundKernelOps().empty())
      << "kernels registered for unknown ops, e.g. " << OpRegistry::Get().UnboundKernelOps()[0];
}

}  // namespace
}  // namespace duet
