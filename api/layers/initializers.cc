#include "api/layers/initializers.h"

#include <algorithm>
#include <atomic>
#include <cmath>

#include "kernels/cast_ops.h"
#include "kernels/random_ops.h"
#include "runtime/tensor_factory.h"

namespace duet::initializers {
namespace {

// random:: draws float32/float64 only; other float dtypes are drawn in float32 and cast.
DType DrawType(DType dtype) { return dtype == DType::kFloat64 ? DType::kFloat64 : DType::kFloat32; }

Tensor CastTo(const Tensor& t, DType dtype) { return t.dtype() == dtype ? t : cast(t, dtype); }

}  // namespace

Initializer GlorotUniform() {
  return [](const Shape& shape, DType dtype, int64_t seed) {
    const std::vector<int64_t>& d = shape.dims();
    double fan_in = 1, fan_out = 1;
    if (d.size() == 1) {
      fan_in = fan_out = static_cast<double>(d[0]);
    } else if (d.size() >= 2) {
      double receptive = 1;
      for (size_t i = 0; i + 2 < d.size(); ++i) receptive *= static_cast<double>(d[i]);
      fan_in = receptive * static_cast<double>(d[d.size() - 2]);
      fan_out = receptive * static_cast<double>(d.back());
    }
    float limit = static_cast<float>(std::sqrt(6.0 / std::max(1.0, fan_in + fan_out)));
    return CastTo(random::uniform(shape, -limit, limit, seed, DrawType(dtype)), dtype);
  };
}

Initializer Zeros() {
  return [](const Shape& shape, DType dtype, int64_t) { return zeros(shape, dtype); };
}

Initializer Ones() {
  return [](const Shape& shape, DType dtype, int64_t) { return ones(shape, dtype); };
}

Initializer Constant(double value) {
  return [value](const Shape& shape, DType dtype, int64_t) { return fill(shape, value, dtype); };
}

Initializer RandomNormal(double mean, double stddev) {
  return [mean, stddev](const Shape& shape, DType dtype, int64_t seed) {
    return CastTo(random::normal(shape, static_cast<float>(mean), static_cast<float>(stddev), seed,
                                 DrawType(dtype)),
                  dtype);
  };
}

Initializer RandomUniform(double lo, double hi) {
  return [lo, hi](const Shape& shape, DType dtype, int64_t seed) {
    return CastTo(random::uniform(shape, static_cast<float>(lo), static_cast<float>(hi), seed,
                                  DrawType(dtype)),
                  dtype);
  };
}

int64_t NextWeightSeed() {
  static std::atomic<int64_t> next{1337};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace duet::initializers
