// Per-target bodies of the reductions (reduce_loops.h): the lane loops vectorize with each
// Highway target's ISA; Reduce and ArgMax dispatch at run time.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/cpu/reduce_loops.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <algorithm>
#include <limits>
#include <type_traits>

#include "hwy/highway.h"
#include "kernels/cpu/reduce_loops.h"
#include "runtime/thread_policy.h"
#include "runtime/thread_pool.h"

HWY_BEFORE_NAMESPACE();
namespace duet::cpu::HWY_NAMESPACE {

// A reducer: In, Acc; init(); step(Acc, In); combine(Acc, Acc); finish(Acc, count) -> In.
// Sums accumulate float32 in double (accurate over millions of elements) and integers in uint64
// so that overflow wraps (the int32 result is the low 32 bits, as TF) instead of being undefined.
template <class T>
struct SumAccOf {
  using type = T;
};
template <>
struct SumAccOf<float> {
  using type = double;
};
template <>
struct SumAccOf<int32_t> {
  using type = uint64_t;
};
template <>
struct SumAccOf<int64_t> {
  using type = uint64_t;
};

template <class T>
struct SumOp {
  using In = T;
  using Acc = typename SumAccOf<T>::type;
  static constexpr bool kNaNFlags = false;
  static Acc init() { return Acc(0); }
  static Acc step(Acc a, T v) { return a + static_cast<Acc>(v); }
  static Acc combine(Acc a, Acc b) { return a + b; }
  static T finish(Acc a, int64_t) { return static_cast<T>(a); }
};

template <class T>
struct MeanOp : SumOp<T> {
  using Acc = typename SumOp<T>::Acc;
  static T finish(Acc a, int64_t n) {
    if constexpr (std::is_floating_point_v<T>)
      return static_cast<T>(static_cast<double>(a) / static_cast<double>(n));
    else
      return n ? static_cast<T>(static_cast<int64_t>(a) / n)
               : T(0);  // truncates toward zero, like TF
  }
};

// NaN propagates: once the accumulator is NaN nothing replaces it. `plain` ignores NaN; the
// lane loop uses it with separate NaN flags because that form vectorizes (to vmaxps).
template <class T, bool kMax>
struct ExtremumOp {
  using In = T;
  using Acc = T;
  static constexpr bool kNaNFlags = std::is_floating_point_v<T>;
  static T init() {
    using L = std::numeric_limits<T>;
    if constexpr (L::has_infinity)
      return kMax ? -L::infinity() : L::infinity();
    else
      return kMax ? L::lowest() : L::max();
  }
  static T plain(T a, T v) { return (kMax ? v > a : v < a) ? v : a; }
  static T step(T a, T v) { return ((kMax ? v > a : v < a) || v != v) ? v : a; }
  static T combine(T a, T b) { return step(a, b); }
  static T finish(T a, int64_t) { return a; }
};

constexpr int kLanes = 8;
constexpr int64_t kBlock = 256;

// R over n contiguous elements, n a multiple of kLanes: independent lanes, then a tree.
// The lane loop must stay a loop (not be fully unrolled first) for GCC to vectorize it.
template <class R>
typename R::Acc ReduceLanes(const typename R::In* __restrict p, int64_t n) {
  using Acc = typename R::Acc;
  Acc lane[kLanes];
  for (auto& a : lane) a = R::init();
  if constexpr (R::kNaNFlags) {
    using Flag = std::conditional_t<sizeof(Acc) == 4, int32_t, int64_t>;
    Flag nan[kLanes] = {};
    for (int64_t i = 0; i < n; i += kLanes)
#pragma GCC unroll 1
      for (int l = 0; l < kLanes; ++l) {
        Acc v = p[i + l];
        lane[l] = R::plain(lane[l], v);
        nan[l] |= -static_cast<Flag>(v != v);
      }
    Flag any = 0;
    for (Flag f : nan) any |= f;
    if (any) return std::numeric_limits<Acc>::quiet_NaN();
  } else {
    for (int64_t i = 0; i < n; i += kLanes)
#pragma GCC unroll 1
      for (int l = 0; l < kLanes; ++l) lane[l] = R::step(lane[l], p[i + l]);
  }
  for (int w = kLanes / 2; w >= 1; w /= 2)
    for (int l = 0; l < w; ++l) lane[l] = R::combine(lane[l], lane[l + w]);
  return lane[0];
}

// R over n contiguous elements: blocks combined pairwise through a binary counter (as a
// recursive pairwise sum would, without recursion).
template <class R>
typename R::Acc ReduceRun(const typename R::In* p, int64_t n) {
  typename R::Acc level[64];
  int64_t blocks = 0, i = 0;
  for (; i + kBlock <= n; i += kBlock, ++blocks) {
    typename R::Acc s = ReduceLanes<R>(p + i, kBlock);
    int k = 0;
    for (; (blocks >> k) & 1; ++k) s = R::combine(level[k], s);
    level[k] = s;
  }
  int64_t body = (n - i) / kLanes * kLanes;
  typename R::Acc s = ReduceLanes<R>(p + i, body);
  for (i += body; i < n; ++i) s = R::step(s, p[i]);
  for (int k = 0; k < 64; ++k)
    if ((blocks >> k) & 1) s = R::combine(level[k], s);
  return s;
}

using Strides = absl::InlinedVector<int64_t, 6>;

// Accumulates a (rows, cols) block's columns into acc[0, cols): a bias gradient, or global
// average pooling per image. Sixteen columns at a time stay in registers across the rows; each
// column still adds its rows in order, so the result is the same as one row at a time.
template <class R, class T>
void AccumulateColumns(const T* p, int64_t rows, int64_t cols, typename R::Acc* acc) {
  constexpr int64_t kCols = 16;
  int64_t c0 = 0;
  for (; c0 + kCols <= cols; c0 += kCols) {
    typename R::Acc local[kCols];
    for (int64_t k = 0; k < kCols; ++k) local[k] = acc[c0 + k];
    const T* q = p + c0;
    for (int64_t r = 0; r < rows; ++r, q += cols)
      for (int64_t k = 0; k < kCols; ++k) local[k] = R::step(local[k], q[k]);
    for (int64_t k = 0; k < kCols; ++k) acc[c0 + k] = local[k];
  }
  for (int64_t r = 0; r < rows && c0 < cols; ++r)
    for (int64_t k = c0; k < cols; ++k) acc[k] = R::step(acc[k], p[r * cols + k]);
}

// Accumulates rows [r0, r1) of the outermost collapsed dim into acc (by output offset); with a
// single collapsed dim the rows are its elements.
template <class R, class T>
void AccumulateRows(const T* p, const ReduceLayout& layout, const Strides& out_stride, int64_t r0,
                    int64_t r1, typename R::Acc* acc) {
  using Acc = typename R::Acc;
  const int g = static_cast<int>(layout.dims.size());
  const bool last_reduced = layout.reduced[g - 1];
  if (g == 1) {
    if (last_reduced)
      acc[0] = R::combine(acc[0], ReduceRun<R>(p + r0, r1 - r0));
    else
      for (int64_t k = r0; k < r1; ++k) acc[k] = R::step(acc[k], p[k]);
    return;
  }
  const int64_t last = layout.dims[g - 1];
  // (reduced rows, kept columns), alone or under one kept dim: column sums without the odometer.
  if (!last_reduced && layout.reduced[g - 2] && (g == 2 || (g == 3 && !layout.reduced[0]))) {
    if (g == 2) return AccumulateColumns<R>(p + r0 * last, r1 - r0, last, acc);
    const int64_t block = layout.dims[1] * last;
    for (int64_t r = r0; r < r1; ++r)
      AccumulateColumns<R>(p + r * block, layout.dims[1], last, acc + r * out_stride[0]);
    return;
  }
  int64_t row = 1;
  for (int d = 1; d < g; ++d) row *= layout.dims[d];
  absl::InlinedVector<int64_t, 6> idx(g, 0);
  idx[0] = r0;
  int64_t out_off = r0 * out_stride[0];
  for (int64_t in_off = r0 * row; in_off < r1 * row;
       in_off += last) {  // one innermost run per step
    if (last_reduced) {
      acc[out_off] = R::combine(acc[out_off], ReduceRun<R>(p + in_off, last));
    } else {
      Acc* __restrict a = acc + out_off;
      const T* __restrict q = p + in_off;
      for (int64_t k = 0; k < last; ++k) a[k] = R::step(a[k], q[k]);
    }
    for (int d = g - 2; d >= 0; --d) {  // odometer over the outer dims
      if (++idx[d] < layout.dims[d]) {
        out_off += out_stride[d];
        break;
      }
      out_off -= out_stride[d] * (layout.dims[d] - 1);
      idx[d] = 0;
    }
  }
}

// Large inputs are cut into chunks of rows of the outermost dim, whatever the thread count (so
// results never depend on it), and the chunks run on duet's pool. Chunks of a kept outer dim
// write disjoint outputs; chunks of a reduced one get their own accumulators, combined in order.
constexpr int64_t kMaxPartials = 64;

template <class R, class T>
void ReduceWith(const Tensor& x, const ReduceLayout& layout, Tensor& out) {
  using Acc = typename R::Acc;
  const int64_t n_out = out.num_elements();
  if (n_out == 0) return;
  std::vector<Acc> acc(n_out, R::init());
  const int64_t n_in = x.num_elements();
  const T* p = x.data<T>();
  const int g = static_cast<int>(layout.dims.size());
  if (n_in > 0) {
    // Output strides of the collapsed dims (0 on reduced ones).
    Strides out_stride(g, 0);
    int64_t stride = 1;
    for (int d = g - 1; d >= 0; --d)
      if (!layout.reduced[d]) out_stride[d] = stride, stride *= layout.dims[d];
    const int64_t rows = layout.dims[0];
    int64_t rows_per_chunk = RowGrain(kGrainReduction, n_in / rows);
    if (n_in < 2 * kGrainReduction || rows_per_chunk >= rows) {
      AccumulateRows<R>(p, layout, out_stride, 0, rows, acc.data());
    } else if (!layout.reduced[0]) {
      ParallelFor(rows, rows_per_chunk, [&](int64_t r0, int64_t r1) {
        AccumulateRows<R>(p, layout, out_stride, r0, r1, acc.data());
      });
    } else {
      rows_per_chunk = std::max(rows_per_chunk, (rows + kMaxPartials - 1) / kMaxPartials);
      const int64_t chunks = (rows + rows_per_chunk - 1) / rows_per_chunk;
      std::vector<Acc> partial(chunks * n_out, R::init());
      ParallelFor(chunks, 1, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c)
          AccumulateRows<R>(p, layout, out_stride, c * rows_per_chunk,
                            std::min(rows, (c + 1) * rows_per_chunk), partial.data() + c * n_out);
      });
      for (int64_t c = 0; c < chunks; ++c)
        for (int64_t i = 0; i < n_out; ++i) acc[i] = R::combine(acc[i], partial[c * n_out + i]);
    }
  }
  T* po = out.mutable_data<T>();
  for (int64_t i = 0; i < n_out; ++i) po[i] = R::finish(acc[i], layout.count);
}

