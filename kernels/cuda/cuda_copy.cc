// Host-compiled (no nvcc): the synchronous copies of cuda_copy.h over the CUDA runtime.
#include "kernels/cuda/cuda_copy.h"

#include <cuda_runtime_api.h>

#include "absl/strings/str_cat.h"
#include "kernels/cuda/cuda_context.h"

namespace duet::cuda {
namespace {

absl::Status Failed(const char* call, const char* direction, size_t bytes, int device,
                    cudaError_t err) {
  return absl::InternalError(absl::StrCat("[gpu] ", call, " (", direction, ", ", bytes,
                                          " bytes) on /gpu:", device,
                                          " failed: ", CudaErrorString(static_cast<int>(err))));
}

absl::Status Copy(int device, void* dst, const void* src, size_t bytes, cudaMemcpyKind kind,
                  const char* direction) {
  if (absl::Status s = CheckDevice(device); !s.ok()) return s;
  if (bytes == 0) return absl::OkStatus();
  DeviceGuard guard(device);
  cudaStream_t stream = CurrentStream(device);
  if (!guard.ok() || !stream)
    return absl::InternalError(absl::StrCat("[gpu] cannot use /gpu:", device, " for a copy"));
  cudaError_t err = cudaMemcpyAsync(dst, src, bytes, kind, stream);
  if (err != cudaSuccess) return Failed("cudaMemcpyAsync", direction, bytes, device, err);
  err = cudaStreamSynchronize(stream);
  if (err != cudaSuccess) return Failed("cudaStreamSynchronize", direction, bytes, device, err);
  return absl::OkStatus();
}

}  // namespace

absl::Status CopyHostToDevice(int device, void* device_dst, const void* host_src, size_t bytes) {
  return Copy(device, device_dst, host_src, bytes, cudaMemcpyHostToDevice, "host to device");
}

absl::Status CopyDeviceToHost(int device, void* host_dst, const void* device_src, size_t bytes) {
  return Copy(device, host_dst, device_src, bytes, cudaMemcpyDeviceToHost, "device to host");
}

absl::Status CopyDeviceToDevice(int dst_device, void* dst, int src_device, const void* src,
                                size_t bytes) {
  if (absl::Status s = CheckDevice(src_device); !s.ok()) return s;
  if (dst_device == src_device)
    return Copy(dst_device, dst, src, bytes, cudaMemcpyDeviceToDevice, "device to device");
  if (absl::Status s = CheckDevice(dst_device); !s.ok()) return s;
  if (bytes == 0) return absl::OkStatus();
  DeviceGuard guard(dst_device);
  cudaStream_t stream = CurrentStream(dst_device);
  if (!guard.ok() || !stream)
    return absl::InternalError(absl::StrCat("[gpu] cannot use /gpu:", dst_device, " for a copy"));
  cudaError_t err = cudaMemcpyPeerAsync(dst, dst_device, src, src_device, bytes, stream);
  if (err != cudaSuccess)
    return Failed("cudaMemcpyPeerAsync", "device to device", bytes, dst_device, err);
  err = cudaStreamSynchronize(stream);
  if (err != cudaSuccess)
    return Failed("cudaStreamSynchronize", "device to device", bytes, dst_device, err);
  return absl::OkStatus();
}

}  // namespace duet::cuda
