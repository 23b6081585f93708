// Vectorizable CPU loops for elementwise kernels: unary maps and NumPy-broadcasting binary
// and ternary maps. Same-shape and scalar cases run as flat loops the compiler vectorizes;
// other broadcasts walk the output with a per-input stride (0 on broadcast dims).
// Example: BinaryMap<float, float>(a, b, out, [](float x, float y) { return x + y; });
#pragma once

#include <cstdint>

#include "absl/container/inlined_vector.h"
#include "runtime/tensor.h"

namespace duet::cpu {

template <class In, class Out, class Fn>
void UnaryMap(const Tensor& x, Tensor& out, Fn fn) {
  const In* __restrict px = x.data<In>();
  Out* __restrict po = out.mutable_data<Out>();
  for (int64_t i = 0, n = out.num_elements(); i < n; ++i) po[i] = fn(px[i]);
}

// Element strides of `in` viewed at `out_shape`'s rank, 0 on broadcast dims.
absl::InlinedVector<int64_t, 6> BroadcastStrides(const Shape& in, const Shape& out_shape);

// Calls body(offsets...) for every output element in row-major order, where offsets[k] is the
// element offset into operand k. Inner dimension handled by `inner(n, offsets, inner_strides)`.
template <int K, class Inner>
void ForEachBroadcast(const Shape& out_shape, const Shape* const (&in_shapes)[K], Inner inner) {
  int rank = out_shape.rank();
  absl::InlinedVector<int64_t, 6> strides[K];
  for (int k = 0; k < K; ++k) strides[k] = BroadcastStrides(*in_shapes[k], out_shape);
  if (rank == 0) {
    int64_t offs[K] = {}, st[K] = {};
    inner(int64_t{1}, offs, st);
    return;
  }
  int64_t n_inner = out_shape[rank - 1];
  int64_t inner_strides[K];
  for (int k = 0; k < K; ++k) inner_strides[k] = strides[k][rank - 1];
  int64_t outer = n_inner == 0 ? 0 : out_shape.num_elements() / n_inner;
  absl::InlinedVector<int64_t, 6> idx(rank, 0);
  int64_t offs[K] = {};
  for (int64_t o = 0; o < outer; ++o) {
    inner(n_inner, offs, inner_strides);
    for (int d = rank - 2; d >= 0; --d) {  // odometer over the outer dims
      if (++idx[d] < out_shape[d]) {
        for (int k = 0; k < K; ++k) offs[k] += strides[k][d];
        break;
      }
      for (int k = 0; k < K; ++k) offs[k] -= strides[k][d] * (out_shape[d] - 1);
      idx[d] = 0;
    }
  }
}

template <class In, class Out, class Fn>
void BinaryMap(const Tensor& a, const Tensor& b, Tensor& out, Fn fn) {
  const In* __restrict pa = a.data<In>();
  const In* __restrict pb = b.data<In>();
  Out* __restrict po = out.mutable_data<Out>();
  int64_t n = out.num_elements();
  int64_t na = a.num_elements(), nb = b.num_elements();
  if (na == n && nb == n) {
    for (int64_t i = 0; i < n; ++i) po[i] = fn(pa[i], pb[i]);
  } else if (na == n && nb == 1) {
    const In s = pb[0];
    for (int64_t i = 0; i < n; ++i) po[i] = fn(pa[i], s);
  } else if (na == 1 && nb == n) {
    const In s = pa[0];
    for (int64_t i = 0; i < n; ++i) po[i] = fn(s, pb[i]);
  } else {
    const Shape* shapes[2] = {&a.shape(), &b.shape()};
    ForEachBroadcast<2>(out.shape(), shapes, [&](int64_t m, const int64_t* offs, const int64_t* st) {
      const In* x = pa + offs[0];
      const In* y = pb + offs[1];
      if (st[0] == 1 && st[1] == 1) for (int64_t i = 0; i < m; ++i) po[i] = fn(x[i], y[i]);
      else if (st[0] == 1) for (int64_t i = 0; i < m; ++i) po[i] = fn(x[i], y[0]);
      else if (st[1] == 1) for (int64_t i = 0; i < m; ++i) po[i] = fn(x[0], y[i]);
      else for (int64_t i = 0; i < m; ++i) po[i] = fn(x[0], y[0]);
      po += m;
    });
  }
}

template <class C, class T, class Fn>
void TernaryMap(const Tensor& c, const Tensor& a, const Tensor& b, Tensor& out, Fn fn) {
  const C* pc = c.data<C>();
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  T* po = out.mutable_data<T>();
  // Inner runs with each operand either contiguous (stride 1) or a repeated scalar (stride 0):
  // the common combinations get loops the compiler vectorizes.
  auto inner = [&](int64_t m, const int64_t* offs, const int64_t* st) {
    const C* __restrict x0 = pc + offs[0];
    const T* __restrict x1 = pa + offs[1];
    const T* __restrict x2 = pb + offs[2];
    T* __restrict o = po;
    if (st[0] == 1 && st[1] == 1 && st[2] == 1) for (int64_t i = 0; i < m; ++i) o[i] = fn(x0[i], x1[i], x2[i]);
    else if (st[0] == 1 && st[1] == 1 && st[2] == 0) { const T v = x2[0]; for (int64_t i = 0; i < m; ++i) o[i] = fn(x0[i], x1[i], v); }
    else if (st[0] == 1 && st[1] == 0 && st[2] == 1) { const T v = x1[0]; for (int64_t i = 0; i < m; ++i) o[i] = fn(x0[i], v, x2[i]); }
    else for (int64_t i = 0; i < m; ++i) o[i] = fn(x0[i * st[0]], x1[i * st[1]], x2[i * st[2]]);
    po += m;
  };
  // Whole tensors that are either full-size or scalars need no index walk at all.
  int64_t n = out.num_elements();
  auto flat = [n](const Tensor& t) { return t.num_elements() == n || t.num_elements() == 1; };
  if (flat(c) && flat(a) && flat(b)) {
    int64_t offs[3] = {0, 0, 0};
    int64_t st[3] = {c.num_elements() == n && n != 1, a.num_elements() == n && n != 1, b.num_elements() == n && n != 1};
    inner(n, offs, st);
    return;
  }
  const Shape* shapes[3] = {&c.shape(), &a.shape(), &b.shape()};
  ForEachBroadcast<3>(out.shape(), shapes, inner);
}

}  // namespace duet::cpu
