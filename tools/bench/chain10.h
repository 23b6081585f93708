// The benchmarks' chains of 10 elementwise ops (what fusion will turn into one loop).
#pragma once

#include "api/duet.h"

namespace duet::bench {

inline Tensor Chain10(Tensor y) {
  y = y * 2.f;
  y = y + 1.f;
  y = relu(y);
  y = y * y;
  y = y - 0.5f;
  y = abs(y);
  y = y / 3.f;
  y = maximum(y, 0.1f);
  y = minimum(y, 10.f);
  return neg(y);
}

// The chain with transcendentals: x*1.01, +0.5, relu, *x, -0.25, tanh, *2, +x,
// sigmoid, *x (torch_math_bench.cc runs the same in LibTorch).
inline Tensor ChainMath10(const Tensor& x) {
  Tensor y = x * 1.01f;
  y = y + 0.5f;
  y = relu(y);
  y = y * x;
  y = y - 0.25f;
  y = tanh(y);
  y = y * 2.f;
  y = y + x;
  y = sigmoid(y);
  return y * x;
}

}  // namespace duet::bench
