// The unary elementwise kernels and the strided copy of gpu_elementwise.h (nvcc). Functors
// follow kernels/cpu/unary_loops.cc and scalar_math.h: neg is 0 - x, abs is x < 0 ? -x : x
// (integers wrap: abs(INT_MIN) == INT_MIN), relu is x > 0 ? x : 0 (NaN -> 0), sigmoid and
// softplus use their overflow-free forms, rsqrt is 1 / sqrt(x).
#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include "kernels/cuda/elementwise-inl.cuh"
#include "kernels/cuda/gpu_elementwise.h"

namespace duet::cuda {
namespace {

template <class C>
__device__ inline C Exp(C x) {
  if constexpr (std::is_same_v<C, float>)
    return expf(x);
  else
    return exp(x);
}
template <class C>
__device__ inline C Log1p(C x) {
  if constexpr (std::is_same_v<C, float>)
    return log1pf(x);
  else
    return log1p(x);
}

struct NegFn {
  template <class C>
  __device__ C operator()(C x) const {
    return WrapNeg(x);
  }
};
struct AbsFn {
  template <class C>
  __device__ C operator()(C x) const {
    return x < C(0) ? WrapNeg(x) : x;
  }
};
struct SquareFn {
  template <class C>
  __device__ C operator()(C x) const {
    return WrapMul(x, x);
  }
};
struct ReluFn {
  template <class C>
  __device__ C operator()(C x) const {
    return x > C(0) ? x : C(0);
  }
};
struct FloorFn {
  template <class C>
  __device__ C operator()(C x) const {
    return floor(x);
  }
};
struct ExpFn {
  template <class C>
  __device__ C operator()(C x) const {
    return Exp(x);
  }
};
struct LogFn {
  template <class C>
  __device__ C operator()(C x) const {
    return log(x);
  }
};
struct Log1pFn {
  template <class C>
  __device__ C operator()(C x) const {
    return Log1p(x);
  }
};
struct TanhFn {
  template <class C>
  __device__ C operator()(C x) const {
    return tanh(x);
  }
};
struct SigmoidFn {  // never overflows exp
  template <class C>
  __device__ C operator()(C x) const {
    if (x >= C(0)) return C(1) / (C(1) + Exp(-x));
    C e = Exp(x);
    return e / (C(1) + e);
  }
};
struct SoftplusFn {
  template <class C>
  __device__ C operator()(C x) const {
    return (x > C(0) ? x : C(0)) + Log1p(Exp(-fabs(x)));
  }
};
struct SqrtFn {
  template <class C>
  __device__ C operator()(C x) const {
    return sqrt(x);
  }
};
struct RsqrtFn {
  template <class C>
  __device__ C operator()(C x) const {
    return C(1) / sqrt(x);
  }
};
struct SinFn {
  template <class C>
  __device__ C operator()(C x) const {
    return sin(x);
  }
};
struct CosFn {
  template <class C>
  __device__ C operator()(C x) const {
    return cos(x);
  }
};
struct NotFn {
  __device__ bool operator()(bool x) const { return !x; }
};

template <class S, class Fn>
__global__ void UnaryKernel(const S* __restrict__ x, S* __restrict__ y, StridedLayout l, Fn fn) {
  for (int64_t i = GlobalThread(); i < l.num_elements; i += GridStride()) {
    int64_t off[1];
    Offsets<1>(l, i, off);
    y[i] = Io<S>::Store(fn(Io<S>::Load(x[off[0]])));
  }
}

template <class S, class Fn>
int Run(const void* x, void* y, const StridedLayout& l, cudaStream_t stream, Fn fn) {
  if (l.num_elements == 0) return 0;
  UnaryKernel<S, Fn><<<BlocksFor(l.num_elements), kThreadsPerBlock, 0, stream>>>(
      static_cast<const S*>(x), static_cast<S*>(y), l, fn);
  return static_cast<int>(cudaGetLastError());
}

// Ops for every numeric storage type; `kFloating` adds the floating-only ones.
template <class S, bool kFloating>
int Typed(UnaryOp op, const void* x, void* y, const StridedLayout& l, cudaStream_t s) {
  switch (op) {
    case UnaryOp::kNeg:
      return Run<S>(x, y, l, s, NegFn{});
    case UnaryOp::kAbs:
      return Run<S>(x, y, l, s, AbsFn{});
    case UnaryOp::kSquare:
      return Run<S>(x, y, l, s, SquareFn{});
    case UnaryOp::kRelu:
      return Run<S>(x, y, l, s, ReluFn{});
    default:
      break;
  }
  if constexpr (kFloating) {
    switch (op) {
      case UnaryOp::kFloor:
        return Run<S>(x, y, l, s, FloorFn{});
      case UnaryOp::kExp:
        return Run<S>(x, y, l, s, ExpFn{});
      case UnaryOp::kLog:
        return Run<S>(x, y, l, s, LogFn{});
      case UnaryOp::kLog1p:
        return Run<S>(x, y, l, s, Log1pFn{});
      case UnaryOp::kTanh:
        return Run<S>(x, y, l, s, TanhFn{});
      case UnaryOp::kSigmoid:
        return Run<S>(x, y, l, s, SigmoidFn{});
      case UnaryOp::kSoftplus:
        return Run<S>(x, y, l, s, SoftplusFn{});
      case UnaryOp::kSqrt:
        return Run<S>(x, y, l, s, SqrtFn{});
      case UnaryOp::kRsqrt:
        return Run<S>(x, y, l, s, RsqrtFn{});
      case UnaryOp::kSin:
        return Run<S>(x, y, l, s, SinFn{});
      case UnaryOp::kCos:
        return Run<S>(x, y, l, s, CosFn{});
      default:
        break;
    }
  }
  return kUnsupported;
}

template <class Bits>
__global__ void StridedCopyKernel(const Bits* __restrict__ x, Bits* __restrict__ y,
                                  StridedLayout l) {
  for (int64_t i = GlobalThread(); i < l.num_elements; i += GridStride()) {
    int64_t off[1];
    Offsets<1>(l, i, off);
    y[i] = x[off[0]];
  }
}

template <int Bytes>
int Copy(const void* x, void* y, const StridedLayout& l, cudaStream_t stream) {
  using Bits = typename BitsOf<Bytes>::type;
  if (l.num_elements == 0) return 0;
  StridedCopyKernel<Bits><<<BlocksFor(l.num_elements), kThreadsPerBlock, 0, stream>>>(
      static_cast<const Bits*>(x), static_cast<Bits*>(y), l);
  return static_cast<int>(cudaGetLastError());
}

}  // namespace

int LaunchUnary(UnaryOp op, ElemType type, const void* x, void* y, const StridedLayout& layout,
                cudaStream_t stream) {
  switch (type) {
    case ElemType::kF32:
      return Typed<float, true>(op, x, y, layout, stream);
    case ElemType::kF64:
      return Typed<double, true>(op, x, y, layout, stream);
    case ElemType::kI32:
      return Typed<int32_t, false>(op, x, y, layout, stream);
    case ElemType::kI64:
      return Typed<int64_t, false>(op, x, y, layout, stream);
    case ElemType::kF16:
      return Typed<F16, true>(op, x, y, layout, stream);
    case ElemType::kBF16:
      return Typed<BF16, true>(op, x, y, layout, stream);
    case ElemType::kBool:
      if (op != UnaryOp::kLogicalNot) return kUnsupported;
      return Run<bool>(x, y, layout, stream, NotFn{});
  }
  return kUnsupported;
}

int LaunchStridedCopy(int elem_size, const void* x, void* y, const StridedLayout& layout,
                      cudaStream_t stream) {
  switch (elem_size) {
    case 1:
      return Copy<1>(x, y, layout, stream);
    case 2:
      return Copy<2>(x, y, layout, stream);
    case 4:
      return Copy<4>(x, y, layout, stream);
    case 8:
      return Copy<8>(x, y, layout, stream);
    default:
      return kUnsupported;
  }
}

}  // namespace duet::cuda
