#include "api/layers/conv.h"

#include "absl/strings/str_cat.h"
#include "api/layers/window_args.h"
#include "kernels/nn_ops.h"
#include "kernels/operators.h"

namespace duet::layers {

Conv2D::Conv2D(int64_t filters, std::array<int, 2> kernel_size, Activation activation,
               std::array<int, 2> strides, std::string padding, LayerOptions options, bool use_bias,
               const Loc& loc)
    : Layer("conv2d", std::move(options)),
      filters_(filters),
      kernel_size_(kernel_size),
      strides_(strides),
      padding_(NormalizePadding(std::move(padding))),
      activation_(activation),
      use_bias_(use_bias) {
  ThrowIfError(CheckWindowArgs(name(), kernel_size_, strides_, padding_), loc);
  if (filters <= 0)
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[", name(), "] filters must be positive, got ", filters)),
               loc);
}

void Conv2D::build(const Shape& input_shape) {
  if (input_shape.rank() != 4 || input_shape[3] < 0)
    Fail(absl::StrCat("input must be rank 4 (NHWC) with known channels, got shape ",
                      input_shape.to_string()));
  kernel_ = add_weight("kernel", {kernel_size_[0], kernel_size_[1], input_shape[3], filters_},
                       initializers::GlorotUniform());
  if (use_bias_) bias_ = add_weight("bias", {filters_}, initializers::Zeros());
}

Tensor Conv2D::call(const Tensor& x, bool) {
  if (x.shape().rank() != 4 || x.shape()[3] != kernel_.shape()[2])
    Fail(absl::StrCat("expected an NHWC input with ", kernel_.shape()[2], " channels, got shape ",
                      x.shape().to_string()));
  Tensor y = conv2d(x, kernel_, strides_, padding_, {1, 1}, call_loc());
  if (use_bias_) y = y + bias_;
  return Activate(y, activation_, call_loc());
}

}  // namespace duet::layers
