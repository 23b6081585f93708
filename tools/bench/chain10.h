// The benchmarks' chain of 10 elementwise ops (what fusion will turn into one loop).
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

}  // namespace duet::bench
