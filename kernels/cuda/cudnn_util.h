// Private to the host-compiled cudnn_*.cc files (it includes <cudnn.h>): owned descriptors,
// status conversion ("cuDNN failed: CUDNN_STATUS_BAD_PARAM in cudnnConvolutionForward") and
// the int range checks the legacy 4-D API needs.
#pragma once

#include <cudnn.h>

#include <cstdint>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace duet::cuda {

inline absl::Status CudnnCheck(cudnnStatus_t s, const char* call) {
  if (s == CUDNN_STATUS_SUCCESS) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("cuDNN failed: ", cudnnGetErrorString(s), " in ", call));
}

inline bool IsNotSupported(cudnnStatus_t s) {
  return CUDNN_STATUS_CATEGORY(s) == CUDNN_STATUS_NOT_SUPPORTED;
}

// A cuDNN descriptor, created on construction (ok() says whether that worked) and destroyed
// with the owner.
template <class T, cudnnStatus_t (*kCreate)(T*), cudnnStatus_t (*kDestroy)(T)>
class CudnnDescriptor {
 public:
  CudnnDescriptor() : status_(kCreate(&desc_)) {}
  ~CudnnDescriptor() {
    if (status_ == CUDNN_STATUS_SUCCESS) kDestroy(desc_);
  }
  CudnnDescriptor(const CudnnDescriptor&) = delete;
  CudnnDescriptor& operator=(const CudnnDescriptor&) = delete;
  absl::Status status() const { return CudnnCheck(status_, "creating a descriptor"); }
  T get() const { return desc_; }

 private:
  T desc_ = nullptr;
  cudnnStatus_t status_;
};

using TensorDescriptor = CudnnDescriptor<cudnnTensorDescriptor_t, cudnnCreateTensorDescriptor,
                                         cudnnDestroyTensorDescriptor>;
using FilterDescriptor = CudnnDescriptor<cudnnFilterDescriptor_t, cudnnCreateFilterDescriptor,
                                         cudnnDestroyFilterDescriptor>;
using ConvolutionDescriptor =
    CudnnDescriptor<cudnnConvolutionDescriptor_t, cudnnCreateConvolutionDescriptor,
                    cudnnDestroyConvolutionDescriptor>;
using PoolingDescriptor = CudnnDescriptor<cudnnPoolingDescriptor_t, cudnnCreatePoolingDescriptor,
                                          cudnnDestroyPoolingDescriptor>;

// True when every value fits cuDNN's int dims.
inline bool FitsInt(std::initializer_list<int64_t> values) {
  for (int64_t v : values)
    if (v < 0 || v > std::numeric_limits<int>::max()) return false;
  return true;
}

// An NHWC tensor descriptor (dims as cuDNN orders them: n, c, h, w).
inline absl::Status SetNhwc(const TensorDescriptor& d, cudnnDataType_t type, int64_t n, int64_t c,
                            int64_t h, int64_t w) {
  if (!FitsInt({n, c, h, w, n * c * h * w}))
    return absl::UnimplementedError("a tensor dimension exceeds cuDNN's int range");
  return CudnnCheck(
      cudnnSetTensor4dDescriptor(d.get(), CUDNN_TENSOR_NHWC, type, static_cast<int>(n),
                                 static_cast<int>(c), static_cast<int>(h), static_cast<int>(w)),
      "cudnnSetTensor4dDescriptor");
}

}  // namespace duet::cuda
