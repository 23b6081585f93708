// Integer arithmetic with defined overflow: results wrap modulo 2^bits (two's complement), as
// TF's CPU kernels behave, instead of being undefined behaviour. Signed values are computed in
// the unsigned type of the same width (C++20 defines the conversion back). Floating types get
// plain arithmetic, so functors can call these for every dtype.
// Example: WrapAdd<int32_t>(INT32_MAX, 1) == INT32_MIN; WrapDiv<int32_t>(INT32_MIN, -1) ==
// INT32_MIN.
#pragma once

#include <limits>
#include <type_traits>

namespace duet::cpu {

// The unsigned type arithmetic on T is done in (T itself for floating types).
template <class T>
using WrapType = typename std::conditional_t<std::is_integral_v<T>, std::make_unsigned<T>,
                                             std::type_identity<T>>::type;

template <class T>
constexpr T WrapAdd(T a, T b) {
  return static_cast<T>(static_cast<WrapType<T>>(a) + static_cast<WrapType<T>>(b));
}
template <class T>
constexpr T WrapSub(T a, T b) {
  return static_cast<T>(static_cast<WrapType<T>>(a) - static_cast<WrapType<T>>(b));
}
template <class T>
constexpr T WrapMul(T a, T b) {
  return static_cast<T>(static_cast<WrapType<T>>(a) * static_cast<WrapType<T>>(b));
}
template <class T>
constexpr T WrapNeg(T a) {
  return static_cast<T>(WrapType<T>(0) - static_cast<WrapType<T>>(a));
}

// Truncating integer division and remainder for b != 0 (callers reject zero divisors): the one
// overflowing case, min / -1, wraps to min (its remainder is 0) instead of trapping (SIGFPE).
template <class T>
constexpr bool IsMinOverMinusOne(T a, T b) {
  if constexpr (std::is_signed_v<T>)
    return b == T(-1) && a == std::numeric_limits<T>::min();
  else
    return false;
}
template <class T>
constexpr T WrapDiv(T a, T b) {
  return IsMinOverMinusOne(a, b) ? a : a / b;
}
template <class T>
constexpr T WrapRem(T a, T b) {
  return IsMinOverMinusOne(a, b) ? T(0) : a % b;
}

}  // namespace duet::cpu
