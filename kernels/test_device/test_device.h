// The test device (DeviceType::kTest, "/test:0" and "/test:1"): a stand-in for a GPU that runs
// on the CPU. Its memory comes from its own allocator (not the host's caches), tensors reach it
// only by explicit copies (x.to("/test:0"), placement under a DevicePolicy), and it has kernels
// for a subset of ops (elementwise math, matmul, reductions, softmax, views), so tests of
// placement, copies, policies and memory release run on every machine. Link
// //kernels/test_device into a test to get it; production binaries do not.
// Example: Tensor y = matmul(x.to("/test:0"), w.to("/test:0"));  // runs "on" /test:0
#pragma once

#include <cstdint>

namespace duet::test_device {

inline constexpr int kNumTestDevices = 2;

// Host<->device and device<->device copies made so far (what "explicit copies" tests count).
struct CopyCounts {
  int64_t to_device = 0;
  int64_t to_host = 0;
  int64_t between = 0;
};
CopyCounts Copies();

// Whether `ptr` is a live allocation of test device `index` (tests check where bytes live).
bool Owns(int index, const void* ptr);

}  // namespace duet::test_device
