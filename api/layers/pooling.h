// Layers without weights over NHWC inputs: MaxPool2D and AveragePooling2D (strides default to
// the pool size, padding "VALID"), GlobalAveragePooling2D (mean over H and W -> (N, C)) and
// Flatten ((N, ...) -> (N, prod(...))).
// Example:
//   layers::MaxPool2D p({2, 2});   p(zeros({1, 28, 28, 8})).shape();   // (1, 14, 14, 8)
//   layers::Flatten f;             f(zeros({2, 3, 4})).shape();        // (2, 12)
#pragma once

#include <array>
#include <optional>
#include <string>

#include "api/layers/layer.h"

namespace duet::layers {

// The shared part of MaxPool2D and AveragePooling2D.
class Pool2D : public Layer {
 public:
  Tensor call(const Tensor& x, bool training) override;

 protected:
  Pool2D(std::string base_name, bool max, std::array<int, 2> pool_size,
         std::optional<std::array<int, 2>> strides, std::string padding, LayerOptions options,
         const Loc& loc);

 private:
  bool max_;
  std::array<int, 2> pool_size_, strides_;
  std::string padding_;
};

class MaxPool2D : public Pool2D {
 public:
  explicit MaxPool2D(std::array<int, 2> pool_size = {2, 2},
                     std::optional<std::array<int, 2>> strides = std::nullopt,
                     std::string padding = "VALID", LayerOptions options = {},
                     const Loc& loc = Loc::current())
      : Pool2D("max_pooling2d", true, pool_size, strides, std::move(padding), std::move(options),
               loc) {}
};

class AveragePooling2D : public Pool2D {
 public:
  explicit AveragePooling2D(std::array<int, 2> pool_size = {2, 2},
                            std::optional<std::array<int, 2>> strides = std::nullopt,
                            std::string padding = "VALID", LayerOptions options = {},
                            const Loc& loc = Loc::current())
      : Pool2D("average_pooling2d", false, pool_size, strides, std::move(padding),
               std::move(options), loc) {}
};

class GlobalAveragePooling2D : public Layer {
 public:
  explicit GlobalAveragePooling2D(LayerOptions options = {})
      : Layer("global_average_pooling2d", std::move(options)) {}
  Tensor call(const Tensor& x, bool training) override;
};

class Flatten : public Layer {
 public:
  explicit Flatten(LayerOptions options = {}) : Layer("flatten", std::move(options)) {}
  Tensor call(const Tensor& x, bool training) override;
};

}  // namespace duet::layers
