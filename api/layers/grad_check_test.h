// CheckLayerGradients: a layer's tape gradients w.r.t. its (float) input and each trainable
// weight against central differences, in float64. The loss is sum(layer(x) * probe) with a
// fixed random probe, so every output element counts with a different weight.
// Example: layers::Dense d(3); CheckLayerGradients(d, random::uniform({2, 4}, -1, 1, 1, kF64));
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {

// Up to `n` indices spread over [0, size).
inline std::vector<size_t> SpreadIndices(size_t size, size_t n = 10) {
  std::vector<size_t> out;
  for (size_t k = 0; k < std::min(size, n); ++k) out.push_back(k * size / std::min(size, n));
  return out;
}

inline void ExpectGradNear(const std::vector<double>& analytic,
                           const std::function<double(size_t, double)>& loss_at,
                           const std::string& what, double eps = 1e-6, double tol = 1e-6) {
  for (size_t i : SpreadIndices(analytic.size())) {
    double numeric = (loss_at(i, eps) - loss_at(i, -eps)) / (2 * eps);
    EXPECT_NEAR(analytic[i], numeric, tol * std::max(1.0, std::abs(numeric)))
        << what << " element " << i;
  }
}

inline void CheckLayerGradients(Layer& layer, const Tensor& x, bool training = false) {
  Tensor probe = random::uniform(layer(x, training).shape(), -1.f, 1.f, 99, DType::kFloat64);
  std::vector<Variable> vars = layer.trainable_variables();
  bool float_input = IsFloating(x.dtype());
  std::vector<GradSource> sources(vars.begin(), vars.end());
  if (float_input) sources.emplace_back(x);
  GradientTape tape;
  if (float_input) tape.watch(x);
  Tensor loss = reduce_sum(layer(x, training) * probe);
  std::vector<Tensor> grads = tape.gradient(loss, sources);
  ASSERT_EQ(grads.size(), sources.size());
  auto loss_of = [&](const Tensor& in) {
    return reduce_sum(layer(in, training) * probe).item<double>();
  };

  for (size_t v = 0; v < vars.size(); ++v) {
    ASSERT_TRUE(grads[v].defined()) << vars[v].name();
    std::vector<double> base = vars[v].value().to_vector<double>();
    ExpectGradNear(
        grads[v].to_vector<double>(),
        [&](size_t i, double d) {
          std::vector<double> moved = base;
          moved[i] += d;
          vars[v].assign(constant(moved, vars[v].shape()));
          double l = loss_of(x);
          vars[v].assign(constant(base, vars[v].shape()));
          return l;
        },
        vars[v].name());
  }
  if (!float_input) return;
  ASSERT_TRUE(grads.back().defined());
  std::vector<double> base = x.to_vector<double>();
  ExpectGradNear(
      grads.back().to_vector<double>(),
      [&](size_t i, double d) {
        std::vector<double> moved = base;
        moved[i] += d;
        return loss_of(constant(moved, x.shape()));
      },
      layer.name() + " input");
}

}  // namespace duet
