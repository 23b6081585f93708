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
  EXPECT_GE(NullKernelCalls() - before, 5) << "matmul, add, relu, reduce_sum, softmax";
}

TEST(NullBackend, RunsEagerOpsOnNullTensors) {
  const Device null{DeviceType::kNull, 0};
  const int64_t before = NullKernelCalls();
  Tensor y = matmul(Tensor::Empty(kX, null), Tensor::Empty(kW, null));
  EXPECT_EQ(y.spec(), TensorSpec(Shape{2, 4}, DType::kFloat32));
  EXPECT_EQ(y.device(), null);
  EXPECT_EQ(NullKernelCalls() - before, 1);
}

TEST(Backends, MissingKernelIsUnimplementedNamingOpDeviceAndDType) {
  const Device gpu{DeviceType::kGPU, 0};  // no op has GPU kernels registered yet
  const OpDef& add = *OpRegistry::Get().Find("add");
  absl::StatusOr<TensorList> out =
      Dispatch(add, {Tensor::Empty(kX, gpu), Tensor::Empty(kX, gpu)}, {}, Loc::current());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(out.status().message(), "[add] has no GPU kernel for float32 (device /gpu:0)");

  graph::Trace trace = SmallModel();
  absl::StatusOr<compiler::Executable> exe =
      compiler::Compile(trace, {.name = "gpu_path", .device = DeviceType::kGPU});
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(exe.status().message().find("] has no GPU kernel for float32 (compiling for /gpu:0)"),
            std::string::npos)
      << exe.status();
}

TEST(Backends, EveryRegisteredKernelFoundItsOp) {
  EXPECT_TRUE(OpRegistry::Get().UnboundKernelOps().empty())
      << "kernels registered for unknown ops, e.g. " << OpRegistry::Get().UnboundKernelOps()[0];
}

}  // namespace
}  // namespace duet
