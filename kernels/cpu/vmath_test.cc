// Accuracy of the vector math (vmath.h) on every Highway target this CPU supports: errors in
// ulps against a long double reference over a sweep of the whole float range (every 16411th
// float32 bit pattern, 2^18 random float64 bit patterns, dense ranges where the functions
// curve, and the special values), and special values bit-identical to libm.
// Example: bazel test //kernels/cpu:vmath_test
#include "kernels/cpu/vmath.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hwy/targets.h"
#include "kernels/cpu/scalar_math.h"

namespace duet::cpu {
namespace {

using LD = long double;

// The stated bound per function, in ulps of the result's type (same for float32 and
// float64), for every target. Measured worst cases on this sweep (f32/f64): exp 0.98/0.97,
// log 0.81/0.79, log1p 2.24/2.25, tanh 2.47/2.89, sigmoid 2.23/2.27, softplus 2.39/2.42,
// sqrt 0.5/0.5 (correctly rounded), rsqrt 1.49/1.45, sin 1.88/2.23, cos 1.94/2.53.
struct Case {
  MathFn fn;
  const char* name;
  double max_ulps;
  LD (*ref)(LD);
};
LD RefSigmoid(LD x) { return x >= 0 ? 1 / (1 + expl(-x)) : expl(x) / (1 + expl(x)); }
LD RefSoftplus(LD x) { return (x > 0 ? x : 0) + log1pl(expl(-fabsl(x))); }
LD RefRsqrt(LD x) { return 1 / sqrtl(x); }
const Case kCases[] = {
    {MathFn::kExp, "exp", 1, [](LD x) { return expl(x); }},
    {MathFn::kLog, "log", 1, [](LD x) { return logl(x); }},
    {MathFn::kLog1p, "log1p", 3, [](LD x) { return log1pl(x); }},
    {MathFn::kTanh, "tanh", 3, [](LD x) { return tanhl(x); }},
    {MathFn::kSigmoid, "sigmoid", 3, RefSigmoid},
    {MathFn::kSoftplus, "softplus", 3, RefSoftplus},
    {MathFn::kSqrt, "sqrt", 0.5, [](LD x) { return sqrtl(x); }},
    {MathFn::kRsqrt, "rsqrt", 1.5, RefRsqrt},
    {MathFn::kSin, "sin", 3, [](LD x) { return sinl(x); }},
    {MathFn::kCos, "cos", 3, [](LD x) { return cosl(x); }},
};

// |got - want| in ulps of T at want; infinite when got is NaN/inf and want is not (or vice
// versa, or infinities of different sign).
template <class T>
double UlpError(T got, LD want) {
  const T w = static_cast<T>(want);
  if (std::isnan(w) || std::isnan(got)) return std::isnan(w) && std::isnan(got) ? 0 : INFINITY;
  if (std::isinf(w) || std::isinf(got)) {
    if (got == w) return 0;
    // A finite result just below overflow may round to inf (and vice versa): 1 ulp.
    const T big = std::numeric_limits<T>::max();
    return (std::fabs(got) == big || std::fabs(w) == big) && std::signbit(got) == std::signbit(w)
               ? 1
               : INFINITY;
  }
  const T aw = std::fabs(w);
  const T next = std::nextafter(aw, std::numeric_limits<T>::infinity());
  const LD ulp = std::isinf(next) ? LD(aw) - LD(std::nextafter(aw, T(0))) : LD(next) - LD(aw);
  return static_cast<double>(fabsl(LD(got) - want) / ulp);
}

template <class T>
std::vector<T> SpecialValues() {
  using L = std::numeric_limits<T>;
  std::vector<T> v = {T(0),
                      L::min(),
                      L::denorm_min(),
                      L::max(),
                      L::infinity(),
                      L::quiet_NaN(),
                      T(1),
                      T(0.5),
                      T(-1),
                      T(1e-30),
                      T(1e-7),
                      T(88.5),
                      T(88.7),
                      T(89),
                      T(-87),
                      T(-87.5),
                      T(-103),
                      T(-104),
                      T(-745),
                      T(709),
                      T(710),
                      T(708),
                      T(-708),
                      T(39000),
                      T(39001),
                      T(1e6),
                      T(1e20),
                      T(3.14159265358979),
                      T(1.5707963267949),
                      T(20),
                      T(-20),
                      T(0.999999)};
  const size_t n = v.size();
  for (size_t i = 0; i < n; ++i) v.push_back(-v[i]);
  return v;
}

template <class T>
std::vector<T> Sweep() {
  std::vector<T> v = SpecialValues<T>();
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  if constexpr (sizeof(T) == 4) {
    for (uint64_t b = 0; b <= 0xffffffffull; b += 16411)
      v.push_back(std::bit_cast<T>(static_cast<Bits>(b)));
  } else {
    std::mt19937_64 rng(8);
    for (int i = 0; i < (1 << 18); ++i) v.push_back(std::bit_cast<T>(static_cast<Bits>(rng())));
  }
  for (int i = -50000; i <= 50000; ++i) v.push_back(T(i) * T(0.002));  // [-100, 100] densely
  return v;
}

// Every compiled target the CPU supports (read with the test mock off).
const std::vector<int64_t>& Targets() {
  static const std::vector<int64_t> targets = [] {
    hwy::SetSupportedTargetsForTest(0);
    return hwy::SupportedAndGeneratedTargets();
  }();
  return targets;
}

template <class T>
void CheckAll() {
  const std::vector<T> xs = Sweep<T>();
  std::vector<T> got(xs.size());
  for (const Case& c : kCases) {
    std::vector<LD> want(xs.size());
    for (size_t i = 0; i < xs.size(); ++i) want[i] = c.ref(LD(xs[i]));
    for (int64_t target : Targets()) {
      hwy::SetSupportedTargetsForTest(target);
      VectorMath(c.fn, xs.data(), got.data(), static_cast<int64_t>(xs.size()));
      double worst = 0;
      size_t at = 0;
      for (size_t i = 0; i < xs.size(); ++i) {
        double e = UlpError(got[i], want[i]);
        if (!(e <= worst)) worst = e, at = i;
      }
      EXPECT_LE(worst, c.max_ulps)
          << c.name << (sizeof(T) == 4 ? " f32" : " f64") << " on " << hwy::TargetName(target)
          << ": x=" << xs[at] << " got " << got[at] << " want " << static_cast<double>(want[at]);
      std::printf("%-8s %s %-8s max %.3g ulp\n", c.name, sizeof(T) == 4 ? "f32" : "f64",
                  hwy::TargetName(target), worst);
    }
  }
  hwy::SetSupportedTargetsForTest(0);
}

// Inputs outside the vector paths' ranges (and the edges of those ranges) give exactly libm's
// result, sign of zero included.
template <class T>
void CheckSpecialValuesMatchLibm() {
  const std::vector<T> xs = SpecialValues<T>();
  std::vector<T> got(xs.size());
  for (const Case& c : kCases) {
    if (c.fn == MathFn::kSigmoid || c.fn == MathFn::kSoftplus || c.fn == MathFn::kRsqrt) continue;
    for (int64_t target : Targets()) {
      hwy::SetSupportedTargetsForTest(target);
      VectorMath(c.fn, xs.data(), got.data(), static_cast<int64_t>(xs.size()));
      for (size_t i = 0; i < xs.size(); ++i) {
        const T want = static_cast<T>(c.ref(LD(xs[i])));
        const T libm = c.fn == MathFn::kExp     ? std::exp(xs[i])
                       : c.fn == MathFn::kLog   ? std::log(xs[i])
                       : c.fn == MathFn::kLog1p ? std::log1p(xs[i])
                       : c.fn == MathFn::kTanh  ? std::tanh(xs[i])
                       : c.fn == MathFn::kSqrt  ? std::sqrt(xs[i])
                       : c.fn == MathFn::kSin   ? std::sin(xs[i])
                                                : std::cos(xs[i]);
        if (!std::isfinite(want) || want == 0 || !std::isfinite(xs[i])) {
          EXPECT_TRUE(std::isnan(libm) ? std::isnan(got[i])
                                       : std::memcmp(&got[i], &libm, sizeof(T)) == 0)
              << c.name << "(" << xs[i] << ") on " << hwy::TargetName(target) << ": got " << got[i]
              << ", libm " << libm;
        }
      }
    }
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(VMath, SpecialValuesAsLibmFloat32) { CheckSpecialValuesMatchLibm<float>(); }
TEST(VMath, SpecialValuesAsLibmFloat64) { CheckSpecialValuesMatchLibm<double>(); }

TEST(VMath, SigmoidSoftplusRsqrtSpecialValues) {
  const float inf = INFINITY, nan = NAN;
  const float x[] = {inf, -inf, nan, 0.f, -0.f, -1000.f, 1000.f, -100.f};
  float y[8];
  for (int64_t target : Targets()) {
    hwy::SetSupportedTargetsForTest(target);
    VectorMath(MathFn::kSigmoid, x, y, 8);
    EXPECT_EQ(y[0], 1.f);
    EXPECT_EQ(y[1], 0.f);
    EXPECT_TRUE(std::isnan(y[2]));
    EXPECT_EQ(y[3], 0.5f);
    EXPECT_EQ(y[5], 0.f);
    EXPECT_EQ(y[6], 1.f);
    EXPECT_EQ(y[7], ScalarSigmoid(-100.f));
    EXPECT_GT(y[7], 0.f);  // a subnormal result, computed by the libm fallback
    VectorMath(MathFn::kSoftplus, x, y, 8);
    EXPECT_EQ(y[0], inf);
    EXPECT_EQ(y[1], 0.f);
    EXPECT_TRUE(std::isnan(y[2]));
    EXPECT_EQ(y[6], 1000.f);
    EXPECT_EQ(y[7], ScalarSoftplus(-100.f));
    VectorMath(MathFn::kRsqrt, x, y, 8);
    EXPECT_EQ(y[0], 0.f);
    EXPECT_TRUE(std::isnan(y[1]));
    EXPECT_EQ(y[3], inf);
    EXPECT_EQ(y[4], -inf);
  }
  hwy::SetSupportedTargetsForTest(0);
}

// pow against powl over x in a sweep of positive and negative floats (zeros, subnormals,
// every binade, infinities, NaN) and y in a list of exponents (integers, odd and even, halves,
// large, tiny, special), plus random pairs: within 1 ulp where libm's result is finite and
// nonzero, and libm's exact value (sign of zero included) where it is 0, inf or NaN.
template <class T>
void CheckPow(double max_ulps) {
  using L = std::numeric_limits<T>;
  std::vector<T> bases = SpecialValues<T>();
  for (int i = -3000; i <= 3000; ++i) bases.push_back(T(i) * T(0.01));
  for (int e = L::min_exponent - L::digits - 1; e <= L::max_exponent; e += sizeof(T) == 4 ? 1 : 7)
    bases.push_back(std::ldexp(T(1.37), e)), bases.push_back(std::ldexp(T(-1.37), e));
  const T exps[] = {0,   1,    2,     3,    -1,   -2,     0.5,    -0.5, 1.5,      2.5,
                    10,  -10,  100,   1e-8, 1e10, -1e10,  37.3,   -0.0, INFINITY, -INFINITY,
                    NAN, 1e30, 0.333, 7,    -7,   1.0001, 0.9999, 1.05, 0.95,     301};
  std::vector<T> a, b;
  for (T x : bases)
    for (T y : exps) a.push_back(x), b.push_back(y);
  std::mt19937_64 rng(11);  // |x| in [2^-40, 2^40), y in [-40, 40): mostly normal results
  std::uniform_real_distribution<double> log2x(-40, 40), ys(-40, 40);
  for (int i = 0; i < 200000; ++i) {
    a.push_back(static_cast<T>((i % 5 == 0 ? -1 : 1) * std::exp2(log2x(rng))));
    b.push_back(i % 5 == 0 ? T(std::round(ys(rng))) : static_cast<T>(ys(rng)));
  }
  std::vector<T> got(a.size());
  for (int64_t target : Targets()) {
    hwy::SetSupportedTargetsForTest(target);
    VectorPow(a.data(), 1, b.data(), 1, got.data(), static_cast<int64_t>(a.size()));
    double worst = 0;
    size_t at = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      const T libm = std::pow(a[i], b[i]);
      const double e =
          std::isfinite(libm) && libm != 0
              ? UlpError(got[i], powl(LD(a[i]), LD(b[i])))
              : (std::isnan(libm)
                     ? (std::isnan(got[i]) ? 0 : INFINITY)
                     : (got[i] == libm && std::signbit(got[i]) == std::signbit(libm) ? 0
                                                                                     : INFINITY));
      if (!(e <= worst)) worst = e, at = i;
    }
    EXPECT_LE(worst, max_ulps) << "pow on " << hwy::TargetName(target) << ": " << a[at] << " ** "
                               << b[at] << " got " << got[at];
    std::printf("pow      %s %-8s max %.3g ulp over %zu pairs\n", sizeof(T) == 4 ? "f32" : "f64",
                hwy::TargetName(target), worst, a.size());
    // A repeated scalar operand (stride 0).
    const T two = 2;
    VectorPow(a.data(), 1, &two, 0, got.data(), static_cast<int64_t>(a.size()));
    for (size_t i = 0; i < a.size(); i += 97)
      EXPECT_LE(UlpError(got[i], powl(LD(a[i]), 2)), max_ulps) << a[i] << " ** 2 got " << got[i];
    // In place (out aliases a, as buffer reuse may run it): the same as out of place.
    VectorPow(a.data(), 1, b.data(), 1, got.data(), static_cast<int64_t>(a.size()));
    std::vector<T> in_place = a;
    VectorPow(in_place.data(), 1, b.data(), 1, in_place.data(), static_cast<int64_t>(a.size()));
    for (size_t i = 0; i < a.size(); ++i)
      ASSERT_TRUE(in_place[i] == got[i] || (std::isnan(in_place[i]) && std::isnan(got[i])))
          << a[i] << " ** " << b[i] << " in place " << in_place[i] << " vs " << got[i];
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(VMath, PowFloat32Within1Ulp) { CheckPow<float>(1); }
TEST(VMath, PowFloat64Within1Ulp) { CheckPow<double>(1); }

TEST(VMath, Float32WithinBoundsOnEveryTarget) { CheckAll<float>(); }
TEST(VMath, Float64WithinBoundsOnEveryTarget) { CheckAll<double>(); }

}  // namespace
}  // namespace duet::cpu
