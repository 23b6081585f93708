// Device: where a tensor's buffer lives. Prints as TensorFlow names devices ("/cpu:0", "/gpu:0").
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace duet {

enum class DeviceType : uint8_t { kCPU, kGPU };
inline constexpr int kNumDeviceTypes = 2;

struct Device {
  DeviceType type = DeviceType::kCPU;
  int index = 0;

  std::string to_string() const {
    return (type == DeviceType::kCPU ? "/cpu:" : "/gpu:") + std::to_string(index);
  }
  operator std::string() const { return to_string(); }  // NOLINT: `std::string d = x.device();`
  friend bool operator==(const Device&, const Device&) = default;
  friend bool operator==(const Device& d, const char* name) { return d.to_string() == name; }
  friend std::ostream& operator<<(std::ostream& os, const Device& d) { return os << d.to_string(); }
};

inline constexpr Device kCPU0{DeviceType::kCPU, 0};

}  // namespace duet
