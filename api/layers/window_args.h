// Checks shared by the windowed layers (Conv2D, MaxPool2D, AveragePooling2D) at construction,
// so a bad kernel size, stride or padding fails where the layer is written, not at first call.
// Example: ThrowIfError(CheckWindowArgs("conv2d", {3, 3}, {1, 1}, "SAME"), loc);
#pragma once

#include <array>
#include <string>

#include "absl/status/status.h"

namespace duet::layers {

// "same"/"valid" in any case -> "SAME"/"VALID" (anything else is returned unchanged).
std::string NormalizePadding(std::string padding);
// Window sizes and strides positive, padding "SAME" or "VALID".
absl::Status CheckWindowArgs(const std::string& layer, std::array<int, 2> window,
                             std::array<int, 2> strides, const std::string& padding);

}  // namespace duet::layers
