#include "api/layers/embedding.h"

#include "absl/strings/str_cat.h"
#include "kernels/cast_ops.h"
#include "kernels/shape_ops.h"

namespace duet::layers {

Embedding::Embedding(int64_t input_dim, int64_t output_dim, LayerOptions options, const Loc& loc)
    : Layer("embedding", std::move(options)), input_dim_(input_dim), output_dim_(output_dim) {
  if (input_dim <= 0 || output_dim <= 0)
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[", name(), "] input_dim and output_dim must be positive, got ",
                                input_dim, " and ", output_dim)),
               loc);
}

void Embedding::build(const Shape&) {
  embeddings_ =
      add_weight("embeddings", {input_dim_, output_dim_}, initializers::RandomUniform(-0.05, 0.05));
}

Tensor Embedding::call(const Tensor& x, bool) {
  Tensor ids = x;
  if (x.dtype() != DType::kInt32 && x.dtype() != DType::kInt64)
    ids = cast(x, DType::kInt32, call_loc());
  return gather(embeddings_, ids, 0, call_loc());
}

}  // namespace duet::layers
