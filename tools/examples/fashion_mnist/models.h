// The example's two models for 28x28x1 Fashion-MNIST images, as Sequentials of built-in layers:
//   mlp  Flatten - Dense(128, relu) - Dense(10)                                    101,770 weights
//   cnn  Conv2D(32, 3x3, relu) - MaxPool 2x2 - Conv2D(64, 3x3, relu) - MaxPool 2x2 - Flatten -
//        Dense(128, relu) - Dense(10)                                              225,034 weights
// Both output logits. `seed` seeds the initializers, so a fresh model differs from a trained one
// only by what a checkpoint restores.
// Example: Sequential m = examples::MakeModel("cnn", 1);  m(zeros({1, 28, 28, 1})).shape();  // (1,
// 10)
#pragma once

#include <string>

#include "api/duet.h"

namespace duet::examples {

// kind: "mlp" or "cnn" (anything else throws naming the known kinds).
Sequential MakeModel(const std::string& kind, int64_t seed, const Loc& loc = Loc::current());

}  // namespace duet::examples
