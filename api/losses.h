// Losses, composed of registered ops (so they differentiate and trace). All return the batch
// mean, as TF's defaults do.
// Example: losses::sparse_softmax_cross_entropy(constant({1}), constant({{0.f, 10.f}})) ~= 4.5e-5
#pragma once

#include "runtime/tensor.h"

namespace duet::losses {

Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred,
                          const Loc& loc = Loc::current());
// labels: int32|int64 class ids in [0, classes), shape (batch,); logits: float (batch, classes).
// A label out of range is an error naming it: at once in eager code, when the graph runs inside
// a duet::function (a host-side check in the graph).
Tensor sparse_softmax_cross_entropy(const Tensor& labels, const Tensor& logits,
                                    const Loc& loc = Loc::current());
// onehot: class probabilities, the shape of logits (batch, classes).
Tensor softmax_cross_entropy(const Tensor& onehot, const Tensor& logits,
                             const Loc& loc = Loc::current());
// labels in [0, 1] and logits of the same shape; the sigmoid is applied here, in the stable form
// max(x, 0) - x * z + log(1 + exp(-|x|)).
Tensor binary_cross_entropy(const Tensor& labels, const Tensor& logits,
                            const Loc& loc = Loc::current());

}  // namespace duet::losses
