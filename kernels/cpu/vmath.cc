// Per-target bodies of vmath.h (compiled once per Highway target by foreach_target.h) and the
// dispatching entry points. Each function is a "fast" vector body plus the mask of lanes on
// which that body is valid; other lanes are recomputed with the scalar libm form.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/cpu/vmath.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <cmath>
#include <cstring>

#include <immintrin.h>  // SLEEF's vector types

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "kernels/cpu/scalar_math.h"
#include "kernels/cpu/vmath.h"

HWY_BEFORE_NAMESPACE();
namespace duet::cpu::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Validated input ranges. exp's lower limit keeps results normal (Highway builds 2^k from the
// exponent bits and cannot produce subnormals); its upper limit keeps them finite.
template <class T>
struct Limits;
template <>
struct Limits<float> {
  static constexpr float kExpLo = -87.0f, kExpHi = 88.5f, kTrig = 39000.0f;
  static constexpr float kMinNormal = 1.17549435e-38f, kMax = 3.40282347e38f;
};
template <>
struct Limits<double> {
  static constexpr double kExpLo = -708.0, kExpHi = 709.0, kTrig = 39000.0;
  static constexpr double kMinNormal = 2.2250738585072014e-308, kMax = 1.7976931348623157e308;
};

template <class T>
T Scalar(MathFn fn, T x) {
  switch (fn) {
    case MathFn::kExp:
      return std::exp(x);
    case MathFn::kLog:
      return std::log(x);
    case MathFn::kLog1p:
      return std::log1p(x);
    case MathFn::kTanh:
      return std::tanh(x);
    case MathFn::kSigmoid:
      return ScalarSigmoid(x);
    case MathFn::kSoftplus:
      return ScalarSoftplus(x);
    case MathFn::kSqrt:
      return std::sqrt(x);
    case MathFn::kRsqrt:
      return ScalarRsqrt(x);
    case MathFn::kSin:
      return std::sin(x);
    case MathFn::kCos:
      return std::cos(x);
  }
  return x;
}

// Returns fn(v) on the lanes where `ok` is set; the others are fixed up by the caller. (sqrt and
// rsqrt need no fix-up: MapArrayExact.)
template <MathFn kFn, class D, class V = hn::Vec<D>>
HWY_INLINE V Fast(D d, V v, hn::Mask<D>& ok) {
  using T = hn::TFromD<D>;
  using L = Limits<T>;
  const V one = hn::Set(d, T(1));
  if constexpr (kFn == MathFn::kExp) {
    ok = hn::And(v >= hn::Set(d, L::kExpLo), v <= hn::Set(d, L::kExpHi));
    return hn::Exp(d, v);
  } else if constexpr (kFn == MathFn::kLog) {
    ok = hn::And(v >= hn::Set(d, L::kMinNormal), v <= hn::Set(d, L::kMax));
    return hn::Log(d, hn::IfThenElse(ok, v, one));
  } else if constexpr (kFn == MathFn::kLog1p) {
    ok = hn::And(v > hn::Set(d, T(-1)), v <= hn::Set(d, L::kMax));
    return hn::Log1p(d, hn::IfThenElse(ok, v, hn::Zero(d)));
  } else if constexpr (kFn == MathFn::kTanh) {
    ok = hn::Abs(v) <= hn::Set(d, L::kMax);
    return hn::Tanh(d, hn::IfThenElse(ok, v, hn::Zero(d)));
  } else if constexpr (kFn == MathFn::kSigmoid) {
    // e = exp(-|x|) never overflows; |x| is capped where 1/(1+e) is already 1 (x -> +inf).
    ok = v >= hn::Set(d, L::kExpLo);
    const V e = hn::Exp(d, hn::Neg(hn::Min(hn::Abs(v), hn::Set(d, -L::kExpLo))));
    const V r = hn::Div(one, hn::Add(one, e));
    return hn::IfThenElse(v >= hn::Zero(d), r, hn::Mul(e, r));
  } else if constexpr (kFn == MathFn::kSoftplus) {
    // max(x, 0) + log1p(exp(-|x|)); beyond the cap exp(-|x|) no longer changes x.
    ok = v >= hn::Set(d, L::kExpLo);
    const V e = hn::Exp(d, hn::Neg(hn::Min(hn::Abs(v), hn::Set(d, -L::kExpLo))));
    return hn::Add(hn::Max(v, hn::Zero(d)), hn::Log1p(d, e));
  } else if constexpr (kFn == MathFn::kSin) {
    ok = hn::Abs(v) <= hn::Set(d, L::kTrig);
    const V r = hn::Sin(d, hn::IfThenElse(ok, v, hn::Zero(d)));
    return hn::IfThenElse(v == hn::Zero(d), v, r);  // sin(-0) is -0
  } else {
    ok = hn::Abs(v) <= hn::Set(d, L::kTrig);
    return hn::Cos(d, hn::IfThenElse(ok, v, hn::Zero(d)));
  }
}

