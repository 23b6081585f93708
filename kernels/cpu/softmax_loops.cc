#include "kernels/cpu/softmax_loops.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/cpu/vmath.h"
#include "runtime/thread_policy.h"
#include "runtime/thread_pool.h"

namespace duet::cpu {
namespace {

template <class T>
void SoftmaxRow(const T* __restrict x, T* __restrict out, int64_t n, bool log) {
  T max = -std::numeric_limits<T>::infinity();
  for (int64_t i = 0; i < n; ++i) max = std::max(max, x[i]);
  for (int64_t i = 0; i < n; ++i) out[i] = x[i] - max;
  VectorMath(MathFn::kExp, out, out, n);
  T sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += out[i];
  if (log) {
    const T log_sum = std::log(sum);  // (x - max) - log_sum: folding max + log_sum would lose bits
    for (int64_t i = 0; i < n; ++i) out[i] = (x[i] - max) - log_sum;
  } else {
    const T scale = T(1) / sum;
    for (int64_t i = 0; i < n; ++i) out[i] *= scale;
  }
}

// One (n, inner) block: reduce over n for each of the `inner` positions at once.
template <class T>
void SoftmaxStrided(const T* __restrict x, T* __restrict out, int64_t n, int64_t inner, bool log,
                    std::vector<T>& max, std::vector<T>& sum) {
  max.assign(inner, -std::numeric_limits<T>::infinity());
  sum.assign(inner, T(0));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < inner; ++j) max[j] = std::max(max[j], x[i * inner + j]);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < inner; ++j) out[i * inner + j] = x[i * inner + j] - max[j];
  VectorMath(MathFn::kExp, out, out, n * inner);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < inner; ++j) sum[j] += out[i * inner + j];
  if (log) {
    for (int64_t j = 0; j < inner; ++j) sum[j] = std::log(sum[j]);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < inner; ++j) out[i * inner + j] = (x[i * inner + j] - max[j]) - sum[j];
  } else {
    for (int64_t j = 0; j < inner; ++j) sum[j] = T(1) / sum[j];
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < inner; ++j) out[i * inner + j] *= sum[j];
  }
}

}  // namespace

template <class T>
void SoftmaxLoop(const T* x, T* out, int64_t outer, int64_t n, int64_t inner, bool log) {
  if (n == 0 || inner == 0) return;
  const int64_t block = n * inner;
  // Rows are independent: large inputs spread them over duet's pool.
  ParallelFor(outer, RowGrain(kGrainSoftmax, block), [&](int64_t o0, int64_t o1) {
    if (inner == 1) {
      for (int64_t o = o0; o < o1; ++o) SoftmaxRow(x + o * block, out + o * block, n, log);
      return;
    }
    std::vector<T> max, sum;
    for (int64_t o = o0; o < o1; ++o)
      SoftmaxStrided(x + o * block, out + o * block, n, inner, log, max, sum);
  });
}

template void SoftmaxLoop<float>(const float*, float*, int64_t, int64_t, int64_t, bool);
template void SoftmaxLoop<double>(const double*, double*, int64_t, int64_t, int64_t, bool);

}  // namespace duet::cpu
