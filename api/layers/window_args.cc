#include "api/layers/window_args.h"

#include <cctype>

#include "absl/strings/str_cat.h"

namespace duet::layers {

std::string NormalizePadding(std::string padding) {
  std::string upper;
  for (char c : padding) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == "SAME" || upper == "VALID" ? upper : padding;
}

absl::Status CheckWindowArgs(const std::string& layer, std::array<int, 2> window,
                             std::array<int, 2> strides, const std::string& padding) {
  if (window[0] <= 0 || window[1] <= 0)
    return absl::InvalidArgumentError(absl::StrCat(
        "[", layer, "] window size must be positive, got (", window[0], ", ", window[1], ")"));
  if (strides[0] <= 0 || strides[1] <= 0)
    return absl::InvalidArgumentError(absl::StrCat("[", layer, "] strides must be positive, got (",
                                                   strides[0], ", ", strides[1], ")"));
  if (padding != "SAME" && padding != "VALID")
    return absl::InvalidArgumentError(
        absl::StrCat("[", layer, "] padding must be \"SAME\" or \"VALID\", got \"", padding, "\""));
  return absl::OkStatus();
}

}  // namespace duet::layers
