// Device: where a tensor's buffer lives. Prints as TensorFlow names devices ("/cpu:0", "/gpu:0").
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace duet {

// kNull: the null backend (kernels/null), whose kernels only allocate outputs, so tests can run
// the whole compile path without hardware.
enum class DeviceType : uint8_t { kCPU, kGPU, kNull };
inline constexpr int kNumDeviceTypes = 3;

// How messages name a backend: "CPU", "GPU", "null".
inline const char* DeviceTypeName(DeviceType type) {
  switch (type) {
    case DeviceType::kCPU:
      return "CPU";
    case DeviceType::kGPU:
      return "GPU";
    case DeviceType::kNull:
      return "null";
  }
  return "?";
}

struct Device {
  DeviceType type = DeviceType::kCPU;
  int index = 0;

  std::string to_string() const {
    const char* prefix = type == DeviceType::kCPU   ? "/cpu:"
                         : type == DeviceType::kGPU ? "/gpu:"
                                                    : "/null:";
    return prefix + std::to_string(index);
  }
  operator std::string() const { return to_string(); }  // NOLINT: `std::string d = x.device();`
  friend bool operator==(const Device&, const Device&) = default;
  friend bool operator==(const Device& d, const char* name) { return d.to_string() == name; }
  friend std::ostream& operator<<(std::ostream& os, const Device& d) { return os << d.to_string(); }
};

inline constexpr Device kCPU0{DeviceType::kCPU, 0};

}  // namespace duet