template <class T>
void ReduceTyped(ReduceKind kind, const Tensor& x, const ReduceLayout& layout, Tensor& out) {
  switch (kind) {
    case ReduceKind::kSum:
      return ReduceWith<SumOp<T>, T>(x, layout, out);
    case ReduceKind::kMean:
      return ReduceWith<MeanOp<T>, T>(x, layout, out);
    case ReduceKind::kMax:
      return ReduceWith<ExtremumOp<T, true>, T>(x, layout, out);
    case ReduceKind::kMin:
      return ReduceWith<ExtremumOp<T, false>, T>(x, layout, out);
  }
}

template <class T>
void ArgMaxTyped(const T* x, int64_t outer, int64_t n, int64_t inner, int64_t* out) {
  if (inner == 1) {  // the vectorized max, then the first element equal to it (or NaN)
    for (int64_t o = 0; o < outer; ++o, x += n) {
      T best = ReduceRun<ExtremumOp<T, true>>(x, n);
      int64_t at = 0;
      if (best != best)
        while (x[at] == x[at]) ++at;
      else
        while (x[at] != best) ++at;
      out[o] = at;
    }
    return;
  }
  // Whole rows at a time, so the walk stays contiguous.
  std::vector<T> best(inner);
  for (int64_t o = 0; o < outer; ++o, x += n * inner, out += inner) {
    for (int64_t i = 0; i < inner; ++i) best[i] = x[i], out[i] = 0;
    for (int64_t r = 1; r < n; ++r) {
      const T* row = x + r * inner;
      for (int64_t i = 0; i < inner; ++i) {
        T v = row[i];
        if (v > best[i] || (v != v && best[i] == best[i])) best[i] = v, out[i] = r;
      }
    }
  }
}

