#include "kernels/test_device/test_device.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>

#include "absl/strings/str_cat.h"
#include "runtime/device_memory.h"
#include "runtime/op_registry.h"

namespace duet::test_device {
namespace {

std::atomic<int64_t> g_to_device{0}, g_to_host{0}, g_between{0};

// Its own heap: aligned blocks from the C library, counted per device, and every pointer
// remembered so a free of a foreign pointer (a host buffer, the other device's) aborts loudly.
class TestDeviceMemory final : public DeviceMemory {
 public:
  int count() const override { return kNumTestDevices; }

  void* Allocate(int index, size_t bytes) override {
    size_t rounded = ((bytes == 0 ? 1 : bytes) + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, rounded);
    if (!p) return nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    PerDevice& d = devices_[index];
    d.live.insert(p);
    // Counted as tensors free it: a 0-byte tensor holds (and frees) a 1-byte block.
    d.stats.bytes_in_use += static_cast<int64_t>(bytes == 0 ? 1 : bytes);
    d.stats.peak_bytes = std::max(d.stats.peak_bytes, d.stats.bytes_in_use);
    ++d.stats.num_allocs;
    return p;
  }

  void Free(int index, void* ptr, size_t bytes) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      PerDevice& d = devices_[index];
      if (d.live.erase(ptr) != 1) {
        std::fprintf(stderr, "duet: test device %d freed a pointer it never allocated\n", index);
        std::abort();
      }
      d.stats.bytes_in_use -= static_cast<int64_t>(bytes);
      ++d.stats.num_frees;
    }
    std::free(ptr);
  }

  absl::Status CopyFromHost(int index, void* dst, const void* src, size_t bytes) override {
    if (absl::Status s = CheckOwned(index, dst, "copy to"); !s.ok()) return s;
    std::memcpy(dst, src, bytes);
    g_to_device.fetch_add(1, std::memory_order_relaxed);
    return absl::OkStatus();
  }
  absl::Status CopyToHost(int index, void* dst, const void* src, size_t bytes) override {
    if (absl::Status s = CheckOwned(index, src, "copy from"); !s.ok()) return s;
    std::memcpy(dst, src, bytes);
    g_to_host.fetch_add(1, std::memory_order_relaxed);
    return absl::OkStatus();
  }
  absl::Status CopyBetween(int dst_index, void* dst, int src_index, const void* src,
                           size_t bytes) override {
    if (absl::Status s = CheckOwned(dst_index, dst, "copy to"); !s.ok()) return s;
    if (absl::Status s = CheckOwned(src_index, src, "copy from"); !s.ok()) return s;
    std::memcpy(dst, src, bytes);
    g_between.fetch_add(1, std::memory_order_relaxed);
    return absl::OkStatus();
  }

  DeviceMemoryStats stats(int index) const override {
    std::lock_guard<std::mutex> lock(mu_);
    return devices_[index].stats;
  }

  bool Owns(int index, const void* ptr) const {
    std::lock_guard<std::mutex> lock(mu_);
    return devices_[index].live.count(const_cast<void*>(ptr)) != 0;
  }

 private:
  // Copies name a buffer by its start; views share it, so the start is what was allocated.
  absl::Status CheckOwned(int index, const void* p, const char* what) const {
    if (Owns(index, p)) return absl::OkStatus();
    return absl::InternalError(
        absl::StrCat("test device ", index, ": ", what, " a buffer that is not its memory"));
  }
  struct PerDevice {
    std::set<void*> live;
    DeviceMemoryStats stats;
  };
  mutable std::mutex mu_;
  PerDevice devices_[kNumTestDevices];
};

TestDeviceMemory& Memory() {
  static auto* memory = new TestDeviceMemory();  // outlives every tensor, even static ones
  return *memory;
}

// The kernel subset: the CPU kernel, run on test-device buffers (host-addressable, so the CPU
// code can touch them; placement guarantees every input and output is on this device).
absl::Status RunCpuKernel(KernelContext& ctx) {
  const OpDef& op = ctx.op;
  int from = op.kernel_dtype_input;
  DType dtype = from >= 0 && from < static_cast<int>(ctx.inputs.size()) ? ctx.inputs[from].dtype()
                                                                        : ctx.output_specs[0].dtype;
  KernelFn cpu = op.kernel(DeviceType::kCPU, dtype);
  if (!cpu)
    return absl::UnimplementedError(
        absl::StrCat("[", op.name, "] has no test kernel for ", DTypeName(dtype)));
  return cpu(ctx);
}

const bool kRegistered = (RegisterDeviceMemory(DeviceType::kTest, &Memory()), true);

// Ops whose CPU kernels write only into the outputs the executor allocated, or return views of
// their inputs (which stay on the device). Not here, on purpose: conv2d, pools, cast, gather,
// random ops: tests use them as "no kernel on this device".
constexpr DTypeSet kTestDTypes =
    DTypeSet{DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64, DType::kBool};
#define DUET_TEST_KERNEL(name) \
  DUET_REGISTER_KERNEL(name, DeviceType::kTest, kTestDTypes, RunCpuKernel)
DUET_TEST_KERNEL("add");
DUET_TEST_KERNEL("sub");
DUET_TEST_KERNEL("mul");
DUET_TEST_KERNEL("div");
DUET_TEST_KERNEL("maximum");
DUET_TEST_KERNEL("minimum");
DUET_TEST_KERNEL("pow");
DUET_TEST_KERNEL("neg");
DUET_TEST_KERNEL("abs");
DUET_TEST_KERNEL("square");
DUET_TEST_KERNEL("sqrt");
DUET_TEST_KERNEL("exp");
DUET_TEST_KERNEL("log");
DUET_TEST_KERNEL("tanh");
DUET_TEST_KERNEL("sigmoid");
DUET_TEST_KERNEL("relu");
DUET_TEST_KERNEL("relu_grad");
DUET_TEST_KERNEL("equal");
DUET_TEST_KERNEL("less");
DUET_TEST_KERNEL("greater");
DUET_TEST_KERNEL("where");
DUET_TEST_KERNEL("matmul");
DUET_TEST_KERNEL("reduce_sum");
DUET_TEST_KERNEL("reduce_mean");
DUET_TEST_KERNEL("reduce_max");
DUET_TEST_KERNEL("softmax");
DUET_TEST_KERNEL("broadcast_to");
DUET_TEST_KERNEL("reshape");
DUET_TEST_KERNEL("expand_dims");
DUET_TEST_KERNEL("squeeze");
DUET_TEST_KERNEL("identity");
DUET_TEST_KERNEL("transpose");
DUET_TEST_KERNEL("print");

}  // namespace

CopyCounts Copies() { return {g_to_device.load(), g_to_host.load(), g_between.load()}; }

bool Owns(int index, const void* ptr) { return Memory().Owns(index, ptr); }

}  // namespace duet::test_device
