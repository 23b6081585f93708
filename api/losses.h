// Losses, composed of registered ops. Both return the batch mean, as TF's defaults do.
// Example: losses::sparse_softmax_cross_entropy(constant({1}), constant({{0.f, 10.f}})) ~= 4.5e-5
#pragma once

#include "runtime/tensor.h"

namespace duet::losses {

Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred, const Loc& loc = Loc::current());
// labels: int32|int64 class ids, shape (batch,); logits: float (batch, classes).
Tensor sparse_softmax_cross_entropy(const Tensor& labels, const Tensor& logits, const Loc& loc = Loc::current());

}  // namespace duet::losses
