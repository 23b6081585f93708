// What the nvcc-compiled kernels (*.cu) and their host callers share, in plain C++: element
// types, the broadcast/stride limits and the launch result codes. No CUDA or duet headers, so
// both compilers read it; gpu_kernel_util.h checks that ElemType follows duet::DType.
// Example: int rc = LaunchUnary(UnaryOp::kExp, ElemType::kF32, x, y, layout, stream);
//          if (rc == kUnsupported) ...;  // else rc is a cudaError_t (0: launched)
#pragma once

#include <cstdint>

namespace duet::cuda {

// Device element types, in duet::DType's order. kBool is one byte holding 0 or 1; kF16/kBF16
// are 16-bit storage, computed in float.
enum class ElemType : uint8_t { kF32, kF64, kI32, kI64, kBool, kF16, kBF16 };

// Kernels index at most this many (collapsed) dims, and take at most this many inputs.
constexpr int kMaxRank = 6;
constexpr int kMaxOperands = 3;

// Launch functions return 0 (cudaSuccess) when the kernel was queued, kUnsupported when there
// is no kernel for the op and element type, and any other value is the cudaError_t of the
// failed launch.
constexpr int kUnsupported = -1;

// Threads per block of every elementwise launch, and the grid cap (loops are grid-stride, so
// any element count runs on a bounded grid).
constexpr int kThreadsPerBlock = 256;
constexpr int64_t kMaxBlocks = 65535;

}  // namespace duet::cuda
