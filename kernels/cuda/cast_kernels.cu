// LaunchCast of gpu_elementwise.h (nvcc): every pair of the 7 element types, with the rules of
// kernels/cpu/cast_loops.h: float -> int truncates toward zero, NaN becomes 0 and out-of-range
// values saturate; int -> narrower int wraps; anything -> bool is != 0; float16/bfloat16
// convert through float32; double -> float rounds to nearest (to +-max or +-inf out of range).
#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include "kernels/cuda/elementwise-inl.cuh"
#include "kernels/cuda/gpu_elementwise.h"

namespace duet::cuda {
namespace {

template <class T>
inline constexpr bool kIsHalfLike = std::is_same_v<T, F16> || std::is_same_v<T, BF16>;

template <class T>
struct IntLimits;
template <>
struct IntLimits<int32_t> {
  static constexpr int32_t kMin = -2147483647 - 1, kMax = 2147483647;
};
template <>
struct IntLimits<int64_t> {
  static constexpr int64_t kMin = -9223372036854775807LL - 1, kMax = 9223372036854775807LL;
};

template <class To, class From>
__device__ To ConvertTo(From v) {
  if constexpr (kIsHalfLike<From>) {
    return ConvertTo<To>(Io<From>::Load(v));
  } else if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (kIsHalfLike<To>) {
    return Io<To>::Store(static_cast<float>(v));
  } else if constexpr (std::is_integral_v<To> && std::is_floating_point_v<From>) {
    // Bounds are powers of two, exact in double: [-2^(b-1), 2^(b-1)) is representable.
    double d = static_cast<double>(v);
    constexpr double kLimit = static_cast<double>(IntLimits<To>::kMax) + 1.0;
    if (d != d) return To(0);
    if (d >= kLimit) return IntLimits<To>::kMax;
    if (d < -kLimit) return IntLimits<To>::kMin;
    return static_cast<To>(d);
  } else if constexpr (std::is_same_v<To, float> && std::is_same_v<From, double>) {
    constexpr double kMax = 3.4028234663852886e38;  // FLT_MAX
    constexpr double kInfFrom = 0x1p128 - 0x1p103;  // halfway between max and the next power
    double m = v < 0 ? -v : v;
    if (m > kMax)
      return static_cast<float>(m >= kInfFrom ? __int_as_float(0x7f800000) : kMax) *
             (v < 0 ? -1.f : 1.f);
    return static_cast<float>(v);
  } else {
    return static_cast<To>(v);  // int<->int wraps, int->float rounds, bool -> 0/1
  }
}

template <class From, class To>
__global__ void CastKernel(const From* __restrict__ x, To* __restrict__ y, int64_t n) {
  for (int64_t i = GlobalThread(); i < n; i += GridStride()) y[i] = ConvertTo<To>(x[i]);
}

template <class From, class To>
int Run(const void* x, void* y, int64_t n, cudaStream_t stream) {
  if (n == 0) return 0;
  CastKernel<From, To><<<BlocksFor(n), kThreadsPerBlock, 0, stream>>>(static_cast<const From*>(x),
                                                                      static_cast<To*>(y), n);
  return static_cast<int>(cudaGetLastError());
}

// Calls fn(T{}) with T the storage type of `type`.
template <class Fn>
int Visit(ElemType type, Fn fn) {
  switch (type) {
    case ElemType::kF32:
      return fn(float{});
    case ElemType::kF64:
      return fn(double{});
    case ElemType::kI32:
      return fn(int32_t{});
    case ElemType::kI64:
      return fn(int64_t{});
    case ElemType::kBool:
      return fn(bool{});
    case ElemType::kF16:
      return fn(F16{});
    case ElemType::kBF16:
      return fn(BF16{});
  }
  return kUnsupported;
}

}  // namespace

int LaunchCast(ElemType from, ElemType to, const void* x, void* y, int64_t n, cudaStream_t stream) {
  return Visit(from, [&](auto from_tag) {
    return Visit(to, [&](auto to_tag) {
      return Run<decltype(from_tag), decltype(to_tag)>(x, y, n, stream);
    });
  });
}

}  // namespace duet::cuda
