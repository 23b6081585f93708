#include "kernels/cpu/matmul_loops.h"

#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "kernels/cpu/wrapping_int.h"

namespace duet::cpu {
namespace {

// One (m, k) x (k, n) product. A(i, p) and B(p, j) honour the transposes.
template <class T>
void Gemm2D(const MatmulGeometry& g, const T* __restrict a, const T* __restrict b, T* __restrict c,
            std::vector<T>& pack) {
  const int64_t m = g.m, n = g.n, k = g.k;
  if (g.transpose_b && !g.transpose_a) {  // rows of A and rows of B^T are both contiguous in k
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        const T* ar = a + i * k;
        const T* br = b + j * k;
        T acc = 0;
        for (int64_t p = 0; p < k; ++p) acc += ar[p] * br[p];
        c[i * n + j] = acc;
      }
    return;
  }
  if (g.transpose_b) {  // pack B^T as (k, n) so the inner loop stays contiguous
    pack.resize(static_cast<size_t>(k * n));
    for (int64_t j = 0; j < n; ++j)
      for (int64_t p = 0; p < k; ++p) pack[p * n + j] = b[j * k + p];
    b = pack.data();
  }
  const int64_t a_row = g.transpose_a ? 1 : k, a_col = g.transpose_a ? m : 1;
  for (int64_t i = 0; i < m; ++i) {
    T* cr = c + i * n;
    for (int64_t j = 0; j < n; ++j) cr[j] = 0;
    for (int64_t p = 0; p < k; ++p) {
      const T av = a[i * a_row + p * a_col];
      const T* br = b + p * n;
      for (int64_t j = 0; j < n; ++j) cr[j] += av * br[j];
    }
  }
}

// Row-major element strides of a padded batch shape, 0 on broadcast (size-1) dims.
absl::InlinedVector<int64_t, 6> BatchStrides(const Shape& batch, int64_t matrix_size) {
  absl::InlinedVector<int64_t, 6> strides(batch.rank(), 0);
  int64_t s = matrix_size;
  for (int i = batch.rank() - 1; i >= 0; --i) {
    strides[i] = batch[i] == 1 ? 0 : s;
    s *= batch[i];
  }
  return strides;
}

template <class T>
void MatmulLoopImpl(const MatmulGeometry& g, const T* a, const T* b, T* c) {
  std::vector<T> pack;
  const int64_t c_size = g.m * g.n;
  if (g.batch.rank() == 0) return Gemm2D(g, a, b, c, pack);
  auto sa = BatchStrides(g.a_batch, g.m * g.k), sb = BatchStrides(g.b_batch, g.k * g.n);
  const int rank = g.batch.rank();
  absl::InlinedVector<int64_t, 6> idx(rank, 0);
  int64_t oa = 0, ob = 0;
  for (int64_t bi = 0; bi < g.batch_size; ++bi) {
    Gemm2D(g, a + oa, b + ob, c + bi * c_size, pack);
    for (int d = rank - 1; d >= 0; --d) {  // odometer over the batch dims
      if (++idx[d] < g.batch[d]) {
        oa += sa[d], ob += sb[d];
        break;
      }
      oa -= sa[d] * (g.batch[d] - 1), ob -= sb[d] * (g.batch[d] - 1);
      idx[d] = 0;
    }
  }
}

}  // namespace

// Integer products wrap on overflow (as TF's CPU kernels): computed on the same bits as the
// unsigned type, where overflow is defined.
template <class T>
void MatmulLoop(const MatmulGeometry& g, const T* a, const T* b, T* c) {
  using U = WrapType<T>;
  MatmulLoopImpl<U>(g, reinterpret_cast<const U*>(a), reinterpret_cast<const U*>(b),
                    reinterpret_cast<U*>(c));
}

template void MatmulLoop<float>(const MatmulGeometry&, const float*, const float*, float*);
template void MatmulLoop<double>(const MatmulGeometry&, const double*, const double*, double*);
template void MatmulLoop<int32_t>(const MatmulGeometry&, const int32_t*, const int32_t*, int32_t*);
template void MatmulLoop<int64_t>(const MatmulGeometry&, const int64_t*, const int64_t*, int64_t*);

}  // namespace duet::cpu
