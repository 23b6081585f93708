// Weight initializers for Layer::add_weight: Glorot uniform (kernels), zeros (biases), ones,
// constant, normal and uniform. Random ones are a pure function of (shape, dtype, seed), so a
// seeded layer gets the same weights every run; layers without a seed draw theirs from a fixed
// per-process sequence (NextWeightSeed), so two runs of the same program build identical models.
// Example:
//   Tensor k = initializers::GlorotUniform()({784, 10}, DType::kFloat32, /*seed=*/3);
#pragma once

#include <cstdint>
#include <functional>

#include "runtime/tensor.h"

namespace duet {

// Makes an initial value; `seed` is >= 0 (deterministic initializers ignore it).
using Initializer = std::function<Tensor(const Shape& shape, DType dtype, int64_t seed)>;

namespace initializers {

// U(-l, l) with l = sqrt(6 / (fan_in + fan_out)); for rank > 2 (conv HWIO) the leading dims
// form the receptive field: fan_in = prod(dims[:-1]), fan_out = prod(dims[:-2]) * dims[-1].
Initializer GlorotUniform();
Initializer Zeros();
Initializer Ones();
Initializer Constant(double value);
Initializer RandomNormal(double mean = 0.0, double stddev = 0.05);
Initializer RandomUniform(double lo = -0.05, double hi = 0.05);

// The next seed of the process's weight-seed sequence (fixed start, one step per call).
int64_t NextWeightSeed();

}  // namespace initializers
}  // namespace duet
