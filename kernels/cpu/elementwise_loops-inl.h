// Vectorizable CPU loops for elementwise kernels, compiled once per Highway target (include
// this after hwy/foreach_target.h, inside no namespace): unary maps and NumPy-broadcasting
// binary and ternary maps. Same-shape and scalar cases run as flat loops the compiler
// vectorizes for the target's ISA; other broadcasts walk the output with a per-input stride
// (0 on broadcast dims). Callers define their functors between HWY_BEFORE_NAMESPACE() and
// HWY_AFTER_NAMESPACE() too, so that they inline into these loops.
// Example: BinaryMap<float, float>(a, b, out, [](float x, float y) { return x + y; });

// Include guard per target (the Highway idiom: the toggle flips on every re-inclusion).
#if defined(DUET_KERNELS_CPU_ELEMENTWISE_LOOPS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef DUET_KERNELS_CPU_ELEMENTWISE_LOOPS_INL_H_
#undef DUET_KERNELS_CPU_ELEMENTWISE_LOOPS_INL_H_
#else
#define DUET_KERNELS_CPU_ELEMENTWISE_LOOPS_INL_H_
#endif

#include <cstdint>

#include "hwy/highway.h"
#include "kernels/cpu/elementwise_loops.h"
#include "runtime/tensor.h"

HWY_BEFORE_NAMESPACE();
namespace duet::cpu::HWY_NAMESPACE {

template <class In, class Out, class Fn>
void UnaryMap(const Tensor& x, Tensor& out, Fn fn) {
  const In* __restrict px = x.data<In>();
  Out* __restrict po = out.mutable_data<Out>();
  for (int64_t i = 0, n = out.num_elements(); i < n; ++i) po[i] = fn(px[i]);
}

// One operand full, the other a block of `nb` elements repeated along the leading dims (a
// bias row). The block is tiled to about kTile elements so the inner loop is long enough to
// vectorize well; n is a multiple of nb, and so of the tile, except for a shorter last chunk.
template <bool kBlockIsB, class In, class Out, class Fn>
void BlockBroadcastMap(const In* __restrict full, const In* block, int64_t nb, Out* __restrict po,
                       int64_t n, Fn fn) {
  constexpr int64_t kTile = 512;
  HWY_ALIGN In tiled[kTile];
  const In* __restrict t = block;
  int64_t len = nb;
  if (nb < kTile) {
    len = kTile / nb * nb;
    for (int64_t i = 0; i < len; ++i) tiled[i] = block[i % nb];
    t = tiled;
  }
  for (int64_t off = 0; off < n; off += len) {
    const int64_t m = n - off < len ? n - off : len;
    const In* __restrict f = full + off;
    Out* __restrict o = po + off;
    if constexpr (kBlockIsB)
      for (int64_t i = 0; i < m; ++i) o[i] = fn(f[i], t[i]);
    else
      for (int64_t i = 0; i < m; ++i) o[i] = fn(t[i], f[i]);
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
  } else if (na == n && nb > 0 && IsTrailingBlock(b.shape(), out.shape())) {
    BlockBroadcastMap<true>(pa, pb, nb, po, n, fn);
  } else if (nb == n && na > 0 && IsTrailingBlock(a.shape(), out.shape())) {
    BlockBroadcastMap<false>(pb, pa, na, po, n, fn);
  } else {
    const Shape* shapes[2] = {&a.shape(), &b.shape()};
    ForEachBroadcast<2>(out.shape(), shapes,
                        [&](int64_t m, const int64_t* offs, const int64_t* st) {
                          const In* x = pa + offs[0];
                          const In* y = pb + offs[1];
                          if (st[0] == 1 && st[1] == 1)
                            for (int64_t i = 0; i < m; ++i) po[i] = fn(x[i], y[i]);
                          else if (st[0] == 1)
                            for (int64_t i = 0; i < m; ++i) po[i] = fn(x[i], y[0]);
                          else if (st[1] == 1)
                            for (int64_t i = 0; i < m; ++i) po[i] = fn(x[0], y[i]);
                          else
                            for (int64_t i = 0; i < m; ++i) po[i] = fn(x[0], y[0]);
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
    if (st[0] == 1 && st[1] == 1 && st[2] == 1)
      for (int64_t i = 0; i < m; ++i) o[i] = fn(x0[i], x1[i], x2[i]);
    else if (st[0] == 1 && st[1] == 1 && st[2] == 0) {
      const T v = x2[0];
      for (int64_t i = 0; i < m; ++i) o[i] = fn(x0[i], x1[i], v);
    } else if (st[0] == 1 && st[1] == 0 && st[2] == 1) {
      const T v = x1[0];
      for (int64_t i = 0; i < m; ++i) o[i] = fn(x0[i], v, x2[i]);
    } else
      for (int64_t i = 0; i < m; ++i) o[i] = fn(x0[i * st[0]], x1[i * st[1]], x2[i * st[2]]);
    po += m;
  };
  // Whole tensors that are either full-size or scalars need no index walk at all.
  int64_t n = out.num_elements();
  auto flat = [n](const Tensor& t) { return t.num_elements() == n || t.num_elements() == 1; };
  if (flat(c) && flat(a) && flat(b)) {
    int64_t offs[3] = {0, 0, 0};
    int64_t st[3] = {c.num_elements() == n && n != 1, a.num_elements() == n && n != 1,
                     b.num_elements() == n && n != 1};
    inner(n, offs, st);
    return;
  }
  const Shape* shapes[3] = {&c.shape(), &a.shape(), &b.shape()};
  ForEachBroadcast<3>(out.shape(), shapes, inner);
}

}  // namespace duet::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
