// Host-compiled (no nvcc): GpuCall over the CUDA runtime C API (gpu_kernel_util.h).
#include "kernels/cuda/gpu_kernel_util.h"

#include <cuda_runtime_api.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace duet::cuda {

absl::Status WithOp(const OpDef& op, const absl::Status& s) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat("[", op.name, "] ", s.message()));
}

int GpuCall::DeviceOf(const KernelContext& ctx) {
  for (const Tensor& t : ctx.inputs)
    if (t.defined()) return t.device().index;
  for (const Tensor& t : ctx.outputs)
    if (t.defined()) return t.device().index;
  return 0;
}

GpuCall::GpuCall(const KernelContext& ctx) : ctx_(ctx), device_(DeviceOf(ctx)), guard_(device_) {
  const Device want{DeviceType::kGPU, device_};
  auto check = [&](const Tensor& t, const char* kind, size_t i) {
    if (!status_.ok() || !t.defined() || t.device() == want) return;
    status_ = WithOp(ctx.op, absl::InvalidArgumentError(absl::StrCat(
                                 "the GPU kernel expects every tensor on ", want.to_string(), "; ",
                                 kind, " ", i, " is on ", t.device().to_string())));
  };
  for (size_t i = 0; i < ctx.inputs.size(); ++i) check(ctx.inputs[i], "input", i);
  for (size_t i = 0; i < ctx.outputs.size(); ++i) check(ctx.outputs[i], "output", i);
  if (!status_.ok()) return;
  absl::StatusOr<cudaStream_t> stream = StreamFor(device_);
  if (!stream.ok()) {
    status_ = WithOp(ctx.op, stream.status());
    return;
  }
  if (!guard_.ok()) {
    status_ =
        WithOp(ctx.op, absl::InternalError(absl::StrCat("cudaSetDevice(", device_, ") failed")));
    return;
  }
  stream_ = *stream;
}

GpuCall::~GpuCall() {
  if (stream_ && !finished_ && cudaStreamSynchronize(stream_) != cudaSuccess) cudaGetLastError();
}

absl::Status GpuCall::Launched(int code) const {
  if (code == 0) return absl::OkStatus();
  if (code == kUnsupported) {
    std::string dtypes;
    for (const Tensor& t : ctx_.inputs)
      if (t.defined()) absl::StrAppend(&dtypes, dtypes.empty() ? "" : ", ", DTypeName(t.dtype()));
    return WithOp(ctx_.op, absl::UnimplementedError(absl::StrCat("no GPU kernel for ", dtypes)));
  }
  return WithOp(ctx_.op, CudaStatus(code, "the kernel launch"));
}

absl::Status GpuCall::Zero(void* ptr, size_t bytes) const {
  if (bytes == 0) return absl::OkStatus();
  return Wrap(
      CudaStatus(static_cast<int>(cudaMemsetAsync(ptr, 0, bytes, stream_)), "cudaMemsetAsync"));
}

absl::Status GpuCall::Finish() const {
  finished_ = true;
  return Wrap(SynchronizeStream(stream_, "the GPU kernel (cudaStreamSynchronize)"));
}

}  // namespace duet::cuda
