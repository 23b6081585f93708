#include "kernels/cpu/matmul_geometry.h"

#include <algorithm>

namespace duet::cpu {

MatmulGeometry MakeMatmulGeometry(const Shape& a, const Shape& b, bool transpose_a,
                                  bool transpose_b) {
  MatmulGeometry g;
  int ra = a.rank(), rb = b.rank();
  g.transpose_a = transpose_a, g.transpose_b = transpose_b;
  g.m = transpose_a ? a[ra - 1] : a[ra - 2];
  g.k = transpose_a ? a[ra - 2] : a[ra - 1];
  g.n = transpose_b ? b[rb - 2] : b[rb - 1];
  int batch_rank = std::max(ra, rb) - 2;
  for (int i = 0; i < batch_rank; ++i) {
    int ia = i - (batch_rank - (ra - 2)), ib = i - (batch_rank - (rb - 2));
    int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    g.a_batch.push_back(da);
    g.b_batch.push_back(db);
    g.batch.push_back(da == 1 ? db : da);
    g.batch_size *= g.batch[i];
  }
  return g;
}

}  // namespace duet::cpu
