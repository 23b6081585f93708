// The broadcasting binary kernels, where, and the integer divisor check of gpu_elementwise.h
// (nvcc). Functors follow kernels/cpu/binary_loops.cc: integer +, -, *, ** wrap, division
// floors, INT_MIN / -1 wraps to INT_MIN (its remainder is 0), floor_mod takes the divisor's
// sign, float maximum/minimum return NaN when either side is NaN (a + b), relu_grad is
// x > 0 ? dy : 0. float32 pow is powf (CUDA's documented ulp bound, not the CPU's 1 ulp).
#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include "kernels/cuda/elementwise-inl.cuh"
#include "kernels/cuda/gpu_elementwise.h"

namespace duet::cuda {
namespace {

template <class C>
__device__ inline bool IsNan(C x) {
  if constexpr (std::is_floating_point_v<C>)
    return x != x;
  else
    return false;
}

template <class T>
__device__ inline T FloorDiv(T a, T b) {
  T q = WrapDiv(a, b);
  return (WrapRem(a, b) != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
template <class T>
__device__ inline T FloorModInt(T a, T b) {
  T r = WrapRem(a, b);
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

struct AddFn {
  template <class C>
  __device__ C operator()(C a, C b) const {
    return WrapAdd(a, b);
  }
};
struct SubFn {
  template <class C>
  __device__ C operator()(C a, C b) const {
    return WrapSub(a, b);
  }
};
struct MulFn {
  template <class C>
  __device__ C operator()(C a, C b) const {
    return WrapMul(a, b);
  }
};
struct DivFn {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>)
      return FloorDiv(a, b);
    else
      return a / b;
  }
};
struct PowFn {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>) {
      C result = 1;
      for (; b > 0; b >>= 1, a = WrapMul(a, a))
        if (b & 1) result = WrapMul(result, a);
      return result;
    } else if constexpr (std::is_same_v<C, float>) {
      return powf(a, b);
    } else {
      return pow(a, b);
    }
  }
};
struct MaxFn {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if (IsNan(a) || IsNan(b)) return a + b;
    return a > b ? a : b;
  }
};
struct MinFn {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if (IsNan(a) || IsNan(b)) return a + b;
    return a < b ? a : b;
  }
};
struct FloorModFn {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>) {
      return FloorModInt(a, b);
    } else {
      C r = fmod(a, b);
      return (r != C(0) && ((r < C(0)) != (b < C(0)))) ? r + b : r;
    }
  }
};
struct ReluGradFn {
  template <class C>
  __device__ C operator()(C dy, C x) const {
    return x > C(0) ? dy : C(0);
  }
};
struct EqFn {
  template <class C>
  __device__ bool operator()(C a, C b) const {
    return a == b;
  }
};
struct NeFn {
  template <class C>
  __device__ bool operator()(C a, C b) const {
    return a != b;
  }
};
struct LtFn {
  template <class C>
  __device__ bool operator()(C a, C b) const {
    return a < b;
  }
};
struct LeFn {
  template <class C>
  __device__ bool operator()(C a, C b) const {
    return a <= b;
  }
};
struct GtFn {
  template <class C>
  __device__ bool operator()(C a, C b) const {
    return a > b;
  }
};
struct GeFn {
  template <class C>
  __device__ bool operator()(C a, C b) const {
    return a >= b;
  }
};
struct AndFn {
  __device__ bool operator()(bool a, bool b) const { return a && b; }
};
struct OrFn {
  __device__ bool operator()(bool a, bool b) const { return a || b; }
};

template <class S, class Out, class Fn>
__global__ void BinaryKernel(const S* __restrict__ a, const S* __restrict__ b,
                             Out* __restrict__ out, StridedLayout l, Fn fn) {
  for (int64_t i = GlobalThread(); i < l.num_elements; i += GridStride()) {
    int64_t off[2];
    Offsets<2>(l, i, off);
    out[i] = Io<Out>::Store(fn(Io<S>::Load(a[off[0]]), Io<S>::Load(b[off[1]])));
  }
}

template <class S, class Out, class Fn>
int Run(const void* a, const void* b, void* out, const StridedLayout& l, cudaStream_t stream,
        Fn fn) {
  if (l.num_elements == 0) return 0;
  BinaryKernel<S, Out, Fn><<<BlocksFor(l.num_elements), kThreadsPerBlock, 0, stream>>>(
      static_cast<const S*>(a), static_cast<const S*>(b), static_cast<Out*>(out), l, fn);
  return static_cast<int>(cudaGetLastError());
}

template <class S>
int Comparison(BinaryOp op, const void* a, const void* b, void* out, const StridedLayout& l,
               cudaStream_t s) {
  switch (op) {
    case BinaryOp::kEqual:
      return Run<S, bool>(a, b, out, l, s, EqFn{});
    case BinaryOp::kNotEqual:
      return Run<S, bool>(a, b, out, l, s, NeFn{});
    case BinaryOp::kLess:
      return Run<S, bool>(a, b, out, l, s, LtFn{});
    case BinaryOp::kLessEqual:
      return Run<S, bool>(a, b, out, l, s, LeFn{});
    case BinaryOp::kGreater:
      return Run<S, bool>(a, b, out, l, s, GtFn{});
    case BinaryOp::kGreaterEqual:
      return Run<S, bool>(a, b, out, l, s, GeFn{});
    default:
      return kUnsupported;
  }
}

