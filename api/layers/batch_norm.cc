#include "api/layers/batch_norm.h"

#include <numeric>

#include "absl/strings/str_cat.h"
#include "kernels/operators.h"
#include "kernels/reduce_ops.h"
#include "kernels/unary_ops.h"

namespace duet::layers {

BatchNormalization::BatchNormalization(double momentum, double epsilon, LayerOptions options,
                                       const Loc& loc)
    : Layer("batch_normalization", std::move(options)), momentum_(momentum), epsilon_(epsilon) {
  if (!(momentum >= 0.0 && momentum <= 1.0) || !(epsilon > 0.0))
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[", name(), "] momentum must be in [0, 1] and epsilon > 0, got ",
                                momentum, " and ", epsilon)),
               loc);
}

void BatchNormalization::build(const Shape& input_shape) {
  if (input_shape.rank() < 2 || input_shape[-1] < 0)
    Fail(absl::StrCat("input must have rank >= 2 and a known last axis, got shape ",
                      input_shape.to_string()));
  Shape channels({input_shape[-1]});
  gamma_ = add_weight("gamma", channels, initializers::Ones());
  beta_ = add_weight("beta", channels, initializers::Zeros());
  moving_mean_ = add_weight("moving_mean", channels, initializers::Zeros(), /*trainable=*/false);
  moving_variance_ =
      add_weight("moving_variance", channels, initializers::Ones(), /*trainable=*/false);
}

Tensor BatchNormalization::call(const Tensor& x, bool training) {
  if (x.shape().rank() < 2 || x.shape()[-1] != gamma_.shape()[0])
    Fail(absl::StrCat("expected an input of shape (..., ", gamma_.shape()[0], "), got ",
                      x.shape().to_string()));
  Tensor mean, variance;
  if (training) {
    std::vector<int> axes(x.shape().rank() - 1);
    std::iota(axes.begin(), axes.end(), 0);
    mean = reduce_mean(x, axes, false, call_loc());
    variance = reduce_mean(square(x - mean), axes, false, call_loc());
    moving_mean_.assign(moving_mean_ * momentum_ + stop_gradient(mean) * (1.0 - momentum_),
                        call_loc());
    moving_variance_.assign(
        moving_variance_ * momentum_ + stop_gradient(variance) * (1.0 - momentum_), call_loc());
  } else {
    mean = moving_mean_;
    variance = moving_variance_;
  }
  return (x - mean) * (rsqrt(variance + epsilon_) * gamma_) + beta_;
}

}  // namespace duet::layers
