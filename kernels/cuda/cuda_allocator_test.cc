// The caching allocator (reuse without cudaMalloc, counters back to zero, cache release,
// streams retired with their threads), the registered GPU DeviceMemory, and copy round trips.
#include <cstdint>
#include <cstring>
#include <numeric>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "kernels/cuda/backend_test_util.h"
#include "kernels/cuda/cuda_allocator.h"
#include "kernels/cuda/cuda_context.h"
#include "kernels/cuda/cuda_copy.h"
#include "kernels/cuda/gpu_device.h"
#include "runtime/device_memory.h"

namespace duet::cuda::test {
namespace {

CachingAllocator& A() { return CachingAllocator::Get(); }

TEST(CudaAllocator, ReusesAFreedBlockWithoutCudaMalloc) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  A().ReleaseCache(0);  // earlier tests may have left blocks of these sizes
  void* p = A().Allocate(0, 1000);
  ASSERT_NE(p, nullptr);
  A().Free(0, p);
  const AllocatorStats before = A().stats(0);
  void* q = A().Allocate(0, 900);  // rounds to the same 1024-byte bin, same stream
  ASSERT_NE(q, nullptr);
  const AllocatorStats after = A().stats(0);
  EXPECT_EQ(q, p);
  EXPECT_EQ(after.num_device_mallocs, before.num_device_mallocs);
  EXPECT_EQ(after.num_cache_hits, before.num_cache_hits + 1);
  EXPECT_EQ(after.num_allocs, before.num_allocs + 1);
  EXPECT_EQ(after.bytes_cached, before.bytes_cached - 1024);
  A().Free(0, q);
  void* other = A().Allocate(0, 5000);  // another bin: a new block
  ASSERT_NE(other, nullptr);
  EXPECT_NE(other, p);
  EXPECT_EQ(A().stats(0).num_device_mallocs, before.num_device_mallocs + 1);
  A().Free(0, other);
}

TEST(CudaAllocator, CountersReturnToZero) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const AllocatorStats base = A().stats(0);
  const std::vector<size_t> sizes = {0, 1, 511, 512, 513, 100000, (size_t{1} << 20) + 1};
  std::vector<void*> ptrs;
  for (size_t s : sizes) ptrs.push_back(A().Allocate(0, s));
  for (void* p : ptrs) ASSERT_NE(p, nullptr);
  for (size_t i = 0; i < ptrs.size(); ++i)
    for (size_t j = i + 1; j < ptrs.size(); ++j) EXPECT_NE(ptrs[i], ptrs[j]);  // 0 bytes too
  const int64_t requested =
      static_cast<int64_t>(std::accumulate(sizes.begin(), sizes.end(), size_t{0}));
  AllocatorStats mid = A().stats(0);
  EXPECT_EQ(mid.bytes_in_use, base.bytes_in_use + requested);
  EXPECT_GE(mid.peak_bytes, mid.bytes_in_use);
  EXPECT_EQ(mid.num_allocs, base.num_allocs + static_cast<int64_t>(sizes.size()));
  for (void* p : ptrs) A().Free(0, p);
  A().Free(0, nullptr);  // ignored
  const AllocatorStats end = A().stats(0);
  EXPECT_EQ(end.bytes_in_use, base.bytes_in_use);
  EXPECT_EQ(end.num_frees - base.num_frees, end.num_allocs - base.num_allocs);
  EXPECT_GT(end.bytes_cached, 0);
  EXPECT_GT(A().ReleaseCache(0), 0u);
  EXPECT_EQ(A().stats(0).bytes_cached, 0);
}

TEST(CudaAllocator, StreamsAreRetiredWithTheirThreads) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  cudaStream_t mine = CurrentStream(0);  // made before the other thread's (distinct addresses)
  A().ReleaseCache(0);
  const AllocatorStats before = A().stats(0);
  cudaStream_t theirs = nullptr;
  std::thread t([&] {
    theirs = CurrentStream(0);
    A().Free(0, A().Allocate(0, 4096));  // cached on that thread's stream
  });
  t.join();
  EXPECT_NE(theirs, mine);
  EXPECT_NE(theirs, nullptr);
  const AllocatorStats after = A().stats(0);
  EXPECT_EQ(after.num_device_mallocs, before.num_device_mallocs + 1);
  EXPECT_EQ(after.num_device_frees, before.num_device_frees + 1);  // released at thread exit
  EXPECT_EQ(after.bytes_cached, 0);
}

