// Host-compiled (no nvcc): per-thread streams and library handles over the CUDA runtime,
// cuBLAS and cuDNN C APIs (cuda_context.h).
#include "kernels/cuda/cuda_context.h"

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cudnn.h>

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "kernels/cuda/cuda_allocator.h"
#include "kernels/cuda/device_probe.h"

namespace duet::cuda {
namespace {

// One device's resources on one thread.
struct ThreadDevice {
  cudaStream_t stream = nullptr;
  cublasHandle_t cublas = nullptr;
  cudnnHandle_t cudnn = nullptr;
};

// This thread's resources on every device, released at thread exit: the stream is drained,
// the handles destroyed, and the allocator told to forget the stream.
class ThreadResources {
 public:
  ~ThreadResources() {
    for (size_t d = 0; d < devices_.size(); ++d) {
      ThreadDevice& t = devices_[d];
      if (!t.stream && !t.cublas && !t.cudnn) continue;
      DeviceGuard guard(static_cast<int>(d));
      if (t.cudnn) cudnnDestroy(t.cudnn);
      if (t.cublas) cublasDestroy(t.cublas);
      if (t.stream) {
        cudaStreamSynchronize(t.stream);
        CachingAllocator::Get().RetireStream(static_cast<int>(d), t.stream);
        cudaStreamDestroy(t.stream);
      }
      cudaGetLastError();
    }
  }
  ThreadDevice& at(int device) {
    if (devices_.empty()) devices_.resize(static_cast<size_t>(num_gpus()));
    return devices_[static_cast<size_t>(device)];
  }

 private:
  std::vector<ThreadDevice> devices_;
};

ThreadDevice& Mine(int device) {
  thread_local ThreadResources resources;
  return resources.at(device);
}

}  // namespace

bool IsDevice(int device) { return device >= 0 && device < num_gpus(); }

absl::Status CheckDevice(int device) {
  if (IsDevice(device)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "/gpu:", device, " does not exist: this process sees ", num_gpus(), " CUDA device(s)"));
}

DeviceGuard::DeviceGuard(int device) {
  if (!IsDevice(device)) return;
  int current = -1;
  if (cudaGetDevice(&current) != cudaSuccess) {
    cudaGetLastError();
    return;
  }
  if (current == device) {
    ok_ = true;
    return;
  }
  if (cudaSetDevice(device) != cudaSuccess) {
    cudaGetLastError();
    return;
  }
  previous_ = current;
  ok_ = true;
}

DeviceGuard::~DeviceGuard() {
  if (previous_ >= 0 && cudaSetDevice(previous_) != cudaSuccess) cudaGetLastError();
}

cudaStream_t CurrentStream(int device) {
  if (!IsDevice(device)) return nullptr;
  ThreadDevice& t = Mine(device);
  if (t.stream) return t.stream;
  DeviceGuard guard(device);
  if (!guard.ok()) return nullptr;
  cudaStream_t stream = nullptr;
  if (cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking) != cudaSuccess) {
    cudaGetLastError();
    return nullptr;
  }
  t.stream = stream;
  return stream;
}

absl::StatusOr<cudaStream_t> StreamFor(int device) {
  if (absl::Status s = CheckDevice(device); !s.ok()) return s;
  cudaStream_t stream = CurrentStream(device);
  if (!stream)
    return absl::InternalError(absl::StrCat("cannot create a CUDA stream on /gpu:", device));
  return stream;
}

absl::StatusOr<cublasHandle_t> CublasHandle(int device) {
  absl::StatusOr<cudaStream_t> stream = StreamFor(device);
  if (!stream.ok()) return stream.status();
  ThreadDevice& t = Mine(device);
  if (t.cublas) return t.cublas;
  DeviceGuard guard(device);
  cublasHandle_t handle = nullptr;
  cublasStatus_t s = cublasCreate(&handle);
  if (s == CUBLAS_STATUS_SUCCESS) s = cublasSetStream(handle, *stream);
  if (s == CUBLAS_STATUS_SUCCESS) s = cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH);  // no TF32
  if (s != CUBLAS_STATUS_SUCCESS) {
    if (handle) cublasDestroy(handle);
    cudaGetLastError();
    return absl::InternalError(absl::StrCat("cuBLAS failed: ", cublasGetStatusName(s),
                                            " (creating a handle on /gpu:", device, ")"));
  }
  t.cublas = handle;
  return handle;
}

absl::StatusOr<cudnnHandle_t> CudnnHandle(int device) {
  absl::StatusOr<cudaStream_t> stream = StreamFor(device);
  if (!stream.ok()) return stream.status();
  ThreadDevice& t = Mine(device);
  if (t.cudnn) return t.cudnn;
  DeviceGuard guard(device);
  cudnnHandle_t handle = nullptr;
  cudnnStatus_t s = cudnnCreate(&handle);
  if (s == CUDNN_STATUS_SUCCESS) s = cudnnSetStream(handle, *stream);
  if (s != CUDNN_STATUS_SUCCESS) {
    if (handle) cudnnDestroy(handle);
    cudaGetLastError();
    return absl::InternalError(absl::StrCat("cuDNN failed: ", cudnnGetErrorString(s),
                                            " (creating a handle on /gpu:", device, ")"));
  }
  t.cudnn = handle;
  return handle;
}

std::string CudaErrorString(int code) {
  const cudaError_t err = static_cast<cudaError_t>(code);
  if (err != cudaSuccess) cudaGetLastError();
  return absl::StrCat(cudaGetErrorName(err), " (", cudaGetErrorString(err), ")");
}

absl::Status CudaStatus(int code, const char* what) {
  if (code == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("CUDA error in ", what, ": ", CudaErrorString(code)));
}

absl::Status SynchronizeStream(cudaStream_t stream, const char* what) {
  return CudaStatus(static_cast<int>(cudaStreamSynchronize(stream)), what);
}

}  // namespace duet::cuda
