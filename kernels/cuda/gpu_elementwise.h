// The elementwise device kernels behind a plain C++ interface: unary and binary ops with NumPy
// broadcasting, where, casts and strided copies (transpose, broadcast_to, crops). The .cu
// files (unary_kernels.cu, binary_kernels.cu, cast_kernels.cu) implement it with grid-stride
// loops; host code builds the StridedLayout (elementwise_layout.h) and needs no CUDA header.
// Semantics are the CPU loops' (kernels/cpu/unary_loops.cc, binary_loops.cc, cast_loops.h,
// scalar_math.h): integer arithmetic wraps, integer div/floor_mod floor (the remainder takes
// the divisor's sign), float max/min propagate NaN, relu(NaN) = 0, comparisons write bool.
// float16/bfloat16 are loaded to float, computed in float and rounded back (nearest even).
// Every launch is asynchronous on `stream`; see gpu_types.h for the return codes.
// Example: LaunchBinary(BinaryOp::kAdd, ElemType::kF32, a, b, out, layout, stream);
#pragma once

#include <cstdint>

#include "kernels/cuda/cuda_handles.h"
#include "kernels/cuda/gpu_types.h"

namespace duet::cuda {

// A contiguous row-major output of `rank` dims (num_elements in all) and, for each input k,
// the element stride of each output dim in that input (0 where input k is broadcast). Inputs
// may be any strided view: a transpose is a permuted stride list, a crop a stride list plus a
// pointer offset the caller applies.
struct StridedLayout {
  int rank = 0;
  int64_t num_elements = 0;
  int64_t dims[kMaxRank] = {};
  int64_t strides[kMaxOperands][kMaxRank] = {};
};

enum class UnaryOp : uint8_t {
  kNeg,  // numeric: float32/64, int32/64, float16, bfloat16 (integers wrap)
  kAbs,
  kSquare,
  kRelu,
  kFloor,  // floating only from here on
  kExp,
  kLog,
  kLog1p,
  kTanh,
  kSigmoid,
  kSoftplus,
  kSqrt,
  kRsqrt,
  kSin,
  kCos,
  kLogicalNot,  // bool only
};

enum class BinaryOp : uint8_t {
  kAdd,  // arithmetic: float32/64, int32/64, float16, bfloat16; output has the input type
  kSub,
  kMul,
  kDiv,
  kPow,
  kMaximum,
  kMinimum,
  kFloorMod,
  kReluGrad,  // (dy, x): dy where x > 0, else 0
  kEqual,     // comparisons: also bool inputs; output bool
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kLogicalAnd,  // bool only
  kLogicalOr,
};

// y = op(x) over the layout (x is input 0).
int LaunchUnary(UnaryOp op, ElemType type, const void* x, void* y, const StridedLayout& layout,
                cudaStream_t stream);
// out = op(a, b) over the layout (a, b are inputs 0 and 1). Integer div/floor_mod/pow assume
// the divisor has no zeros and the exponent no negatives (FindBadDivisor checks first).
int LaunchBinary(BinaryOp op, ElemType type, const void* a, const void* b, void* out,
                 const StridedLayout& layout, cudaStream_t stream);
// out = cond ? x : y (inputs 0, 1, 2); x, y and out are `elem_size`-byte elements (1/2/4/8).
int LaunchWhere(int elem_size, const bool* cond, const void* x, const void* y, void* out,
                const StridedLayout& layout, cudaStream_t stream);
// y = x (input 0) with `elem_size`-byte elements (1/2/4/8): gathers any strided view.
int LaunchStridedCopy(int elem_size, const void* x, void* y, const StridedLayout& layout,
                      cudaStream_t stream);
// y[i] = convert(x[i]) for i < n, with cast_loops.h's rules (float -> int truncates, NaN -> 0,
// saturates; int -> narrower int wraps; anything -> bool is != 0).
int LaunchCast(ElemType from, ElemType to, const void* x, void* y, int64_t n, cudaStream_t stream);
// Sets *flag (a device int the caller zeroed) to 1 when some y[i], i < n, is 0 (or, with
// `negative`, is below 0). Integer types only: the divisor / exponent check of div, floor_mod
// and pow, which would otherwise divide by zero on the device.
int LaunchFindBadDivisor(ElemType type, const void* y, int64_t n, bool negative, int* flag,
                         cudaStream_t stream);

}  // namespace duet::cuda
