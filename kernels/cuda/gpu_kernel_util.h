// What every GPU kernel registration (gpu_*_kernels.cc) does around its launches: find the one
// device all the call's tensors live on and make it current, take this thread's stream there,
// turn launch codes and library errors into Statuses that name the op ("[matmul] cuBLAS
// failed: CUBLAS_STATUS_..."), and synchronize before returning: every GPU kernel's work is
// complete when it returns (simple and correct; the caching allocator relies on it, see
// cuda_allocator.h).
// Example:
//   GpuCall call(ctx);
//   RETURN_IF_ERROR(call.status());
//   RETURN_IF_ERROR(call.Launched(LaunchUnary(op, ElemOf(x), x.raw_data(), y.mutable_raw_data(),
//                                             layout, call.stream())));
//   return call.Finish();
#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kernels/cuda/cuda_context.h"
#include "kernels/cuda/cuda_handles.h"
#include "kernels/cuda/gpu_types.h"
#include "runtime/op_def.h"

namespace duet::cuda {

static_assert(static_cast<int>(ElemType::kF32) == static_cast<int>(DType::kFloat32) &&
                  static_cast<int>(ElemType::kF64) == static_cast<int>(DType::kFloat64) &&
                  static_cast<int>(ElemType::kI32) == static_cast<int>(DType::kInt32) &&
                  static_cast<int>(ElemType::kI64) == static_cast<int>(DType::kInt64) &&
                  static_cast<int>(ElemType::kBool) == static_cast<int>(DType::kBool) &&
                  static_cast<int>(ElemType::kF16) == static_cast<int>(DType::kFloat16) &&
                  static_cast<int>(ElemType::kBF16) == static_cast<int>(DType::kBFloat16),
              "ElemType must follow duet::DType");
inline ElemType ElemOf(DType dtype) { return static_cast<ElemType>(dtype); }
inline ElemType ElemOf(const Tensor& t) { return ElemOf(t.dtype()); }

// `s` with "[op] " before its message (same code).
absl::Status WithOp(const OpDef& op, const absl::Status& s);

class GpuCall {
 public:
  // Checks that every defined input and output is on the same GPU (the first input's).
  explicit GpuCall(const KernelContext& ctx);
  // Waits for the stream if Finish was not called (an error return): no work of this call may
  // outlive it, or a freed output could be reused while a kernel still writes it.
  ~GpuCall();
  GpuCall(const GpuCall&) = delete;
  GpuCall& operator=(const GpuCall&) = delete;

  const absl::Status& status() const { return status_; }
  int device() const { return device_; }
  cudaStream_t stream() const { return stream_; }

  // A launch function's code: kUnsupported -> Unimplemented("[op] no GPU kernel for <dtype>"),
  // another non-zero -> "[op] CUDA error in the kernel launch: cudaErrorX (...)".
  absl::Status Launched(int code) const;
  // `s` named after the op.
  absl::Status Wrap(const absl::Status& s) const { return WithOp(ctx_.op, s); }
  template <class T>
  absl::StatusOr<T> Wrap(absl::StatusOr<T> v) const {
    if (!v.ok()) return WithOp(ctx_.op, v.status());
    return v;
  }
  // Zeroes `bytes` at `ptr` on the stream.
  absl::Status Zero(void* ptr, size_t bytes) const;
  // Waits for the stream: the call's result ("[op] CUDA error in ...").
  absl::Status Finish() const;

 private:
  static int DeviceOf(const KernelContext& ctx);
  const KernelContext& ctx_;
  const int device_;
  DeviceGuard guard_;
  cudaStream_t stream_ = nullptr;
  absl::Status status_;
  mutable bool finished_ = false;
};

}  // namespace duet::cuda