// One vector: the fast body, then libm on the lanes outside its range. x and y may alias.
template <MathFn kFn, class D, class T = hn::TFromD<D>>
HWY_INLINE void MapVector(D d, const T* x, T* y) {
  hn::Mask<D> ok;
  const auto v = hn::LoadU(d, x);
  const auto r = Fast<kFn>(d, v, ok);
  if (HWY_LIKELY(hn::AllTrue(d, ok))) return hn::StoreU(r, d, y);
  HWY_ALIGN T in[hn::MaxLanes(d)];
  HWY_ALIGN T flags[hn::MaxLanes(d)];
  hn::Store(v, d, in);
  hn::Store(hn::IfThenElseZero(ok, hn::Set(d, T(1))), d, flags);
  hn::StoreU(r, d, y);
  for (size_t l = 0; l < hn::Lanes(d); ++l)
    if (flags[l] == T(0)) y[l] = Scalar(kFn, in[l]);
}

template <MathFn kFn, class T>
void MapArray(const T* x, T* y, int64_t n) {
  const hn::ScalableTag<T> d;
  const int64_t lanes = static_cast<int64_t>(hn::Lanes(d));
  int64_t i = 0;
  for (; i + lanes <= n; i += lanes) MapVector<kFn>(d, x + i, y + i);
  if (i == n) return;
  HWY_ALIGN T buf[hn::MaxLanes(d)];
  for (int64_t l = 0; l < lanes; ++l) buf[l] = i + l < n ? x[i + l] : T(1);
  MapVector<kFn>(d, buf, buf);
  std::memcpy(y + i, buf, sizeof(T) * static_cast<size_t>(n - i));
}

// sqrt and rsqrt are exact IEEE operations on every lane (no range to check): a plain loop,
// four vectors per iteration so that loads run ahead of the long-latency sqrt. At [1M] it is
// bound by memory bandwidth (BENCHMARKS.md; non-temporal stores would save the output's
// read-for-ownership but make the next op read it from DRAM, a net loss in a chain).
template <MathFn kFn, class T>
void MapArrayExact(const T* x, T* y, int64_t n) {  // x and y may be the same array
  static_assert(kFn == MathFn::kSqrt || kFn == MathFn::kRsqrt);
  const hn::ScalableTag<T> d;
  const auto f = [&](hn::Vec<decltype(d)> v) {
    if constexpr (kFn == MathFn::kSqrt) return hn::Sqrt(v);
    return hn::Div(hn::Set(d, T(1)), hn::Sqrt(v));
  };
  const int64_t lanes = static_cast<int64_t>(hn::Lanes(d));
  int64_t i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    const auto v0 = hn::LoadU(d, x + i), v1 = hn::LoadU(d, x + i + lanes),
               v2 = hn::LoadU(d, x + i + 2 * lanes), v3 = hn::LoadU(d, x + i + 3 * lanes);
    hn::StoreU(f(v0), d, y + i);
    hn::StoreU(f(v1), d, y + i + lanes);
    hn::StoreU(f(v2), d, y + i + 2 * lanes);
    hn::StoreU(f(v3), d, y + i + 3 * lanes);
  }
  for (; i + lanes <= n; i += lanes) hn::StoreU(f(hn::LoadU(d, x + i)), d, y + i);
  if (i == n) return;
  HWY_ALIGN T buf[hn::MaxLanes(d)];
  for (int64_t l = 0; l < lanes; ++l) buf[l] = i + l < n ? x[i + l] : T(1);
  hn::Store(f(hn::Load(d, buf)), d, buf);
  std::memcpy(y + i, buf, sizeof(T) * static_cast<size_t>(n - i));
}

