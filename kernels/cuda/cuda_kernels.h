// CUDA device memory and kernels behind a plain C++ interface: callers (and the host compiler)
// need no CUDA headers; add_kernel.cu, compiled by nvcc, implements it. Every function fails
// softly (false / nullptr) when there is no device or driver, never aborting the process.
// Example:
//   DeviceBuffer a(n * 4), b(n * 4), c(n * 4);
//   CopyToDevice(a.data(), host_a, n * 4) && CopyToDevice(b.data(), host_b, n * 4) &&
//       AddOnDevice(a.f32(), b.f32(), c.f32(), n) && CopyToHost(host_c, c.data(), n * 4);
#pragma once

#include <cstddef>
#include <cstdint>

namespace duet::cuda {

// cudaMalloc / cudaFree. DeviceAlloc returns nullptr on failure (or for 0 bytes).
void* DeviceAlloc(size_t bytes);
void DeviceFree(void* ptr);

// Synchronous host<->device copies; false on failure.
bool CopyToDevice(void* device_dst, const void* host_src, size_t bytes);
bool CopyToHost(void* host_dst, const void* device_src, size_t bytes);

// out[i] = a[i] + b[i] for i < n, all device pointers; waits for completion. False on failure.
bool AddOnDevice(const float* a, const float* b, float* out, int64_t n);

// The name of the most recent CUDA error on this thread ("cudaSuccess" if none), and clears it.
const char* LastCudaError();

// An owned device allocation (moves, does not copy).
class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t bytes) : ptr_(DeviceAlloc(bytes)), bytes_(bytes) {}
  ~DeviceBuffer() { DeviceFree(ptr_); }
  DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(o.ptr_), bytes_(o.bytes_) { o.ptr_ = nullptr; }
  DeviceBuffer& operator=(DeviceBuffer&&) = delete;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  bool ok() const { return ptr_ != nullptr; }
  void* data() const { return ptr_; }
  float* f32() const { return static_cast<float*>(ptr_); }
  size_t bytes() const { return bytes_; }

 private:
  void* ptr_;
  size_t bytes_;
};

}  // namespace duet::cuda
