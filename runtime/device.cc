#include "runtime/device.h"

#include <cctype>

#include "absl/strings/str_cat.h"

namespace duet {
namespace {

// Debian's Abseil has its own string_view, not std's: plain helpers instead of absl::strings.
bool ConsumePrefix(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

}  // namespace

absl::StatusOr<Device> ParseDevice(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view rest = lower;
  ConsumePrefix(rest, "/");
  ConsumePrefix(rest, "device:");
  struct Prefix {
    std::string_view text;
    DeviceType type;
  };
  static constexpr Prefix kPrefixes[] = {{"cpu", DeviceType::kCPU},
                                         {"gpu", DeviceType::kGPU},
                                         {"test", DeviceType::kTest},
                                         {"null", DeviceType::kNull}};
  for (const Prefix& p : kPrefixes) {
    std::string_view tail = rest;
    if (!ConsumePrefix(tail, p.text)) continue;
    if (tail.empty()) return Device{p.type, 0};
    if (!ConsumePrefix(tail, ":") || tail.empty() || tail.size() > 6) break;
    int index = 0;
    bool digits = true;
    for (char c : tail) {
      digits = digits && std::isdigit(static_cast<unsigned char>(c));
      index = index * 10 + (c - '0');
    }
    if (!digits) break;
    return Device{p.type, index};
  }
  return absl::InvalidArgumentError(
      absl::StrCat("cannot parse device name '", std::string(name),
                   "'; expected e.g. \"/cpu:0\", \"/gpu:0\", \"/device:GPU:1\" or \"/test:0\""));
}

}  // namespace duet
