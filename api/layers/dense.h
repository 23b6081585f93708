// layers::Dense: y = activation(x @ kernel + bias) over the last axis of a rank >= 2 input
// (leading axes are batch axes). kernel is (in, units), Glorot uniform; bias is (units,), zeros.
// Example:
//   layers::Dense d(10, Activation::kRelu);   Tensor y = d(ones({32, 784}));   // (32, 10)
//   layers::Dense d64(3, Activation::kNone, {.dtype = DType::kFloat64});
#pragma once

#include "api/layers/activation.h"
#include "api/layers/layer.h"

namespace duet::layers {

class Dense : public Layer {
 public:
  explicit Dense(int64_t units, Activation activation = Activation::kNone,
                 LayerOptions options = {}, bool use_bias = true, const Loc& loc = Loc::current());

  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;

  int64_t units() const { return units_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }  // undefined without use_bias

 private:
  int64_t units_;
  Activation activation_;
  bool use_bias_;
  Variable kernel_, bias_;
};

}  // namespace duet::layers
