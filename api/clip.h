// clip_by_value and clip_by_norm: compositions of registered ops (so they trace and
// differentiate through their parts).
// Example: clip_by_value(x, 0.f, 6.f) is relu6; clip_by_norm(g, 5.f) rescales g to L2 norm <= 5.
#pragma once

#include "runtime/operand.h"

namespace duet {

// min(max(x, lo), hi), elementwise; lo and hi are numbers or broadcastable tensors.
Tensor clip_by_value(const Tensor& x, const Operand& lo, const Operand& hi,
                     const Loc& loc = Loc::current());
// x * norm / max(||x||_2, norm), the L2 norm taken over all of x (TF's clip_by_norm).
Tensor clip_by_norm(const Tensor& x, float norm, const Loc& loc = Loc::current());

}  // namespace duet
