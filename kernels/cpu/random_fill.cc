#include "kernels/cpu/random_fill.h"

#include <cmath>
#include <type_traits>

#include "kernels/cpu/cast_loops.h"
#include "kernels/cpu/philox.h"

namespace duet::cpu {
namespace {

// Block b yields kPerBlock values of T (4 for float: one word each; 2 for double: two words).
template <class T>
inline constexpr int kPerBlock = std::is_same_v<T, float> ? 4 : 2;

template <class T>
void Uniform(T* out, int64_t n, uint64_t seed, double lo, double hi) {
  constexpr int kPer = kPerBlock<T>;
  for (int64_t b = 0; b * kPer < n; ++b) {
    PhiloxWords w = PhiloxBlock(seed, static_cast<uint64_t>(b));
    double u[kPer];
    if constexpr (kPer == 4) {
      for (int l = 0; l < 4; ++l) u[l] = Unit24(w[l]);
    } else {
      u[0] = Unit53(w[0], w[1]), u[1] = Unit53(w[2], w[3]);
    }
    for (int l = 0; l < kPer && b * kPer + l < n; ++l) {
      T v = ConvertTo<T>(lo + (hi - lo) * u[l]);
      if (v >= static_cast<T>(hi) && lo < hi)
        v = std::nextafter(static_cast<T>(hi), static_cast<T>(lo));  // rounded up to hi
      out[b * kPer + l] = v;
    }
  }
}

template <class T>
void Normal(T* out, int64_t n, uint64_t seed, double mean, double stddev) {
  constexpr int kPer = kPerBlock<T>;
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  for (int64_t b = 0; b * kPer < n; ++b) {
    PhiloxWords w = PhiloxBlock(seed, static_cast<uint64_t>(b));
    double z[4];
    for (int pair = 0; pair < kPer / 2; ++pair) {
      double u1, u2;  // u1 in (0, 1] keeps the log finite
      if constexpr (kPer == 4)
        u1 = Unit24(w[2 * pair]) + 0x1p-24, u2 = Unit24(w[2 * pair + 1]);
      else
        u1 = Unit53(w[0], w[1]) + 0x1p-53, u2 = Unit53(w[2], w[3]);
      double r = std::sqrt(-2.0 * std::log(u1));
      z[2 * pair] = r * std::cos(kTwoPi * u2);
      z[2 * pair + 1] = r * std::sin(kTwoPi * u2);
    }
    for (int l = 0; l < kPer && b * kPer + l < n; ++l)
      out[b * kPer + l] = ConvertTo<T>(mean + stddev * z[l]);
  }
}

}  // namespace

void FillUniform(Tensor& out, uint64_t seed, double lo, double hi) {
  if (out.dtype() == DType::kFloat32)
    Uniform(out.mutable_data<float>(), out.num_elements(), seed, lo, hi);
  else if (out.dtype() == DType::kFloat64)
    Uniform(out.mutable_data<double>(), out.num_elements(), seed, lo, hi);
}

void FillNormal(Tensor& out, uint64_t seed, double mean, double stddev) {
  if (out.dtype() == DType::kFloat32)
    Normal(out.mutable_data<float>(), out.num_elements(), seed, mean, stddev);
  else if (out.dtype() == DType::kFloat64)
    Normal(out.mutable_data<double>(), out.num_elements(), seed, mean, stddev);
}

}  // namespace duet::cpu
