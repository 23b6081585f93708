// Copying a tensor's bytes between memory spaces: host <-> a device's memory (through its
// DeviceMemory), or between two devices. What the copy_to_device op's kernel, placement's
// implicit copies, and host reads of device tensors (to_vector, printing) use.
// Example: ASSIGN_OR_RETURN(Tensor on_host, CopyTensorTo(t, kCPU0));
#pragma once

#include "absl/status/statusor.h"
#include "runtime/tensor.h"

namespace duet {

// `t` itself when it already is on `device`; otherwise a fresh tensor there with the same
// values. Fails naming the device when it is not present ("/gpu:0: this process sees 0 GPU
// devices"). Waits for a pending `t`.
absl::StatusOr<Tensor> CopyTensorTo(const Tensor& t, Device device);

// `t` as the host can read it: waits for a pending `t` (its kernel's error, if it failed), and
// copies a device tensor to the CPU. Readers (to_vector, printing, save_npy) go through this.
absl::StatusOr<Tensor> HostReadable(const Tensor& t);

// Whether `device` exists in this process (a backend is linked and has that index).
absl::Status CheckDevicePresent(Device device);

}  // namespace duet
