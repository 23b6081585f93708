// The CUDA backend's host-side parts, which run on every machine: the kernels' index layouts,
// the allocator's size classes, the registrations (every GPU kernel bound to an op), and the
// soft failures without a device (null, error Statuses, no abort, no output).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kernels/cuda/cuda_allocator.h"
#include "kernels/cuda/cuda_context.h"
#include "kernels/cuda/cuda_copy.h"
#include "kernels/cuda/device_probe.h"
#include "kernels/cuda/elementwise_layout.h"
#include "kernels/cuda/gpu_device.h"
#include "runtime/device_memory.h"
#include "runtime/op_registry.h"

namespace duet::cuda {
namespace {

TEST(CudaAllocatorSizes, RoundTo512ThenPowersOfTwo) {
  EXPECT_EQ(CachingAllocator::RoundSize(0), 512u);
  EXPECT_EQ(CachingAllocator::RoundSize(1), 512u);
  EXPECT_EQ(CachingAllocator::RoundSize(512), 512u);
  EXPECT_EQ(CachingAllocator::RoundSize(513), 1024u);
  EXPECT_EQ(CachingAllocator::RoundSize(size_t{1} << 20), size_t{1} << 20);
  EXPECT_EQ(CachingAllocator::RoundSize((size_t{1} << 20) + 1), size_t{1} << 21);
  EXPECT_EQ(CachingAllocator::RoundSize(size_t{3} << 20), size_t{1} << 22);
}

TEST(ElementwiseLayout, CollapsesContiguousAndBroadcastDims) {
  const Shape full{2, 3, 4};
  absl::StatusOr<StridedLayout> same = BroadcastLayout(full, {&full});
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->rank, 1);
  EXPECT_EQ(same->dims[0], 24);
  EXPECT_EQ(same->strides[0][0], 1);

  const Shape out{2, 3, 4}, a{2, 3, 4}, row{3, 1};
  absl::StatusOr<StridedLayout> l = BroadcastLayout(out, {&a, &row});
  ASSERT_TRUE(l.ok()) << l.status();
  ASSERT_EQ(l->rank, 3);  // (2, 3, 4): the row repeats along dims 0 and 2
  EXPECT_EQ(l->num_elements, 24);
  EXPECT_EQ(std::vector<int64_t>(l->strides[0], l->strides[0] + 3),
            (std::vector<int64_t>{12, 4, 1}));
  EXPECT_EQ(std::vector<int64_t>(l->strides[1], l->strides[1] + 3),
            (std::vector<int64_t>{0, 1, 0}));

  const Shape scalar{};
  absl::StatusOr<StridedLayout> s = BroadcastLayout(Shape{5, 6}, {&scalar});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->rank, 1);
  EXPECT_EQ(s->strides[0][0], 0);

  const Shape bad{4};
  EXPECT_FALSE(BroadcastLayout(Shape{2, 3}, {&bad}).ok());
}

TEST(ElementwiseLayout, RanksAboveSixCollapseOrFail) {
  const Shape ones7{2, 2, 2, 2, 2, 2, 2};
  absl::StatusOr<StridedLayout> flat = BroadcastLayout(ones7, {&ones7});
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat->rank, 1);
  const Shape alt{2, 1, 2, 1, 2, 1, 2}, alt2{1, 2, 1, 2, 1, 2, 1};
  EXPECT_FALSE(BroadcastLayout(Shape{2, 2, 2, 2, 2, 2, 2}, {&alt, &alt2}).ok());
}

TEST(ElementwiseLayout, PermuteAndView) {
  const int64_t perm[] = {3, 0, 1, 2};  // HWIO -> OHWI
  absl::StatusOr<StridedLayout> t = PermuteLayout(Shape{3, 3, 2, 4}, perm);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rank, 2);  // (O, HWI) with HWI contiguous in steps of O
  EXPECT_EQ(t->dims[0], 4);
  EXPECT_EQ(t->dims[1], 18);
  EXPECT_EQ(t->strides[0][0], 1);
  EXPECT_EQ(t->strides[0][1], 4);
  const int64_t dims[] = {2, 3}, strides[] = {10, 1};
  absl::StatusOr<StridedLayout> v = ViewLayout(dims, strides);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->rank, 2);
}

TEST(ReduceLayout, SplitsKeptAndReducedDims) {
  absl::StatusOr<ReduceLayout> l =
      MakeReduceLayout(Shape{3, 4, 1, 5, 6}, {false, true, true, true, false});
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->count, 20);
  EXPECT_EQ(l->num_outputs, 18);
  ASSERT_EQ(l->kept_rank, 2);
  ASSERT_EQ(l->reduced_rank, 1);
  EXPECT_EQ(l->kept_strides[0], 120);
  EXPECT_EQ(l->kept_strides[1], 1);
  EXPECT_EQ(l->reduced_dims[0], 20);
  EXPECT_EQ(l->reduced_strides[0], 6);
  absl::StatusOr<ReduceLayout> all = MakeReduceLayout(Shape{2, 3}, {true, true});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->kept_rank, 0);
  EXPECT_EQ(all->num_outputs, 1);
  EXPECT_EQ(all->count, 6);
}

