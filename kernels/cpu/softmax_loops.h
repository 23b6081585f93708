// Numerically stable softmax / log_softmax loops along one axis of a row-major tensor viewed
// as (outer, n, inner): subtract the max along the axis before exponentiating, so large inputs
// never overflow. inner == 1 (the last axis) walks contiguous rows; otherwise the loops keep
// `inner` running maxima/sums and stream whole contiguous slices.
// Example: SoftmaxLoop<double>(x, out, /*outer=*/2, /*n=*/5, /*inner=*/1, /*log=*/false);
#pragma once

#include <cstdint>

namespace duet::cpu {

template <class T>
void SoftmaxLoop(const T* x, T* out, int64_t outer, int64_t n, int64_t inner, bool log);

}  // namespace duet::cpu