template <class T>
void MathImpl(MathFn fn, const T* x, T* y, int64_t n) {
  switch (fn) {
    case MathFn::kExp:
      return MapArray<MathFn::kExp>(x, y, n);
    case MathFn::kLog:
      return MapArray<MathFn::kLog>(x, y, n);
    case MathFn::kLog1p:
      return MapArray<MathFn::kLog1p>(x, y, n);
    case MathFn::kTanh:
      return MapArray<MathFn::kTanh>(x, y, n);
    case MathFn::kSigmoid:
      return MapArray<MathFn::kSigmoid>(x, y, n);
    case MathFn::kSoftplus:
      return MapArray<MathFn::kSoftplus>(x, y, n);
    case MathFn::kSqrt:
      return MapArrayExact<MathFn::kSqrt>(x, y, n);
    case MathFn::kRsqrt:
      return MapArrayExact<MathFn::kRsqrt>(x, y, n);
    case MathFn::kSin:
      return MapArray<MathFn::kSin>(x, y, n);
    case MathFn::kCos:
      return MapArray<MathFn::kCos>(x, y, n);
  }
}

void MathF32(MathFn fn, const float* x, float* y, int64_t n) { MathImpl(fn, x, y, n); }
void MathF64(MathFn fn, const double* x, double* y, int64_t n) { MathImpl(fn, x, y, n); }

// float32 pow through float64 exp(y * log x): the double intermediate keeps the float result
// within 1 ulp. Valid (`ok`) for normal positive finite x, finite y and a normal finite result;
// the caller recomputes the other lanes with libm. DF has half as many lanes as a full vector,
// so that it promotes to one full double vector.
template <class DF, class VF = hn::Vec<DF>>
HWY_INLINE VF PowFast(DF df, VF x, VF y, hn::Mask<DF>& ok) {
  using L = Limits<float>;
  const hn::Rebind<double, DF> dd;
  ok = hn::And(x >= hn::Set(df, L::kMinNormal), x <= hn::Set(df, L::kMax));
  ok = hn::And(ok, hn::Abs(y) <= hn::Set(df, L::kMax));
  const VF xs = hn::IfThenElse(ok, x, hn::Set(df, 1.0f));
  const auto t = hn::Mul(hn::PromoteTo(dd, y), hn::Log(dd, hn::PromoteTo(dd, xs)));
  const auto t_ok =
      hn::And(t >= hn::Set(dd, double{L::kExpLo}), t <= hn::Set(dd, double{L::kExpHi}));
  const auto r = hn::Exp(dd, hn::IfThenElse(t_ok, t, hn::Zero(dd)));
  // The double mask as a float one (masks of different lane sizes do not rebind directly).
  const VF t_ok_f = hn::DemoteTo(df, hn::IfThenElseZero(t_ok, hn::Set(dd, 1.0)));
  ok = hn::And(ok, t_ok_f != hn::Zero(df));
  return hn::DemoteTo(df, r);
}

