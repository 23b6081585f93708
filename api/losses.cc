#include "api/losses.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "api/control_flow.h"
#include "kernels/binary_ops.h"
#include "kernels/cast_ops.h"
#include "kernels/nn_ops.h"
#include "kernels/reduce_ops.h"
#include "kernels/shape_ops.h"
#include "kernels/unary_ops.h"
#include "runtime/context.h"

namespace duet::losses {
namespace {

template <class I>
void CheckLabelRange(const Tensor& labels, int64_t classes, const Loc& loc) {
  std::vector<I> ids = labels.to_vector<I>(loc);
  for (size_t i = 0; i < ids.size(); ++i)
    if (ids[i] < 0 || ids[i] >= classes)
      ThrowError(absl::InvalidArgumentError(absl::StrCat("[sparse_softmax_cross_entropy] label ",
                                                         ids[i], " at index ", i,
                                                         " is outside [0, ", classes, ")")),
                 loc);
}

void CheckLabels(const Tensor& labels, int64_t classes, const Loc& loc) {
  if (labels.dtype() == DType::kInt32)
    CheckLabelRange<int32_t>(labels, classes, loc);
  else
    CheckLabelRange<int64_t>(labels, classes, loc);
}

// The labels, checked: now when eager, when the graph runs when traced.
Tensor CheckedLabels(const Tensor& labels, int64_t classes, const Loc& loc) {
  if (executing_eagerly()) {
    CheckLabels(labels, classes, loc);
    return labels;
  }
  auto check = [classes, loc](const std::vector<Tensor>& in) {
    CheckLabels(in[0], classes, loc);
    return std::vector<Tensor>{in[0]};
  };
  return host_func(check, {labels}, std::vector<TensorSpec>{labels.spec()}, loc)[0];
}

Tensor MeanOfRowSums(const Tensor& target, const Tensor& log_probs, const Loc& loc) {
  Tensor t = target.dtype() == log_probs.dtype() ? target : cast(target, log_probs.dtype(), loc);
  return reduce_mean(neg(reduce_sum(mul(t, log_probs, loc), {-1}, false, loc), loc), {}, false,
                     loc);
}

}  // namespace

Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred, const Loc& loc) {
  return reduce_mean(square(sub(y_true, y_pred, loc), loc), {}, false, loc);
}

Tensor sparse_softmax_cross_entropy(const Tensor& labels, const Tensor& logits, const Loc& loc) {
  if (!labels.defined() || !logits.defined())
    ThrowError(absl::InvalidArgumentError(absl::StrCat(
                   "[sparse_softmax_cross_entropy] ", labels.defined() ? "logits" : "labels",
                   " is an undefined tensor (e.g. a gradient that does not exist)")),
               loc);
  if (logits.rank() != 2 || labels.rank() != 1 || labels.shape()[0] != logits.shape()[0] ||
      (labels.dtype() != DType::kInt32 && labels.dtype() != DType::kInt64))
    ThrowError(absl::InvalidArgumentError(absl::StrCat(
                   "[sparse_softmax_cross_entropy] expects int32|int64 labels (batch,) "
                   "and logits (batch, classes), got labels ",
                   labels.spec().to_string(), " and logits ", logits.spec().to_string())),
               loc);
  int64_t classes = logits.shape()[1];
  // -log p[label] per row, as a one-hot dot product so it is differentiable with public ops.
  Tensor picked = one_hot(CheckedLabels(labels, classes, loc), static_cast<int>(classes), loc);
  return MeanOfRowSums(picked, log_softmax(logits, -1, loc), loc);
}

Tensor softmax_cross_entropy(const Tensor& onehot, const Tensor& logits, const Loc& loc) {
  if (logits.rank() < 1 || onehot.shape() != logits.shape())
    ThrowError(absl::InvalidArgumentError(absl::StrCat(
                   "[softmax_cross_entropy] expects onehot and logits of one shape "
                   "(batch, classes), got onehot ",
                   onehot.spec().to_string(), " and logits ", logits.spec().to_string())),
               loc);
  return MeanOfRowSums(onehot, log_softmax(logits, -1, loc), loc);
}

Tensor binary_cross_entropy(const Tensor& labels, const Tensor& logits, const Loc& loc) {
  if (labels.shape() != logits.shape() || !IsFloating(logits.dtype()))
    ThrowError(absl::InvalidArgumentError(absl::StrCat(
                   "[binary_cross_entropy] expects labels and float logits of one "
                   "shape, got labels ",
                   labels.spec().to_string(), " and logits ", logits.spec().to_string())),
               loc);
  Tensor z = labels.dtype() == logits.dtype() ? labels : cast(labels, logits.dtype(), loc);
  Tensor per_element = add(sub(relu(logits, loc), mul(logits, z, loc), loc),
                           softplus(neg(abs(logits, loc), loc), loc), loc);
  return reduce_mean(per_element, {}, false, loc);
}

}  // namespace duet::losses
