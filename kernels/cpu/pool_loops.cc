#include "kernels/cpu/pool_loops.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace duet::cpu {
namespace {

struct WindowBounds {
  int64_t h_begin, h_end, w_begin, w_end;
  int64_t count() const { return (h_end - h_begin) * (w_end - w_begin); }
};

// The part of output (oh, ow)'s window that lies inside the input. TF SAME windows always
// overlap the input, so it is never empty for a valid geometry.
WindowBounds Bounds(const Window2D& g, int64_t oh, int64_t ow) {
  const int64_t h0 = oh * g.stride_h - g.pad_top, w0 = ow * g.stride_w - g.pad_left;
  return {std::max<int64_t>(h0, 0), std::min(h0 + g.k_h, g.in_h), std::max<int64_t>(w0, 0),
          std::min(w0 + g.k_w, g.in_w)};
}

// Calls visit(out_offset, in_offset) per output element with the flat offsets of the output
// and of its window's first maximum in x.
template <class T, class Visit>
void ForEachArgmax(const Window2D& g, const T* x, Visit visit) {
  const int64_t c_n = g.in_c;
  std::vector<T> best_buffer(c_n);
  std::vector<int64_t> arg_buffer(c_n);
  T* __restrict best = best_buffer.data();
  int64_t* __restrict arg = arg_buffer.data();
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t oh = 0; oh < g.out_h; ++oh)
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const WindowBounds b = Bounds(g, oh, ow);
        if (b.count() <= 0) continue;
        bool first = true;
        for (int64_t ih = b.h_begin; ih < b.h_end; ++ih)
          for (int64_t iw = b.w_begin; iw < b.w_end; ++iw) {
            const int64_t base = ((n * g.in_h + ih) * g.in_w + iw) * c_n;
            const T* __restrict xp = x + base;
            if (first) {
              for (int64_t c = 0; c < c_n; ++c) best[c] = xp[c], arg[c] = base + c;
              first = false;
              continue;
            }
            for (int64_t c = 0; c < c_n; ++c)
              if (xp[c] > best[c]) best[c] = xp[c], arg[c] = base + c;
          }
        const int64_t out_base = ((n * g.out_h + oh) * g.out_w + ow) * c_n;
        for (int64_t c = 0; c < c_n; ++c) visit(out_base + c, arg[c]);
      }
}

}  // namespace

template <class T>
void Pool2DLoop(const Window2D& g, bool max, const T* x, T* out) {
  const int64_t c_n = g.in_c;
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t oh = 0; oh < g.out_h; ++oh)
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const WindowBounds b = Bounds(g, oh, ow);
        T* __restrict o = out + ((n * g.out_h + oh) * g.out_w + ow) * c_n;
        const T init = max ? -std::numeric_limits<T>::infinity() : T(0);
        for (int64_t c = 0; c < c_n; ++c) o[c] = init;
        for (int64_t ih = b.h_begin; ih < b.h_end; ++ih)
          for (int64_t iw = b.w_begin; iw < b.w_end; ++iw) {
            const T* __restrict xp = x + ((n * g.in_h + ih) * g.in_w + iw) * c_n;
            if (max)
              for (int64_t c = 0; c < c_n; ++c) o[c] = std::max(o[c], xp[c]);
            else
              for (int64_t c = 0; c < c_n; ++c) o[c] += xp[c];
          }
        if (!max) {
          const T count = static_cast<T>(b.count());
          for (int64_t c = 0; c < c_n; ++c) o[c] /= count;
        }
      }
}

template <class T>
void MaxPool2DGradLoop(const Window2D& g, const T* x, const T* dy, T* dx) {
  std::fill(dx, dx + g.in_elements(), T(0));
  ForEachArgmax(g, x, [&](int64_t out, int64_t in) { dx[in] += dy[out]; });
}

template <class T>
void MaxPool2DGradGradLoop(const Window2D& g, const T* x, const T* ddx, T* ddy) {
  std::fill(ddy, ddy + g.out_elements(), T(0));
  ForEachArgmax(g, x, [&](int64_t out, int64_t in) { ddy[out] = ddx[in]; });
}

template <class T>
void AvgPool2DGradLoop(const Window2D& g, const T* dy, T* dx) {
  const int64_t c_n = g.in_c;
  std::fill(dx, dx + g.in_elements(), T(0));
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t oh = 0; oh < g.out_h; ++oh)
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const WindowBounds b = Bounds(g, oh, ow);
        if (b.count() <= 0) continue;
        const T scale = T(1) / static_cast<T>(b.count());
        const T* __restrict d = dy + ((n * g.out_h + oh) * g.out_w + ow) * c_n;
        for (int64_t ih = b.h_begin; ih < b.h_end; ++ih)
          for (int64_t iw = b.w_begin; iw < b.w_end; ++iw) {
            T* __restrict xp = dx + ((n * g.in_h + ih) * g.in_w + iw) * c_n;
            for (int64_t c = 0; c < c_n; ++c) xp[c] += d[c] * scale;
          }
      }
}

#define DUET_POOL_LOOPS(T)                                                         \
  template void Pool2DLoop<T>(const Window2D&, bool, const T*, T*);                \
  template void MaxPool2DGradLoop<T>(const Window2D&, const T*, const T*, T*);     \
  template void MaxPool2DGradGradLoop<T>(const Window2D&, const T*, const T*, T*); \
  template void AvgPool2DGradLoop<T>(const Window2D&, const T*, T*);
DUET_POOL_LOOPS(float)
DUET_POOL_LOOPS(double)
#undef DUET_POOL_LOOPS

}  // namespace duet::cpu