TEST(CudaAllocator, ScratchBuffersGoBackToTheCache) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const AllocatorStats before = A().stats(0);
  {
    ScratchBuffer s(0, 3000);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(A().stats(0).bytes_in_use, before.bytes_in_use + 3000);
    ScratchBuffer none(0, 0);
    EXPECT_TRUE(none.ok());
    EXPECT_EQ(none.get(), nullptr);
  }
  EXPECT_EQ(A().stats(0).bytes_in_use, before.bytes_in_use);
}

TEST(GpuDeviceMemory, IsRegisteredAndCountsTensors) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  EXPECT_EQ(FindDeviceMemory(DeviceType::kGPU), &GpuMemory());
  EXPECT_EQ(GpuMemory().count(), num_gpus());
  const DeviceMemoryStats before = GpuMemory().stats(0);
  {
    ASSERT_OK_AND_ASSIGN(Tensor t, Tensor::TryEmpty({Shape{10, 10}, DType::kFloat32}, kGpu0));
    EXPECT_EQ(GpuMemory().stats(0).bytes_in_use, before.bytes_in_use + 400);
    EXPECT_EQ(GpuMemory().stats(0).num_allocs, before.num_allocs + 1);
  }
  EXPECT_EQ(GpuMemory().stats(0).bytes_in_use, before.bytes_in_use);
  EXPECT_EQ(GpuMemory().stats(0).num_frees, before.num_frees + 1);
  void* zero = GpuMemory().Allocate(0, 0);
  EXPECT_NE(zero, nullptr);
  GpuMemory().Free(0, zero, 1);
}

TEST(CudaCopy, RoundTripsHostDeviceHost) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  for (size_t bytes : {size_t{1}, size_t{7}, size_t{4096}, size_t{1000003}}) {
    std::vector<uint8_t> src(bytes), back(bytes, 0);
    for (size_t i = 0; i < bytes; ++i) src[i] = static_cast<uint8_t>(i * 131 + 7);
    void* a = A().Allocate(0, bytes);
    void* b = A().Allocate(0, bytes);
    ASSERT_TRUE(a && b);
    ASSERT_TRUE(CopyHostToDevice(0, a, src.data(), bytes).ok());
    ASSERT_TRUE(CopyDeviceToDevice(0, b, 0, a, bytes).ok());
    ASSERT_TRUE(GpuMemory().CopyToHost(0, back.data(), b, bytes).ok());
    EXPECT_EQ(src, back) << bytes << " bytes";
    std::fill(back.begin(), back.end(), 0);
    ASSERT_TRUE(GpuMemory().CopyFromHost(0, a, src.data(), bytes).ok());
    ASSERT_TRUE(GpuMemory().CopyBetween(0, b, 0, a, bytes).ok());
    ASSERT_TRUE(CopyDeviceToHost(0, back.data(), b, bytes).ok());
    EXPECT_EQ(src, back) << bytes << " bytes through DeviceMemory";
    A().Free(0, a);
    A().Free(0, b);
  }
  EXPECT_TRUE(CopyHostToDevice(0, nullptr, nullptr, 0).ok());
  absl::Status bad = CopyHostToDevice(num_gpus(), nullptr, nullptr, 4);
  EXPECT_FALSE(bad.ok());
}

TEST(CudaCopy, BetweenTwoDevices) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  if (num_gpus() < 2) GTEST_SKIP() << "needs two CUDA devices";
  std::vector<float> src(1000), back(1000, 0.f);
  std::iota(src.begin(), src.end(), 0.f);
  void* a = A().Allocate(0, 4000);
  void* b = A().Allocate(1, 4000);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(CopyHostToDevice(0, a, src.data(), 4000).ok());
  ASSERT_TRUE(CopyDeviceToDevice(1, b, 0, a, 4000).ok());
  ASSERT_TRUE(CopyDeviceToHost(1, back.data(), b, 4000).ok());
  EXPECT_EQ(src, back);
  A().Free(0, a);
  A().Free(1, b);
}

}  // namespace
}  // namespace duet::cuda::test