template <class S>
int Arithmetic(BinaryOp op, const void* a, const void* b, void* out, const StridedLayout& l,
               cudaStream_t s) {
  switch (op) {
    case BinaryOp::kAdd:
      return Run<S, S>(a, b, out, l, s, AddFn{});
    case BinaryOp::kSub:
      return Run<S, S>(a, b, out, l, s, SubFn{});
    case BinaryOp::kMul:
      return Run<S, S>(a, b, out, l, s, MulFn{});
    case BinaryOp::kDiv:
      return Run<S, S>(a, b, out, l, s, DivFn{});
    case BinaryOp::kPow:
      return Run<S, S>(a, b, out, l, s, PowFn{});
    case BinaryOp::kMaximum:
      return Run<S, S>(a, b, out, l, s, MaxFn{});
    case BinaryOp::kMinimum:
      return Run<S, S>(a, b, out, l, s, MinFn{});
    case BinaryOp::kFloorMod:
      return Run<S, S>(a, b, out, l, s, FloorModFn{});
    case BinaryOp::kReluGrad:
      return Run<S, S>(a, b, out, l, s, ReluGradFn{});
    default:
      return Comparison<S>(op, a, b, out, l, s);
  }
}

template <class Bits>
__global__ void WhereKernel(const bool* __restrict__ cond, const Bits* __restrict__ x,
                            const Bits* __restrict__ y, Bits* __restrict__ out, StridedLayout l) {
  for (int64_t i = GlobalThread(); i < l.num_elements; i += GridStride()) {
    int64_t off[3];
    Offsets<3>(l, i, off);
    out[i] = cond[off[0]] ? x[off[1]] : y[off[2]];
  }
}

template <int Bytes>
int Where(const bool* cond, const void* x, const void* y, void* out, const StridedLayout& l,
          cudaStream_t stream) {
  using Bits = typename BitsOf<Bytes>::type;
  if (l.num_elements == 0) return 0;
  WhereKernel<Bits><<<BlocksFor(l.num_elements), kThreadsPerBlock, 0, stream>>>(
      cond, static_cast<const Bits*>(x), static_cast<const Bits*>(y), static_cast<Bits*>(out), l);
  return static_cast<int>(cudaGetLastError());
}

template <class T>
__global__ void BadDivisorKernel(const T* __restrict__ y, int64_t n, bool negative, int* flag) {
  for (int64_t i = GlobalThread(); i < n; i += GridStride()) {
    const T v = y[i];
    if (negative ? v < 0 : v == 0) *flag = 1;  // every writer stores the same value
  }
}

template <class T>
int BadDivisor(const void* y, int64_t n, bool negative, int* flag, cudaStream_t stream) {
  if (n == 0) return 0;
  BadDivisorKernel<T>
      <<<BlocksFor(n), kThreadsPerBlock, 0, stream>>>(static_cast<const T*>(y), n, negative, flag);
  return static_cast<int>(cudaGetLastError());
}

}  // namespace

int LaunchBinary(BinaryOp op, ElemType type, const void* a, const void* b, void* out,
                 const StridedLayout& layout, cudaStream_t stream) {
  switch (type) {
    case ElemType::kF32:
      return Arithmetic<float>(op, a, b, out, layout, stream);
    case ElemType::kF64:
      return Arithmetic<double>(op, a, b, out, layout, stream);
    case ElemType::kI32:
      return Arithmetic<int32_t>(op, a, b, out, layout, stream);
    case ElemType::kI64:
      return Arithmetic<int64_t>(op, a, b, out, layout, stream);
    case ElemType::kF16:
      return Arithmetic<F16>(op, a, b, out, layout, stream);
    case ElemType::kBF16:
      return Arithmetic<BF16>(op, a, b, out, layout, stream);
    case ElemType::kBool:
      if (op == BinaryOp::kLogicalAnd) return Run<bool, bool>(a, b, out, layout, stream, AndFn{});
      if (op == BinaryOp::kLogicalOr) return Run<bool, bool>(a, b, out, layout, stream, OrFn{});
      return Comparison<bool>(op, a, b, out, layout, stream);
  }
  return kUnsupported;
}

int LaunchWhere(int elem_size, const bool* cond, const void* x, const void* y, void* out,
                const StridedLayout& layout, cudaStream_t stream) {
  switch (elem_size) {
    case 1:
      return Where<1>(cond, x, y, out, layout, stream);
    case 2:
      return Where<2>(cond, x, y, out, layout, stream);
    case 4:
      return Where<4>(cond, x, y, out, layout, stream);
    case 8:
      return Where<8>(cond, x, y, out, layout, stream);
    default:
      return kUnsupported;
  }
}

int LaunchFindBadDivisor(ElemType type, const void* y, int64_t n, bool negative, int* flag,
                         cudaStream_t stream) {
  switch (type) {
    case ElemType::kI32:
      return BadDivisor<int32_t>(y, n, negative, flag, stream);
    case ElemType::kI64:
      return BadDivisor<int64_t>(y, n, negative, flag, stream);
    default:
      return kUnsupported;
  }
}

}  // namespace duet::cuda
