// Typed CPU loop of scatter_add (the gradient of gather): rows of `updates` are summed into
// the rows of a zeroed output that their indices name; repeated indices accumulate.
// Example: ScatterAddRows<float, int32_t>(upd, idx, /*n_idx=*/4, /*outer=*/1, /*dim=*/3,
// /*inner=*/2, out);
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/cpu/wrapping_int.h"

namespace duet::cpu {

// out[o, idx[i], :] += updates[o, i, :] over a zeroed out of (outer, dim, inner); idx must be
// in [0, dim) (callers validate).
template <class T, class I>
void ScatterAddRows(const T* updates, const I* idx, int64_t n_idx, int64_t outer, int64_t dim,
                    int64_t inner, T* out) {
  std::fill(out, out + outer * dim * inner, T(0));
  for (int64_t o = 0; o < outer; ++o) {
    T* base = out + o * dim * inner;
    for (int64_t i = 0; i < n_idx; ++i, updates += inner) {
      T* row = base + static_cast<int64_t>(idx[i]) * inner;
      for (int64_t j = 0; j < inner; ++j) row[j] = WrapAdd(row[j], updates[j]);
    }
  }
}

}  // namespace duet::cpu
