// Host-compiled (no nvcc): the CUDA runtime, cuDNN and cuBLAS are plain C APIs.
#include "kernels/cuda/device_probe.h"

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cudnn.h>

#include <sstream>

namespace duet {

int num_gpus() {
  static const int count = cuda::ProbeCuda().device_count;
  return count;
}

namespace cuda {

CudaProbe ProbeCuda() {
  CudaProbe p;
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  p.runtime_error = static_cast<int>(err);
  p.error_name = cudaGetErrorName(err);
  p.device_count = err == cudaSuccess ? count : 0;
  cudaRuntimeGetVersion(&p.runtime_version);
  if (cudaDriverGetVersion(&p.driver_version) != cudaSuccess) p.driver_version = 0;
  cudaGetLastError();  // a failed probe must not leave a sticky error for later calls
  return p;
}

LibraryProbe ProbeCudnn() {
  LibraryProbe p;
  p.version = static_cast<long>(cudnnGetVersion());
  cudnnHandle_t handle = nullptr;
  cudnnStatus_t s = cudnnCreate(&handle);
  p.create_status = static_cast<int>(s);
  p.create_name = cudnnGetErrorString(s);
  if (s == CUDNN_STATUS_SUCCESS) cudnnDestroy(handle);
  cudaGetLastError();
  return p;
}

LibraryProbe ProbeCublas() {
  LibraryProbe p;
  int major = 0, minor = 0, patch = 0;
  cublasGetProperty(MAJOR_VERSION, &major);
  cublasGetProperty(MINOR_VERSION, &minor);
  cublasGetProperty(PATCH_LEVEL, &patch);
  p.version = major * 10000L + minor * 100L + patch;
  cublasHandle_t handle = nullptr;
  cublasStatus_t s = cublasCreate(&handle);
  p.create_status = static_cast<int>(s);
  p.create_name = cublasGetStatusName(s);
  if (s == CUBLAS_STATUS_SUCCESS) cublasDestroy(handle);
  cudaGetLastError();
  return p;
}

std::string DescribeCuda() {
  CudaProbe c = ProbeCuda();
  LibraryProbe dnn = ProbeCudnn(), blas = ProbeCublas();
  std::ostringstream os;
  os << "CUDA runtime " << c.runtime_version << ", driver " << c.driver_version << ", "
     << c.device_count << " devices (cudaGetDeviceCount: " << c.error_name << "); cuDNN "
     << dnn.version << " (cudnnCreate: " << dnn.create_name << "); cuBLAS " << blas.version
     << " (cublasCreate: " << blas.create_name << ")";
  return os.str();
}

}  // namespace cuda
}  // namespace duet
