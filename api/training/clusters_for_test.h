// Test data for the training-loop tests: three separable 2-D clusters, x float32 (n, 2) and
// labels int32 (n,) cycling 0, 1, 2. Example: auto [x, y] = training::Clusters(30);
#pragma once

#include <utility>
#include <vector>

#include "runtime/tensor_factory.h"

namespace duet::training {

inline std::pair<Tensor, Tensor> Clusters(int n) {
  std::vector<float> xs;
  std::vector<int32_t> ys;
  for (int i = 0; i < n; ++i) {
    int c = i % 3;
    xs.push_back(static_cast<float>(c == 0   ? 2
                                    : c == 1 ? -2
                                             : 0) +
                 0.1f * static_cast<float>(i % 5));
    xs.push_back(static_cast<float>(c == 2 ? 2 : -1) - 0.1f * static_cast<float>(i % 4));
    ys.push_back(c);
  }
  return {constant(xs, Shape{n, 2}), constant(ys, Shape{n})};
}

}  // namespace duet::training