// One vector of pow from values already in registers; lanes outside the fast range get libm.
// Safe when `out` aliases an input: the fix-up reads the lanes from x and y, not memory.
template <class DF, class VF = hn::Vec<DF>>
HWY_INLINE void PowStore(DF df, VF x, VF y, float* out, int64_t m) {
  hn::Mask<DF> ok;
  const VF r = PowFast(df, x, y, ok);
  const int64_t lanes = static_cast<int64_t>(hn::Lanes(df));
  if (HWY_LIKELY(m == lanes && hn::AllTrue(df, ok))) return hn::StoreU(r, df, out);
  HWY_ALIGN float vx[hn::MaxLanes(df)], vy[hn::MaxLanes(df)], vr[hn::MaxLanes(df)],
      flags[hn::MaxLanes(df)];
  hn::Store(x, df, vx);
  hn::Store(y, df, vy);
  hn::Store(r, df, vr);
  hn::Store(hn::IfThenElseZero(ok, hn::Set(df, 1.0f)), df, flags);
  for (int64_t l = 0; l < m; ++l) out[l] = flags[l] != 0.0f ? vr[l] : std::pow(vx[l], vy[l]);
}

// Strides are 0 (a repeated scalar) or 1 (contiguous), as the broadcasting loops pass them.
void PowF32(const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t n) {
  const hn::ScalableTag<double> dd;
  const hn::Rebind<float, decltype(dd)> df;
  const int64_t lanes = static_cast<int64_t>(hn::Lanes(df));
  const auto load = [&](const float* p, int64_t s, int64_t i) {
    return s == 0 ? hn::Set(df, p[0]) : hn::LoadU(df, p + i);
  };
  int64_t i = 0;
  for (; i + lanes <= n; i += lanes) PowStore(df, load(a, sa, i), load(b, sb, i), out + i, lanes);
  if (i == n) return;
  HWY_ALIGN float va[hn::MaxLanes(df)], vb[hn::MaxLanes(df)];
  for (int64_t l = 0; l < lanes; ++l) {
    va[l] = i + l < n ? a[(i + l) * sa] : 1.0f;
    vb[l] = i + l < n ? b[(i + l) * sb] : 1.0f;
  }
  PowStore(df, hn::Load(df, va), hn::Load(df, vb), out + i, n - i);
}

// float64 pow: SLEEF's 1-ulp vector pow for this target's width, libm on the lanes whose
// result is not a normal finite number (zeros, infinities, NaN, subnormals), so every special
// value is libm's. SLEEF stays within 1 ulp where exp(y * log x) in double does not (that loses
// ~700 ulp for large results): it carries log x in double-double.
//
// libsleef's per-ISA entry points, declared here (sleef.h declares them only under -mavx2
// etc.), each once, in the pass of the target whose registers it takes. The baseline target
// (SCALAR/EMU128: plain x86-64) takes SSE2's, which every x86-64 CPU has.
#if HWY_TARGET == HWY_AVX2
extern "C" __m256d Sleef_powd4_u10avx2(__m256d, __m256d);
#elif HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
extern "C" __m512d Sleef_powd8_u10avx512f(__m512d, __m512d);
#elif HWY_TARGET == HWY_SCALAR || HWY_TARGET == HWY_EMU128
extern "C" __m128d Sleef_powd2_u10sse2(__m128d, __m128d);
#endif

bool IsNormalFinite(double r) {
  return std::fabs(r) >= Limits<double>::kMinNormal && std::fabs(r) <= Limits<double>::kMax;
}

#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
template <class D, class V = hn::Vec<D>>
HWY_INLINE V PowF64Vector(D, V x, V y) {
#if HWY_TARGET == HWY_AVX2
  return V{Sleef_powd4_u10avx2(x.raw, y.raw)};
#else
  return V{Sleef_powd8_u10avx512f(x.raw, y.raw)};
#endif
}

