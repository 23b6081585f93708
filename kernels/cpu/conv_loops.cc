#include "kernels/cpu/conv_loops.h"

#include <algorithm>

namespace duet::cpu {
namespace {

// Calls fn(n, oh, ow, kh, kw, ih, iw) for every (output position, filter tap) that lands
// inside the input (padding taps contribute nothing).
template <class Fn>
void ForEachTap(const Window2D& g, Fn fn) {
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t oh = 0; oh < g.out_h; ++oh)
      for (int64_t ow = 0; ow < g.out_w; ++ow)
        for (int64_t kh = 0; kh < g.k_h; ++kh) {
          const int64_t ih = oh * g.stride_h - g.pad_top + kh * g.dil_h;
          if (ih < 0 || ih >= g.in_h) continue;
          for (int64_t kw = 0; kw < g.k_w; ++kw) {
            const int64_t iw = ow * g.stride_w - g.pad_left + kw * g.dil_w;
            if (iw < 0 || iw >= g.in_w) continue;
            fn(n, oh, ow, kh, kw, ih, iw);
          }
        }
}

}  // namespace

template <class T>
void Conv2DLoop(const Window2D& g, const T* x, const T* f, T* out) {
  const int64_t oc_n = g.out_c, ic_n = g.in_c;
  std::fill(out, out + g.out_elements(), T(0));
  ForEachTap(
      g, [&](int64_t n, int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
        T* __restrict o = out + ((n * g.out_h + oh) * g.out_w + ow) * oc_n;
        const T* xp = x + ((n * g.in_h + ih) * g.in_w + iw) * ic_n;
        const T* fp = f + (kh * g.k_w + kw) * ic_n * oc_n;
        for (int64_t ic = 0; ic < ic_n; ++ic) {
          const T xv = xp[ic];
          const T* __restrict fr = fp + ic * oc_n;
          for (int64_t oc = 0; oc < oc_n; ++oc) o[oc] += xv * fr[oc];
        }
      });
}

template <class T>
void Conv2DBackpropInputLoop(const Window2D& g, const T* f, const T* dy, T* dx) {
  const int64_t oc_n = g.out_c, ic_n = g.in_c;
  std::fill(dx, dx + g.in_elements(), T(0));
  ForEachTap(
      g, [&](int64_t n, int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
        const T* __restrict d = dy + ((n * g.out_h + oh) * g.out_w + ow) * oc_n;
        T* xp = dx + ((n * g.in_h + ih) * g.in_w + iw) * ic_n;
        const T* fp = f + (kh * g.k_w + kw) * ic_n * oc_n;
        for (int64_t ic = 0; ic < ic_n; ++ic) {
          const T* __restrict fr = fp + ic * oc_n;
          T acc = 0;
          for (int64_t oc = 0; oc < oc_n; ++oc) acc += d[oc] * fr[oc];
          xp[ic] += acc;
        }
      });
}

template <class T>
void Conv2DBackpropFilterLoop(const Window2D& g, const T* x, const T* dy, T* df) {
  const int64_t oc_n = g.out_c, ic_n = g.in_c;
  std::fill(df, df + g.k_h * g.k_w * ic_n * oc_n, T(0));
  ForEachTap(
      g, [&](int64_t n, int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
        const T* __restrict d = dy + ((n * g.out_h + oh) * g.out_w + ow) * oc_n;
        const T* xp = x + ((n * g.in_h + ih) * g.in_w + iw) * ic_n;
        T* fp = df + (kh * g.k_w + kw) * ic_n * oc_n;
        for (int64_t ic = 0; ic < ic_n; ++ic) {
          const T xv = xp[ic];
          T* __restrict fr = fp + ic * oc_n;
          for (int64_t oc = 0; oc < oc_n; ++oc) fr[oc] += xv * d[oc];
        }
      });
}

template void Conv2DLoop<float>(const Window2D&, const float*, const float*, float*);
template void Conv2DLoop<double>(const Window2D&, const double*, const double*, double*);
template void Conv2DBackpropInputLoop<float>(const Window2D&, const float*, const float*, float*);
template void Conv2DBackpropInputLoop<double>(const Window2D&, const double*, const double*,
                                              double*);
template void Conv2DBackpropFilterLoop<float>(const Window2D&, const float*, const float*, float*);
template void Conv2DBackpropFilterLoop<double>(const Window2D&, const double*, const double*,
                                               double*);

}  // namespace duet::cpu
