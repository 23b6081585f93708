// Element conversion between any two dtypes, with every case defined (no UB):
// float -> int truncates toward zero, NaN becomes 0 and out-of-range values saturate;
// int -> narrower int wraps (two's complement, like NumPy and TF); anything -> bool is != 0;
// float16/bfloat16 convert through float32.
// Example: ConvertTo<int32_t>(-1.7f) == -1; ConvertTo<int32_t>(1e10) == INT32_MAX; Cast(x, out).
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "runtime/half.h"
#include "runtime/tensor.h"

namespace duet::cpu {

template <class T>
inline constexpr bool kIsHalfLike = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

template <class To, class From>
To ConvertTo(From v) {
  if constexpr (kIsHalfLike<From>) {
    return ConvertTo<To>(static_cast<float>(v));
  } else if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (kIsHalfLike<To>) {
    return To(static_cast<float>(v));
  } else if constexpr (std::is_integral_v<To> && std::is_floating_point_v<From>) {
    // Bounds are powers of two, exact in double: [-2^(b-1), 2^(b-1)) is representable.
    double d = static_cast<double>(v);
    constexpr double kLimit = static_cast<double>(std::numeric_limits<To>::max()) + 1.0;
    if (d != d) return To(0);
    if (d >= kLimit) return std::numeric_limits<To>::max();
    if (d < -kLimit) return std::numeric_limits<To>::min();
    return static_cast<To>(d);
  } else if constexpr (std::is_same_v<To, float> && std::is_same_v<From, double>) {
    // Out-of-range double->float is undefined in C++; round as IEEE does (to +-max or +-inf).
    constexpr double kMax = std::numeric_limits<float>::max();
    constexpr double kInfFrom = 0x1p128 - 0x1p103;  // halfway between max and the next power
    double m = v < 0 ? -v : v;
    if (m > kMax)
      return static_cast<float>(m >= kInfFrom ? std::numeric_limits<float>::infinity() : kMax) *
             (v < 0 ? -1.f : 1.f);
    return static_cast<float>(v);
  } else {
    return static_cast<To>(v);  // int<->int wraps (C++20), int->float rounds, bool -> 0/1
  }
}

// out = x converted elementwise to out's dtype (same shape; any two of the 7 dtypes).
void Cast(const Tensor& x, Tensor& out);

}  // namespace duet::cpu
