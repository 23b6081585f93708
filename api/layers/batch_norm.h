// layers::BatchNormalization over the last axis (channels): in training, normalizes with the
// batch's mean and (biased) variance and moves moving_mean/moving_variance toward them by
// `momentum`; otherwise normalizes with the moving statistics. gamma (ones) and beta (zeros)
// are trainable; the moving statistics are non-trainable Variables, updated only in training.
// Example:
//   layers::BatchNormalization bn;            // momentum 0.99, epsilon 1e-3
//   Tensor y = bn(x, /*training=*/true);      // batch statistics; moving ones updated
#pragma once

#include "api/layers/layer.h"

namespace duet::layers {

class BatchNormalization : public Layer {
 public:
  explicit BatchNormalization(double momentum = 0.99, double epsilon = 1e-3,
                              LayerOptions options = {}, const Loc& loc = Loc::current());
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;

  const Variable& gamma() const { return gamma_; }
  const Variable& beta() const { return beta_; }
  const Variable& moving_mean() const { return moving_mean_; }
  const Variable& moving_variance() const { return moving_variance_; }

 private:
  double momentum_, epsilon_;
  Variable gamma_, beta_, moving_mean_, moving_variance_;
};

}  // namespace duet::layers
