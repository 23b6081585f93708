#include "api/layers/dense.h"

#include "absl/strings/str_cat.h"
#include "kernels/matmul_ops.h"
#include "kernels/operators.h"

namespace duet::layers {

Dense::Dense(int64_t units, Activation activation, LayerOptions options, bool use_bias,
             const Loc& loc)
    : Layer("dense", std::move(options)),
      units_(units),
      activation_(activation),
      use_bias_(use_bias) {
  if (units <= 0)
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[", name(), "] units must be positive, got ", units)),
               loc);
}

void Dense::build(const Shape& input_shape) {
  if (input_shape.rank() < 2)
    Fail(absl::StrCat("input must have rank >= 2 (batch, ..., features), got shape ",
                      input_shape.to_string()));
  if (input_shape[-1] < 0)
    Fail(absl::StrCat("the last axis of the input must be known, got shape ",
                      input_shape.to_string()));
  kernel_ = add_weight("kernel", {input_shape[-1], units_}, initializers::GlorotUniform());
  if (use_bias_) bias_ = add_weight("bias", {units_}, initializers::Zeros());
}

Tensor Dense::call(const Tensor& x, bool) {
  if (x.shape().rank() < 2 || x.shape()[-1] != kernel_.shape()[0])
    Fail(absl::StrCat("expected an input of shape (..., ", kernel_.shape()[0], "), got ",
                      x.shape().to_string()));
  Tensor y = matmul(x, kernel_);
  if (use_bias_) y = y + bias_;
  return Activate(y, activation_, call_loc());
}

}  // namespace duet::layers
