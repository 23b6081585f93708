// Scalar forms of the math functions libm lacks (sigmoid, softplus, rsqrt). They define the
// special-value results (NaN, +-inf, underflow) the vector kernels in vmath.cc fall back to.
// Example: ScalarSigmoid(-1000.f) == 0.f; ScalarSoftplus(1e30) == 1e30.
#pragma once

#include <cmath>

namespace duet::cpu {

template <class T>
T ScalarSigmoid(T x) {  // never overflows exp
  if (x >= 0) return T(1) / (T(1) + std::exp(-x));
  T e = std::exp(x);
  return e / (T(1) + e);
}

template <class T>
T ScalarSoftplus(T x) {
  return (x > 0 ? x : T(0)) + std::log1p(std::exp(-std::abs(x)));
}

template <class T>
T ScalarRsqrt(T x) {
  return T(1) / std::sqrt(x);
}

}  // namespace duet::cpu
