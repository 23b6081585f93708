// Vectorized transcendental functions over contiguous float32/float64 arrays, with the ISA
// (baseline x86-64, AVX2, AVX-512) chosen at run time.
//
// Library: Google Highway (hwy/contrib/math + HWY_DYNAMIC_DISPATCH; SLEEF only for float64 pow,
// below), not SLEEF throughout: Highway also
// gives the runtime dispatch that the other hot loops (binary ops, comparisons, where, casts,
// reductions, axpy) need once the build has no -march, so one library serves both; its math
// has documented ulp bounds. Its weakness is range: each function is valid on a stated
// interval only (sin/cos |x| <= 39000, exp without subnormal results, log of normal positives).
// So every vector of inputs is checked against the range where the vector path was validated,
// and the lanes outside it (NaN, +-inf, subnormal results, huge sin/cos arguments, log of 0 or
// negatives) are recomputed with libm: special values are exactly libm's, and the common case
// pays one compare per vector.
//
// Accuracy, in ulps against a long double reference, on every target (kernels/cpu/vmath_test.cc
// sweeps the whole float range, subnormals, infinities and NaN): exp 1, log 1, log1p 3,
// tanh 3, sigmoid 3, softplus 3, sqrt 0.5 (correctly rounded), rsqrt 1.5, sin 3, cos 3; results
// may differ between targets within these bounds (Highway uses FMA where the ISA has it).
// pow: float32 goes through float64 exp/log (<= 1 ulp); float64 through SLEEF's 1-ulp vector
// pow (libsleef-dev, the ISA's entry point per Highway target: exp(y*log x) in double would lose
// up to ~700 ulp for large results, and Highway has no double-double log), <= 1 ulp; both use
// libm for lanes whose result is 0, subnormal, inf or NaN, so special values are libm's.
// Example: VectorMath(MathFn::kTanh, x, y, n);  VectorPow(a, 1, b, 0, out, n);  // a[i] ** b[0]
#pragma once

#include <cstdint>

namespace duet::cpu {

enum class MathFn { kExp, kLog, kLog1p, kTanh, kSigmoid, kSoftplus, kSqrt, kRsqrt, kSin, kCos };

// y[i] = fn(x[i]) for i < n; x and y may be the same array.
void VectorMath(MathFn fn, const float* x, float* y, int64_t n);
void VectorMath(MathFn fn, const double* x, double* y, int64_t n);

// out[i] = pow(a[i * sa], b[i * sb]), strides 0 (a repeated scalar) or 1.
void VectorPow(const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t n);
void VectorPow(const double* a, int64_t sa, const double* b, int64_t sb, double* out, int64_t n);

}  // namespace duet::cpu
