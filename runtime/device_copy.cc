#include "runtime/device_copy.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "runtime/device_memory.h"
#include "runtime/status_macros.h"

namespace duet {

absl::Status CheckDevicePresent(Device device) {
  int n = NumDevices(device.type);
  if (device.index >= 0 && device.index < n) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("device ", device.to_string(), " is not present: this process sees ", n, " ",
                   DeviceTypeName(device.type), " device", n == 1 ? "" : "s",
                   device.type == DeviceType::kGPU ? " (no CUDA device or driver)" : ""));
}

absl::StatusOr<Tensor> HostReadable(const Tensor& t) {
  RETURN_IF_ERROR(t.await_ready());
  if (IsHostMemory(t.device().type)) return t;
  return CopyTensorTo(t, kCPU0);
}

absl::StatusOr<Tensor> CopyTensorTo(const Tensor& t, Device device) {
  if (t.device() == device) return t;
  RETURN_IF_ERROR(CheckDevicePresent(device));
  RETURN_IF_ERROR(t.await_ready());
  ASSIGN_OR_RETURN(Tensor out, Tensor::TryEmpty(t.spec(), device));
  const size_t bytes = t.num_bytes();
  if (bytes == 0) return out;
  const Device from = t.device();
  const void* src = t.raw_data();
  void* dst = out.mutable_raw_data();
  if (IsHostMemory(from.type) && IsHostMemory(device.type)) {
    std::memcpy(dst, src, bytes);
  } else if (IsHostMemory(from.type)) {
    RETURN_IF_ERROR(FindDeviceMemory(device.type)->CopyFromHost(device.index, dst, src, bytes));
  } else if (IsHostMemory(device.type)) {
    RETURN_IF_ERROR(FindDeviceMemory(from.type)->CopyToHost(from.index, dst, src, bytes));
  } else if (from.type == device.type) {
    RETURN_IF_ERROR(
        FindDeviceMemory(from.type)->CopyBetween(device.index, dst, from.index, src, bytes));
  } else {  // two kinds of device: through the host
    ASSIGN_OR_RETURN(Tensor staged, CopyTensorTo(t, kCPU0));
    return CopyTensorTo(staged, device);
  }
  return out;
}

}  // namespace duet
