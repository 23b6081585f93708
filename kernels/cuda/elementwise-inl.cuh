// Device-side building blocks of the elementwise .cu files (nvcc only): 16-bit float storage
// with the same round-to-nearest-even conversions as runtime/half.h, load/store between
// storage and compute types, wrapping integer arithmetic as kernels/cpu/wrapping_int.h, the
// strided offset walk of a StridedLayout, and grid sizing.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include "kernels/cuda/gpu_elementwise.h"

namespace duet::cuda {

// 16-bit storage types (their bits; arithmetic happens in float).
struct F16 {
  uint16_t bits;
};
struct BF16 {
  uint16_t bits;
};

__device__ inline float HalfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
  if (exp == 0) {  // zero or subnormal
    float f = static_cast<float>(man) / 16777216.0f;
    return sign ? -f : f;
  }
  if (exp == 31) return __uint_as_float(sign | 0x7f800000u | (man << 13));
  return __uint_as_float(sign | ((exp + 112) << 23) | (man << 13));
}

__device__ inline uint16_t FloatToHalf(float f) {
  uint32_t x = __float_as_uint(f);
  uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t mag = x & 0x7fffffffu;
  if (mag > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u);   // NaN
  if (mag >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // overflow -> inf
  if (mag < 0x38800000u) {  // subnormal half (or zero): scale into the integer mantissa
    float scaled = __uint_as_float(mag) * 16777216.0f;  // * 2^24: exact
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(rintf(scaled)));
  }
  uint32_t rounded = mag + 0xfffu + ((mag >> 13) & 1u);  // round to nearest even
  return static_cast<uint16_t>(sign | ((rounded - 0x38000000u) >> 13));
}

__device__ inline float BFloat16ToFloat(uint16_t b) {
  return __uint_as_float(static_cast<uint32_t>(b) << 16);
}

__device__ inline uint16_t FloatToBFloat16(float f) {
  uint32_t u = __float_as_uint(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return 0x7fc0;  // NaN stays NaN
  u += 0x7fffu + ((u >> 16) & 1u);                     // round to nearest even
  return static_cast<uint16_t>(u >> 16);
}

// Storage type S <-> its compute type Io<S>::C.
template <class S>
struct Io {
  using C = S;
  __device__ static C Load(S s) { return s; }
  __device__ static S Store(C c) { return c; }
};
template <>
struct Io<F16> {
  using C = float;
  __device__ static float Load(F16 s) { return HalfToFloat(s.bits); }
  __device__ static F16 Store(float c) { return F16{FloatToHalf(c)}; }
};
template <>
struct Io<BF16> {
  using C = float;
  __device__ static float Load(BF16 s) { return BFloat16ToFloat(s.bits); }
  __device__ static BF16 Store(float c) { return BF16{FloatToBFloat16(c)}; }
};

// Integer arithmetic that wraps modulo 2^bits (computed in the unsigned type); floating types
// get plain arithmetic.
template <class T>
using WrapType = typename std::conditional_t<std::is_integral_v<T>, std::make_unsigned<T>,
                                             std::common_type<T>>::type;
template <class T>
__device__ inline T WrapAdd(T a, T b) {
  return static_cast<T>(static_cast<WrapType<T>>(a) + static_cast<WrapType<T>>(b));
}
template <class T>
__device__ inline T WrapSub(T a, T b) {
  return static_cast<T>(static_cast<WrapType<T>>(a) - static_cast<WrapType<T>>(b));
}
template <class T>
__device__ inline T WrapMul(T a, T b) {
  return static_cast<T>(static_cast<WrapType<T>>(a) * static_cast<WrapType<T>>(b));
}
template <class T>
__device__ inline T WrapNeg(T a) {
  return static_cast<T>(WrapType<T>(0) - static_cast<WrapType<T>>(a));
}
// Truncating division and remainder for b != 0; min / -1 wraps to min (remainder 0).
template <class T>
__device__ inline bool IsMinOverMinusOne(T a, T b) {
  if constexpr (std::is_signed_v<T>) {
    constexpr T kMin = static_cast<T>(WrapType<T>(1) << (sizeof(T) * 8 - 1));
    return b == T(-1) && a == kMin;
  } else {
    return false;
  }
}
template <class T>
__device__ inline T WrapDiv(T a, T b) {
  return IsMinOverMinusOne(a, b) ? a : a / b;
}
template <class T>
__device__ inline T WrapRem(T a, T b) {
  return IsMinOverMinusOne(a, b) ? T(0) : a % b;
}

// Element offsets into each of the first K inputs for output element i.
template <int K>
__device__ inline void Offsets(const StridedLayout& l, int64_t i, int64_t (&off)[K]) {
#pragma unroll
  for (int k = 0; k < K; ++k) off[k] = 0;
  if (l.rank == 1) {  // the common case after collapsing: no division
#pragma unroll
    for (int k = 0; k < K; ++k) off[k] = i * l.strides[k][0];
    return;
  }
  for (int d = l.rank - 1; d >= 0; --d) {
    const int64_t dim = l.dims[d];
    const int64_t c = i % dim;
    i /= dim;
#pragma unroll
    for (int k = 0; k < K; ++k) off[k] += c * l.strides[k][d];
  }
}

__device__ inline int64_t GlobalThread() {
  return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ inline int64_t GridStride() { return static_cast<int64_t>(blockDim.x) * gridDim.x; }

inline unsigned BlocksFor(int64_t n) {
  int64_t blocks = (n + kThreadsPerBlock - 1) / kThreadsPerBlock;
  return static_cast<unsigned>(blocks < 1 ? 1 : (blocks > kMaxBlocks ? kMaxBlocks : blocks));
}

// The same-width unsigned type that moves `Bytes`-byte elements as bits.
template <int Bytes>
struct BitsOf;
template <>
struct BitsOf<1> {
  using type = uint8_t;
};
template <>
struct BitsOf<2> {
  using type = uint16_t;
};
template <>
struct BitsOf<4> {
  using type = uint32_t;
};
template <>
struct BitsOf<8> {
  using type = uint64_t;
};

}  // namespace duet::cuda
