#include "api/layers/pooling.h"

#include "absl/strings/str_cat.h"
#include "api/layers/window_args.h"
#include "kernels/nn_ops.h"
#include "kernels/reduce_ops.h"
#include "kernels/shape_ops.h"

namespace duet::layers {

Pool2D::Pool2D(std::string base_name, bool max, std::array<int, 2> pool_size,
               std::optional<std::array<int, 2>> strides, std::string padding, LayerOptions options,
               const Loc& loc)
    : Layer(std::move(base_name), std::move(options)),
      max_(max),
      pool_size_(pool_size),
      strides_(strides.value_or(pool_size)),
      padding_(NormalizePadding(std::move(padding))) {
  ThrowIfError(CheckWindowArgs(name(), pool_size_, strides_, padding_), loc);
}

Tensor Pool2D::call(const Tensor& x, bool) {
  if (x.shape().rank() != 4)
    Fail(absl::StrCat("input must be rank 4 (NHWC), got shape ", x.shape().to_string()));
  return max_ ? max_pool2d(x, pool_size_, strides_, padding_, call_loc())
              : avg_pool2d(x, pool_size_, strides_, padding_, call_loc());
}

Tensor GlobalAveragePooling2D::call(const Tensor& x, bool) {
  if (x.shape().rank() != 4)
    Fail(absl::StrCat("input must be rank 4 (NHWC), got shape ", x.shape().to_string()));
  return reduce_mean(x, {1, 2}, false, call_loc());
}

Tensor Flatten::call(const Tensor& x, bool) {
  const Shape& s = x.shape();
  if (s.rank() == 0) Fail("input must have a batch axis, got a scalar");
  int64_t rest = 1;
  for (int i = 1; i < s.rank(); ++i) rest = s[i] < 0 || rest < 0 ? -1 : rest * s[i];
  if (rest >= 0) return reshape(x, {-1, rest}, call_loc());
  if (s[0] >= 0) return reshape(x, {s[0], -1}, call_loc());
  Fail(absl::StrCat("needs the batch axis or the other axes known, got shape ", s.to_string()));
}

}  // namespace duet::layers
