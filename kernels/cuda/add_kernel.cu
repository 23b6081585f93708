// Device buffers and the elementwise float32 add (see cuda_kernels.h). Compiled by nvcc via
// the cuda_object rule; everything else in duet stays host-compiler only.
#include <cuda_runtime.h>

#include <algorithm>

#include "kernels/cuda/cuda_kernels.h"

namespace duet::cuda {
namespace {

// Grid-stride loop: any n with a bounded grid.
__global__ void AddKernel(const float* a, const float* b, float* out, int64_t n) {
  int64_t stride = static_cast<int64_t>(blockDim.x) * gridDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride)
    out[i] = a[i] + b[i];
}

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 65535;

}  // namespace

void* DeviceAlloc(size_t bytes) {
  void* ptr = nullptr;
  if (bytes == 0 || cudaMalloc(&ptr, bytes) != cudaSuccess) return nullptr;
  return ptr;
}

void DeviceFree(void* ptr) {
  if (ptr) cudaFree(ptr);
}

bool CopyToDevice(void* device_dst, const void* host_src, size_t bytes) {
  return cudaMemcpy(device_dst, host_src, bytes, cudaMemcpyHostToDevice) == cudaSuccess;
}

bool CopyToHost(void* host_dst, const void* device_src, size_t bytes) {
  return cudaMemcpy(host_dst, device_src, bytes, cudaMemcpyDeviceToHost) == cudaSuccess;
}

bool AddOnDevice(const float* a, const float* b, float* out, int64_t n) {
  if (n <= 0) return n == 0;
  int64_t blocks = std::min<int64_t>((n + kThreads - 1) / kThreads, kMaxBlocks);
  AddKernel<<<static_cast<unsigned>(blocks), kThreads>>>(a, b, out, n);
  return cudaGetLastError() == cudaSuccess && cudaDeviceSynchronize() == cudaSuccess;
}

const char* LastCudaError() { return cudaGetErrorName(cudaGetLastError()); }

}  // namespace duet::cuda