TEST(GpuKernels, EveryRegisteredOpHasItsGpuKernel) {
  struct Want {
    const char* op;
    DType dtype;
  };
  const std::vector<Want> wants = {
      {"add", DType::kFloat32},
      {"add", DType::kInt64},
      {"floor_mod", DType::kInt32},
      {"pow", DType::kFloat64},
      {"relu_grad", DType::kFloat32},
      {"neg", DType::kInt32},
      {"exp", DType::kFloat32},
      {"sigmoid", DType::kFloat64},
      {"floor", DType::kFloat32},
      {"logical_not", DType::kBool},
      {"equal", DType::kBool},
      {"greater_equal", DType::kFloat32},
      {"logical_and", DType::kBool},
      {"where", DType::kInt64},
      {"cast", DType::kFloat16},
      {"identity", DType::kBool},
      {"reshape", DType::kFloat32},
      {"transpose", DType::kInt32},
      {"broadcast_to", DType::kFloat32},
      {"reduce_sum", DType::kInt32},
      {"reduce_mean", DType::kFloat32},
      {"reduce_max", DType::kFloat64},
      {"reduce_min", DType::kInt64},
      {"argmax", DType::kFloat32},
      {"matmul", DType::kFloat32},
      {"matmul", DType::kFloat64},
      {"conv2d", DType::kFloat32},
      {"conv2d_backprop_input", DType::kFloat32},
      {"conv2d_backprop_filter", DType::kFloat32},
      {"max_pool2d", DType::kFloat32},
      {"avg_pool2d", DType::kFloat64},
      {"max_pool2d_grad", DType::kFloat32},
      {"max_pool2d_grad_grad", DType::kFloat32},
      {"avg_pool2d_grad", DType::kFloat32},
      {"softmax", DType::kFloat32},
      {"log_softmax", DType::kFloat64},
  };
  for (const Want& w : wants) {
    const OpDef* op = OpRegistry::Get().Find(w.op);
    ASSERT_NE(op, nullptr) << w.op;
    EXPECT_NE(op->kernel(DeviceType::kGPU, w.dtype), nullptr)
        << w.op << " has no GPU kernel for " << DTypeName(w.dtype);
  }
  EXPECT_EQ(OpRegistry::Get().Find("conv2d")->kernel(DeviceType::kGPU, DType::kFloat64), nullptr);
  EXPECT_TRUE(OpRegistry::Get().UnboundKernelOps().empty())
      << "a kernel names an op that does not exist: " << OpRegistry::Get().UnboundKernelOps()[0];
}

TEST(NoDevice, EverythingFailsSoftly) {
  if (num_gpus() > 0) GTEST_SKIP() << "a CUDA device is present";
  EXPECT_EQ(FindDeviceMemory(DeviceType::kGPU), &GpuMemory());
  EXPECT_EQ(GpuMemory().count(), 0);
  EXPECT_EQ(NumDevices(DeviceType::kGPU), 0);
  EXPECT_EQ(GpuMemory().Allocate(0, 16), nullptr);
  GpuMemory().Free(0, nullptr, 0);
  EXPECT_EQ(GpuMemory().stats(0).num_allocs, 0);
  char buf[4] = {};
  absl::Status s = GpuMemory().CopyFromHost(0, buf, buf, 4);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("/gpu:0 does not exist"), std::string::npos) << s;
  EXPECT_FALSE(GpuMemory().CopyToHost(0, buf, buf, 4).ok());
  EXPECT_FALSE(GpuMemory().CopyBetween(0, buf, 0, buf, 4).ok());
  EXPECT_EQ(CurrentStream(0), nullptr);
  EXPECT_FALSE(StreamFor(0).ok());
  EXPECT_FALSE(CublasHandle(0).ok());
  EXPECT_FALSE(CudnnHandle(0).ok());
  EXPECT_EQ(CachingAllocator::Get().Allocate(0, 1), nullptr);
  EXPECT_EQ(CachingAllocator::Get().ReleaseCache(0), 0u);
  ScratchBuffer scratch(0, 64);
  EXPECT_FALSE(scratch.ok());
  absl::StatusOr<Tensor> t = Tensor::TryEmpty({Shape{2}, DType::kFloat32}, {DeviceType::kGPU, 0});
  EXPECT_FALSE(t.ok());
}

}  // namespace
}  // namespace duet::cuda
