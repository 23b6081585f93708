// layers::Conv2D: 2-D convolution over NHWC inputs, y = activation(conv2d(x, kernel) + bias),
// kernel (kh, kw, in_channels, filters) Glorot uniform, bias (filters,) zeros; strides and TF's
// "SAME"/"VALID" padding.
// Example:
//   layers::Conv2D c(16, {3, 3}, Activation::kRelu);            // VALID, strides 1
//   layers::Conv2D s(8, {3, 3}, Activation::kNone, {2, 2}, "SAME");
//   c(zeros({1, 28, 28, 1})).shape();                           // (1, 26, 26, 16)
#pragma once

#include <array>
#include <string>

#include "api/layers/activation.h"
#include "api/layers/layer.h"

namespace duet::layers {

class Conv2D : public Layer {
 public:
  Conv2D(int64_t filters, std::array<int, 2> kernel_size, Activation activation = Activation::kNone,
         std::array<int, 2> strides = {1, 1}, std::string padding = "VALID",
         LayerOptions options = {}, bool use_bias = true, const Loc& loc = Loc::current());

  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;

  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  int64_t filters_;
  std::array<int, 2> kernel_size_, strides_;
  std::string padding_;
  Activation activation_;
  bool use_bias_;
  Variable kernel_, bias_;
};

}  // namespace duet::layers
