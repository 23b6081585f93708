// Device: where a tensor's buffer lives. Prints as TensorFlow names devices ("/cpu:0", "/gpu:0").
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace duet {

// kNull: the null backend (kernels/null), whose kernels only allocate outputs, so tests can run
// the whole compile path without hardware. kTest: the test device (kernels/test_device), which
// behaves like a GPU (its own memory space and allocator, explicit copies, a kernel subset) but
// runs on the CPU, so placement, copies and policies are tested on every machine.
enum class DeviceType : uint8_t { kCPU, kGPU, kNull, kTest };
inline constexpr int kNumDeviceTypes = 4;

// How messages name a backend: "CPU", "GPU", "null".
inline const char* DeviceTypeName(DeviceType type) {
  switch (type) {
    case DeviceType::kCPU:
      return "CPU";
    case DeviceType::kGPU:
      return "GPU";
    case DeviceType::kNull:
      return "null";
    case DeviceType::kTest:
      return "test";
  }
  return "?";
}

struct Device {
  DeviceType type = DeviceType::kCPU;
  int index = 0;

  std::string to_string() const {
    const char* prefix = type == DeviceType::kCPU    ? "/cpu:"
                         : type == DeviceType::kGPU  ? "/gpu:"
                         : type == DeviceType::kTest ? "/test:"
                                                     : "/null:";
    return prefix + std::to_string(index);
  }
  operator std::string() const { return to_string(); }  // NOLINT: `std::string d = x.device();`
  friend bool operator==(const Device&, const Device&) = default;
  friend bool operator==(const Device& d, const char* name) { return d.to_string() == name; }
  friend std::ostream& operator<<(std::ostream& os, const Device& d) { return os << d.to_string(); }
};

inline constexpr Device kCPU0{DeviceType::kCPU, 0};

// Parses a device name as TensorFlow spells them: "/cpu:0", "/gpu:1", "/device:GPU:0", "GPU:0",
// "gpu" (index 0), and "/test:0" for the test device; case-insensitive. Whether the device is
// present is not checked here (NumDevices, runtime/device_memory.h).
absl::StatusOr<Device> ParseDevice(std::string_view name);

}  // namespace duet
