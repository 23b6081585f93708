// Per-thread CUDA state: one non-blocking stream per device per thread (created on first
// use, never shared, so threads do not serialize on each other's work), and cuBLAS / cuDNN
// handles per device per thread, bound to that stream. A thread's resources are released
// when it exits (the stream is synchronized first; see CachingAllocator::RetireStream).
// Also the helpers every host-compiled CUDA file needs: device checks, a scoped
// cudaSetDevice, and error names. No CUDA header: handles are forward-declared.
// Example:
//   RETURN_IF_ERROR(CheckDevice(d));
//   DeviceGuard guard(d);
//   cudaStream_t s = CurrentStream(d);          // launch on s, then SynchronizeStream(s, "...")
//   ASSIGN_OR_RETURN(cublasHandle_t h, CublasHandle(d));
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kernels/cuda/cuda_handles.h"

namespace duet::cuda {

// OK when `device` is a visible CUDA device; otherwise "/gpu:N does not exist: this process
// sees K CUDA device(s)". Makes no CUDA call when there are none.
absl::Status CheckDevice(int device);
bool IsDevice(int device);  // the same, as a bool

// Makes `device` current for the guard's lifetime (restores the previous one). A no-op when it
// already is current; ok() is false when cudaSetDevice failed.
class DeviceGuard {
 public:
  explicit DeviceGuard(int device);
  ~DeviceGuard();
  DeviceGuard(const DeviceGuard&) = delete;
  DeviceGuard& operator=(const DeviceGuard&) = delete;
  bool ok() const { return ok_; }

 private:
  int previous_ = -1;
  bool ok_ = false;
};

// This thread's stream on `device`, created on first use (cudaStreamNonBlocking: it does not
// synchronize with the legacy default stream). Null when `device` is not a device or the
// stream cannot be created: callers check (StreamFor gives the error instead).
cudaStream_t CurrentStream(int device);
absl::StatusOr<cudaStream_t> StreamFor(int device);

// This thread's handles on `device`, bound to CurrentStream(device), created on first use.
absl::StatusOr<cublasHandle_t> CublasHandle(int device);
absl::StatusOr<cudnnHandle_t> CudnnHandle(int device);

// Waits for `stream`; "CUDA error in <what>: cudaErrorX (description)" on failure.
absl::Status SynchronizeStream(cudaStream_t stream, const char* what);

// "cudaErrorX (description)" for a cudaError_t value; clears the thread's last error when
// `code` is not cudaSuccess, so a failure does not leak into later checks.
std::string CudaErrorString(int code);
// OK for cudaSuccess, else Internal("CUDA error in <what>: ...").
absl::Status CudaStatus(int code, const char* what);

}  // namespace duet::cuda