template <class D, class V = hn::Vec<D>>
HWY_INLINE void PowF64Store(D d, V x, V y, double* out, int64_t m) {
  using L = Limits<double>;
  const V r = PowF64Vector(d, x, y);
  const V ar = hn::Abs(r);
  const auto ok = hn::And(ar >= hn::Set(d, L::kMinNormal), ar <= hn::Set(d, L::kMax));
  const int64_t lanes = static_cast<int64_t>(hn::Lanes(d));
  if (HWY_LIKELY(m == lanes && hn::AllTrue(d, ok))) return hn::StoreU(r, d, out);
  HWY_ALIGN double vx[hn::MaxLanes(d)], vy[hn::MaxLanes(d)], vr[hn::MaxLanes(d)];
  hn::Store(x, d, vx);
  hn::Store(y, d, vy);
  hn::Store(r, d, vr);
  for (int64_t l = 0; l < m; ++l) out[l] = IsNormalFinite(vr[l]) ? vr[l] : std::pow(vx[l], vy[l]);
}

void PowF64(const double* a, int64_t sa, const double* b, int64_t sb, double* out, int64_t n) {
  const hn::ScalableTag<double> d;
  const int64_t lanes = static_cast<int64_t>(hn::Lanes(d));
  const auto load = [&](const double* p, int64_t s, int64_t i) {
    return s == 0 ? hn::Set(d, p[0]) : hn::LoadU(d, p + i);
  };
  int64_t i = 0;
  for (; i + lanes <= n; i += lanes) PowF64Store(d, load(a, sa, i), load(b, sb, i), out + i, lanes);
  if (i == n) return;
  HWY_ALIGN double va[hn::MaxLanes(d)], vb[hn::MaxLanes(d)];
  for (int64_t l = 0; l < lanes; ++l) {
    va[l] = i + l < n ? a[(i + l) * sa] : 1.0;
    vb[l] = i + l < n ? b[(i + l) * sb] : 1.0;
  }
  PowF64Store(d, hn::Load(d, va), hn::Load(d, vb), out + i, n - i);
}
#else  // the baseline target: pairs through SSE2
void PowF64(const double* a, int64_t sa, const double* b, int64_t sb, double* out, int64_t n) {
  for (int64_t i = 0; i < n; i += 2) {
    const int64_t m = n - i < 2 ? n - i : 2;
    alignas(16) double vx[2] = {1.0, 1.0}, vy[2] = {1.0, 1.0}, vr[2];
    for (int64_t l = 0; l < m; ++l) vx[l] = a[(i + l) * sa], vy[l] = b[(i + l) * sb];
    _mm_store_pd(vr, Sleef_powd2_u10sse2(_mm_load_pd(vx), _mm_load_pd(vy)));
    for (int64_t l = 0; l < m; ++l)
      out[i + l] = IsNormalFinite(vr[l]) ? vr[l] : std::pow(vx[l], vy[l]);
  }
}
#endif

}  // namespace duet::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace duet::cpu {

HWY_EXPORT(MathF32);
HWY_EXPORT(MathF64);
HWY_EXPORT(PowF32);
HWY_EXPORT(PowF64);

void VectorMath(MathFn fn, const float* x, float* y, int64_t n) {
  HWY_DYNAMIC_DISPATCH(MathF32)(fn, x, y, n);
}
void VectorMath(MathFn fn, const double* x, double* y, int64_t n) {
  HWY_DYNAMIC_DISPATCH(MathF64)(fn, x, y, n);
}
void VectorPow(const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t n) {
  HWY_DYNAMIC_DISPATCH(PowF32)(a, sa, b, sb, out, n);
}
void VectorPow(const double* a, int64_t sa, const double* b, int64_t sb, double* out, int64_t n) {
  HWY_DYNAMIC_DISPATCH(PowF64)(a, sa, b, sb, out, n);
}

}  // namespace duet::cpu
#endif  // HWY_ONCE
