// layers::Embedding: maps integer ids in [0, input_dim) to rows of a trainable
// (input_dim, output_dim) table (uniform in [-0.05, 0.05), like Keras); the output has the
// input's shape plus output_dim. Float ids are cast to int32, as Keras does.
// Example:
//   layers::Embedding e(1000, 64);   e(constant({{1, 2, 3}})).shape();   // (1, 3, 64)
#pragma once

#include "api/layers/layer.h"

namespace duet::layers {

class Embedding : public Layer {
 public:
  Embedding(int64_t input_dim, int64_t output_dim, LayerOptions options = {},
            const Loc& loc = Loc::current());
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;
  const Variable& embeddings() const { return embeddings_; }

 private:
  int64_t input_dim_, output_dim_;
  Variable embeddings_;
};

}  // namespace duet::layers
