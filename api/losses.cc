#include "api/losses.h"

#include "absl/strings/str_cat.h"
#include "kernels/binary_ops.h"
#include "kernels/cast_ops.h"
#include "kernels/nn_ops.h"
#include "kernels/reduce_ops.h"
#include "kernels/shape_ops.h"
#include "kernels/unary_ops.h"

namespace duet::losses {

Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred, const Loc& loc) {
  return reduce_mean(square(sub(y_true, y_pred, loc), loc), {}, false, loc);
}

Tensor sparse_softmax_cross_entropy(const Tensor& labels, const Tensor& logits, const Loc& loc) {
  if (!labels.defined() || !logits.defined())
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[sparse_softmax_cross_entropy] ", labels.defined() ? "logits" : "labels",
                                                       " is an undefined tensor (e.g. a gradient that does not exist)")),
               loc);
  if (logits.rank() != 2 || labels.rank() != 1 || labels.shape()[0] != logits.shape()[0])
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[sparse_softmax_cross_entropy] expects labels (batch,) and logits "
                                                       "(batch, classes), got labels ", labels.spec().to_string(),
                                                       " and logits ", logits.spec().to_string())),
               loc);
  // -log p[label] per row, as a one-hot dot product so it is differentiable with public ops.
  Tensor picked = one_hot(labels, static_cast<int>(logits.shape()[1]), loc);
  if (logits.dtype() != picked.dtype()) picked = cast(picked, logits.dtype(), loc);
  Tensor nll = neg(reduce_sum(mul(picked, log_softmax(logits, -1, loc), loc), {-1}, false, loc), loc);
  return reduce_mean(nll, {}, false, loc);
}

}  // namespace duet::losses
