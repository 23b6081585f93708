// Host-compiled (no nvcc): cudnn_conv.h over the cuDNN 9 legacy convolution API.
#include "kernels/cuda/cudnn_conv.h"

#include <cuda_runtime_api.h>

#include "kernels/cuda/cuda_allocator.h"
#include "kernels/cuda/cuda_context.h"
#include "kernels/cuda/cudnn_util.h"
#include "kernels/cuda/elementwise_layout.h"
#include "kernels/cuda/gpu_elementwise.h"
#include "kernels/cuda/gpu_window.h"
#include "runtime/status_macros.h"

namespace duet::cuda {
namespace {

bool Symmetric(const cpu::Window2D& g) {
  return g.pad_top == g.pad_bottom && g.pad_left == g.pad_right;
}

// Everything a convolution call needs: descriptors of the (maybe padded) input, filters,
// output and the convolution, this thread's handle and stream.
struct Conv {
  int device = 0;
  cudnnHandle_t handle = nullptr;
  cudaStream_t stream = nullptr;
  int64_t x_h = 0, x_w = 0;  // the input cuDNN sees: padded when the padding is asymmetric
  bool explicit_pad = false;
  TensorDescriptor x, y;
  FilterDescriptor w;
  ConvolutionDescriptor conv;
};

absl::Status Setup(int device, const cpu::Window2D& g, Conv& c) {
  c.device = device;
  ASSIGN_OR_RETURN(c.handle, CudnnHandle(device));
  ASSIGN_OR_RETURN(c.stream, StreamFor(device));
  RETURN_IF_ERROR(c.x.status());
  RETURN_IF_ERROR(c.y.status());
  RETURN_IF_ERROR(c.w.status());
  RETURN_IF_ERROR(c.conv.status());
  c.explicit_pad = !Symmetric(g);
  c.x_h = c.explicit_pad ? g.in_h + g.pad_top + g.pad_bottom : g.in_h;
  c.x_w = c.explicit_pad ? g.in_w + g.pad_left + g.pad_right : g.in_w;
  const int64_t pad_h = c.explicit_pad ? 0 : g.pad_top, pad_w = c.explicit_pad ? 0 : g.pad_left;
  if (!FitsInt({g.k_h, g.k_w, g.in_c, g.out_c, pad_h, pad_w, g.stride_h, g.stride_w, g.dil_h,
                g.dil_w, g.out_c * g.k_h * g.k_w * g.in_c}))
    return absl::UnimplementedError("a conv2d size exceeds cuDNN's int range");
  RETURN_IF_ERROR(SetNhwc(c.x, CUDNN_DATA_FLOAT, g.batch, g.in_c, c.x_h, c.x_w));
  RETURN_IF_ERROR(SetNhwc(c.y, CUDNN_DATA_FLOAT, g.batch, g.out_c, g.out_h, g.out_w));
  RETURN_IF_ERROR(
      CudnnCheck(cudnnSetFilter4dDescriptor(c.w.get(), CUDNN_DATA_FLOAT, CUDNN_TENSOR_NHWC,
                                            static_cast<int>(g.out_c), static_cast<int>(g.in_c),
                                            static_cast<int>(g.k_h), static_cast<int>(g.k_w)),
                 "cudnnSetFilter4dDescriptor"));
  RETURN_IF_ERROR(CudnnCheck(
      cudnnSetConvolution2dDescriptor(
          c.conv.get(), static_cast<int>(pad_h), static_cast<int>(pad_w),
          static_cast<int>(g.stride_h), static_cast<int>(g.stride_w), static_cast<int>(g.dil_h),
          static_cast<int>(g.dil_w), CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
      "cudnnSetConvolution2dDescriptor"));
  RETURN_IF_ERROR(CudnnCheck(cudnnSetConvolutionMathType(c.conv.get(), CUDNN_FMA_MATH),
                             "cudnnSetConvolutionMathType"));
  int n = 0, ch = 0, h = 0, w = 0;
  RETURN_IF_ERROR(CudnnCheck(
      cudnnGetConvolution2dForwardOutputDim(c.conv.get(), c.x.get(), c.w.get(), &n, &ch, &h, &w),
      "cudnnGetConvolution2dForwardOutputDim"));
  if (n != g.batch || ch != g.out_c || h != g.out_h || w != g.out_w)
    return absl::InternalError(absl::StrCat("cuDNN computes a (", n, ", ", h, ", ", w, ", ", ch,
                                            ") output; TF's padding gives (", g.batch, ", ",
                                            g.out_h, ", ", g.out_w, ", ", g.out_c, ")"));
  return absl::OkStatus();
}

absl::Status Launched(int code, const char* what) {
  if (code == kUnsupported) return absl::InternalError(absl::StrCat(what, ": no kernel"));
  return CudaStatus(code, what);
}

// HWIO (k_h, k_w, in_c, out_c) <-> cuDNN's OHWI (out_c, k_h, k_w, in_c).
absl::Status ToOhwi(const Conv& c, const cpu::Window2D& g, const float* hwio, float* ohwi) {
  const int64_t perm[] = {3, 0, 1, 2};
  ASSIGN_OR_RETURN(StridedLayout l, PermuteLayout(Shape{g.k_h, g.k_w, g.in_c, g.out_c}, perm));
  return Launched(LaunchStridedCopy(4, hwio, ohwi, l, c.stream), "the filter transpose");
}
absl::Status ToHwio(const Conv& c, const cpu::Window2D& g, const float* ohwi, float* hwio) {
  const int64_t perm[] = {1, 2, 3, 0};
  ASSIGN_OR_RETURN(StridedLayout l, PermuteLayout(Shape{g.out_c, g.k_h, g.k_w, g.in_c}, perm));
  return Launched(LaunchStridedCopy(4, ohwi, hwio, l, c.stream), "the filter transpose");
}

size_t FilterBytes(const cpu::Window2D& g) {
  return static_cast<size_t>(g.k_h * g.k_w * g.in_c * g.out_c) * sizeof(float);
}
size_t InputBytes(const Conv& c, const cpu::Window2D& g) {
  return static_cast<size_t>(g.batch * c.x_h * c.x_w * g.in_c) * sizeof(float);
}

// Runs `run(algo, workspace, bytes)` with cuDNN's heuristic algorithms in order until one is
// supported and gets its workspace.
template <class Perf, class WorkspaceFn, class RunFn>
absl::Status RunFirstAlgorithm(const Conv& c, const Perf* perf, int found, const char* call,
                               WorkspaceFn workspace_size, RunFn run) {
  cudnnStatus_t last = CUDNN_STATUS_NOT_SUPPORTED;
  bool out_of_memory = false;
  for (int i = 0; i < found; ++i) {
    if (perf[i].status != CUDNN_STATUS_SUCCESS) continue;
    size_t bytes = 0;
    if (workspace_size(perf[i].algo, &bytes) != CUDNN_STATUS_SUCCESS) continue;
    ScratchBuffer ws(c.device, bytes);
    if (!ws.ok()) {
      out_of_memory = true;
      continue;
    }
    last = run(perf[i].algo, ws.get(), bytes);
    if (last == CUDNN_STATUS_SUCCESS) return absl::OkStatus();
    if (!IsNotSupported(last)) break;
  }
  if (out_of_memory && IsNotSupported(last))
    return absl::ResourceExhaustedError(
        absl::StrCat("out of GPU memory for every cuDNN workspace of ", call));
  return CudnnCheck(last, call);
}

}  // namespace

absl::Status CudnnConv2D(int device, const cpu::Window2D& g, const float* x, const float* f,
                         float* y) {
  Conv c;
  RETURN_IF_ERROR(Setup(device, g, c));
  ScratchBuffer padded(device, c.explicit_pad ? InputBytes(c, g) : 0);
  ScratchBuffer w(device, FilterBytes(g));
  if (!padded.ok() || !w.ok()) return absl::ResourceExhaustedError("out of GPU memory (conv2d)");
  if (c.explicit_pad) {
    RETURN_IF_ERROR(
        Launched(LaunchPadNHWC(4, x, padded.get(), g.batch, g.in_h, g.in_w, g.in_c, g.pad_top,
                               g.pad_bottom, g.pad_left, g.pad_right, c.stream),
                 "the input padding"));
    x = static_cast<const float*>(padded.get());
  }
  RETURN_IF_ERROR(ToOhwi(c, g, f, static_cast<float*>(w.get())));
  cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
  int found = 0;
  RETURN_IF_ERROR(CudnnCheck(cudnnGetConvolutionForwardAlgorithm_v7(
                                 c.handle, c.x.get(), c.w.get(), c.conv.get(), c.y.get(),
                                 CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &found, perf),
                             "cudnnGetConvolutionForwardAlgorithm_v7"));
  const float alpha = 1.f, beta = 0.f;
  return RunFirstAlgorithm(
      c, perf, found, "cudnnConvolutionForward",
      [&](cudnnConvolutionFwdAlgo_t algo, size_t* bytes) {
        return cudnnGetConvolutionForwardWorkspaceSize(c.handle, c.x.get(), c.w.get(), c.conv.get(),
                                                       c.y.get(), algo, bytes);
      },
      [&](cudnnConvolutionFwdAlgo_t algo, void* ws, size_t bytes) {
        return cudnnConvolutionForward(c.handle, &alpha, c.x.get(), x, c.w.get(), w.get(),
                                       c.conv.get(), algo, ws, bytes, &beta, c.y.get(), y);
      });
}

absl::Status CudnnConv2DBackpropInput(int device, const cpu::Window2D& g, const float* f,
                                      const float* dy, float* dx) {
  Conv c;
  RETURN_IF_ERROR(Setup(device, g, c));
  ScratchBuffer padded(device, c.explicit_pad ? InputBytes(c, g) : 0);
  ScratchBuffer w(device, FilterBytes(g));
  if (!padded.ok() || !w.ok())
    return absl::ResourceExhaustedError("out of GPU memory (conv2d_backprop_input)");
  float* dx_full = c.explicit_pad ? static_cast<float*>(padded.get()) : dx;
  RETURN_IF_ERROR(ToOhwi(c, g, f, static_cast<float*>(w.get())));
  cudnnConvolutionBwdDataAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
  int found = 0;
  RETURN_IF_ERROR(CudnnCheck(cudnnGetConvolutionBackwardDataAlgorithm_v7(
                                 c.handle, c.w.get(), c.y.get(), c.conv.get(), c.x.get(),
                                 CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &found, perf),
                             "cudnnGetConvolutionBackwardDataAlgorithm_v7"));
  const float alpha = 1.f, beta = 0.f;
  RETURN_IF_ERROR(RunFirstAlgorithm(
      c, perf, found, "cudnnConvolutionBackwardData",
      [&](cudnnConvolutionBwdDataAlgo_t algo, size_t* bytes) {
        return cudnnGetConvolutionBackwardDataWorkspaceSize(c.handle, c.w.get(), c.y.get(),
                                                            c.conv.get(), c.x.get(), algo, bytes);
      },
      [&](cudnnConvolutionBwdDataAlgo_t algo, void* ws, size_t bytes) {
        return cudnnConvolutionBackwardData(c.handle, &alpha, c.w.get(), w.get(), c.y.get(), dy,
                                            c.conv.get(), algo, ws, bytes, &beta, c.x.get(),
                                            dx_full);
      }));
  if (!c.explicit_pad) return absl::OkStatus();
  // dx = the padded gradient's interior.
  const int64_t dims[] = {g.batch, g.in_h, g.in_w, g.in_c};
  const int64_t strides[] = {c.x_h * c.x_w * g.in_c, c.x_w * g.in_c, g.in_c, 1};
  ASSIGN_OR_RETURN(StridedLayout l, ViewLayout(dims, strides));
  const float* interior = dx_full + (g.pad_top * c.x_w + g.pad_left) * g.in_c;
  return Launched(LaunchStridedCopy(4, interior, dx, l, c.stream), "the gradient crop");
}

absl::Status CudnnConv2DBackpropFilter(int device, const cpu::Window2D& g, const float* x,
                                       const float* dy, float* df) {
  Conv c;
  RETURN_IF_ERROR(Setup(device, g, c));
  ScratchBuffer padded(device, c.explicit_pad ? InputBytes(c, g) : 0);
  ScratchBuffer dw(device, FilterBytes(g));
  if (!padded.ok() || !dw.ok())
    return absl::ResourceExhaustedError("out of GPU memory (conv2d_backprop_filter)");
  if (c.explicit_pad) {
    RETURN_IF_ERROR(
        Launched(LaunchPadNHWC(4, x, padded.get(), g.batch, g.in_h, g.in_w, g.in_c, g.pad_top,
                               g.pad_bottom, g.pad_left, g.pad_right, c.stream),
                 "the input padding"));
    x = static_cast<const float*>(padded.get());
  }
  cudnnConvolutionBwdFilterAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
  int found = 0;
  RETURN_IF_ERROR(CudnnCheck(cudnnGetConvolutionBackwardFilterAlgorithm_v7(
                                 c.handle, c.x.get(), c.y.get(), c.conv.get(), c.w.get(),
                                 CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, &found, perf),
                             "cudnnGetConvolutionBackwardFilterAlgorithm_v7"));
  const float alpha = 1.f, beta = 0.f;
  RETURN_IF_ERROR(RunFirstAlgorithm(
      c, perf, found, "cudnnConvolutionBackwardFilter",
      [&](cudnnConvolutionBwdFilterAlgo_t algo, size_t* bytes) {
        return cudnnGetConvolutionBackwardFilterWorkspaceSize(c.handle, c.x.get(), c.y.get(),
                                                              c.conv.get(), c.w.get(), algo, bytes);
      },
      [&](cudnnConvolutionBwdFilterAlgo_t algo, void* ws, size_t bytes) {
        return cudnnConvolutionBackwardFilter(c.handle, &alpha, c.x.get(), x, c.y.get(), dy,
                                              c.conv.get(), algo, ws, bytes, &beta, c.w.get(),
                                              dw.get());
      }));
  return ToHwio(c, g, static_cast<const float*>(dw.get()), df);
}

}  // namespace duet::cuda
