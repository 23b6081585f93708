// What CUDA this process can use: device count, runtime/driver versions, and whether cuDNN and
// cuBLAS load and create handles. Without a GPU or driver every probe degrades to "0 devices"
// and an error status instead of failing, so CPU-only machines run the same binaries.
// Example:
//   if (num_gpus() == 0) ...;             // the API's num_gpus(), 0 on CPU-only machines
//   std::cout << cuda::DescribeCuda();    // "CUDA runtime 13000, driver 0, 0 devices (...)"
#pragma once

#include <string>

namespace duet {

// Number of visible CUDA devices (0 without a device or driver). Probed once per process.
int num_gpus();

namespace cuda {

struct CudaProbe {
  int device_count = 0;     // 0 when no device or no driver
  int runtime_error = 0;    // the cudaError_t cudaGetDeviceCount returned
  std::string error_name;   // its name, e.g. "cudaErrorNoDevice", "cudaErrorInsufficientDriver"
  int runtime_version = 0;  // cudaRuntimeGetVersion, e.g. 13000 for 13.0
  int driver_version = 0;   // cudaDriverGetVersion, 0 without a driver
};
CudaProbe ProbeCuda();

// A math library: its version and the status of creating (then destroying) a handle, which
// needs a device: without one it is an error status, not a crash.
struct LibraryProbe {
  long version = 0;  // cuDNN: cudnnGetVersion() (e.g. 90100); cuBLAS: major*10000+minor*100+patch
  int create_status = 0;    // cudnnStatus_t / cublasStatus_t of cudnnCreate / cublasCreate
  std::string create_name;  // e.g. "CUDNN_STATUS_SUCCESS", "CUBLAS_STATUS_NOT_INITIALIZED"
  bool created() const { return create_status == 0; }
};
LibraryProbe ProbeCudnn();
LibraryProbe ProbeCublas();

// One line with all of the above, for logs and test output.
std::string DescribeCuda();

}  // namespace cuda
}  // namespace duet
