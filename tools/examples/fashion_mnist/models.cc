#include "tools/examples/fashion_mnist/models.h"

#include "absl/status/status.h"

namespace duet::examples {

// Layers are named explicitly: a checkpoint keys weights by layer name, and automatic names
// ("dense_2") would differ between the trained model and a fresh one made in the same process.
Sequential MakeModel(const std::string& kind, int64_t seed, const Loc& loc) {
  if (kind == "mlp")
    return Sequential({layers::Flatten({.name = "flatten"}),
                       layers::Dense(128, Activation::kRelu, {.name = "hidden", .seed = seed}),
                       layers::Dense(10, Activation::kNone, {.name = "logits", .seed = seed + 1})},
                      {.name = "mlp"});
  if (kind == "cnn")
    return Sequential({layers::Conv2D(32, {3, 3}, Activation::kRelu, {1, 1}, "VALID",
                                      {.name = "conv1", .seed = seed}),
                       layers::MaxPool2D({2, 2}, std::nullopt, "VALID", {.name = "pool1"}),
                       layers::Conv2D(64, {3, 3}, Activation::kRelu, {1, 1}, "VALID",
                                      {.name = "conv2", .seed = seed + 1}),
                       layers::MaxPool2D({2, 2}, std::nullopt, "VALID", {.name = "pool2"}),
                       layers::Flatten({.name = "flatten"}),
                       layers::Dense(128, Activation::kRelu, {.name = "hidden", .seed = seed + 2}),
                       layers::Dense(10, Activation::kNone, {.name = "logits", .seed = seed + 3})},
                      {.name = "cnn"});
  ThrowError(
      absl::InvalidArgumentError("[fashion_mnist] unknown model '" + kind + "' (known: mlp, cnn)"),
      loc);
}

}  // namespace duet::examples