void ReduceImpl(ReduceKind kind, const Tensor& x, const ReduceLayout& layout, Tensor& out) {
  switch (x.dtype()) {
    case DType::kFloat32:
      return ReduceTyped<float>(kind, x, layout, out);
    case DType::kFloat64:
      return ReduceTyped<double>(kind, x, layout, out);
    case DType::kInt32:
      return ReduceTyped<int32_t>(kind, x, layout, out);
    case DType::kInt64:
      return ReduceTyped<int64_t>(kind, x, layout, out);
    default:
      return;  // callers register these four dtypes only
  }
}

void ArgMaxImpl(const Tensor& x, int axis, Tensor& out) {
  int64_t outer = 1, n = x.shape()[axis], inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.shape()[d];
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.shape()[d];
  if (out.num_elements() == 0 || n == 0) return;
  int64_t* po = out.mutable_data<int64_t>();
  switch (x.dtype()) {
    case DType::kFloat32:
      return ArgMaxTyped(x.data<float>(), outer, n, inner, po);
    case DType::kFloat64:
      return ArgMaxTyped(x.data<double>(), outer, n, inner, po);
    case DType::kInt32:
      return ArgMaxTyped(x.data<int32_t>(), outer, n, inner, po);
    case DType::kInt64:
      return ArgMaxTyped(x.data<int64_t>(), outer, n, inner, po);
    default:
      return;
  }
}

}  // namespace duet::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace duet::cpu {

ReduceLayout CollapseForReduce(const Shape& shape, const std::vector<bool>& reduced) {
  ReduceLayout layout;
  for (int d = 0; d < shape.rank(); ++d) {
    if (reduced[d]) layout.count *= shape[d];
    if (shape[d] == 1) continue;  // moves nothing either way
    if (!layout.dims.empty() && layout.reduced.back() == reduced[d]) {
      layout.dims.back() *= shape[d];
    } else {
      layout.dims.push_back(shape[d]);
      layout.reduced.push_back(reduced[d]);
    }
  }
  if (layout.dims.empty()) {  // a single element
    layout.dims.push_back(1);
    layout.reduced.push_back(true);
  }
  return layout;
}

HWY_EXPORT(ReduceImpl);
HWY_EXPORT(ArgMaxImpl);

void Reduce(ReduceKind kind, const Tensor& x, const ReduceLayout& layout, Tensor& out) {
  HWY_DYNAMIC_DISPATCH(ReduceImpl)(kind, x, layout, out);
}

void ArgMax(const Tensor& x, int axis, Tensor& out) {
  HWY_DYNAMIC_DISPATCH(ArgMaxImpl)(x, axis, out);
}

}  // namespace duet::cpu
#endif  // HWY_ONCE
