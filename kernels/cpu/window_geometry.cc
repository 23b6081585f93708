#include "kernels/cpu/window_geometry.h"

#include <algorithm>

namespace duet::cpu {

WindowDim ComputeWindowDim(int64_t in, int64_t k, int64_t stride, int64_t dilation, bool same) {
  WindowDim d;
  if (in < 0) return d;
  int64_t effective_k = (k - 1) * dilation + 1;
  if (!same) {
    int64_t span = in - effective_k + 1;  // ceil((in - (k-1)*d) / s), kept <= 0 when nothing fits
    d.out = span <= 0 ? span : (span + stride - 1) / stride;
    return d;
  }
  d.out = (in + stride - 1) / stride;
  int64_t pad_total = std::max<int64_t>((d.out - 1) * stride + effective_k - in, 0);
  d.pad_before = pad_total / 2;
  d.pad_after = pad_total - d.pad_before;
  return d;
}

Window2D MakeWindow2D(const Shape& nhwc, int64_t k_h, int64_t k_w, int64_t out_c,
                      const int64_t strides[2], const int64_t dilations[2], bool same) {
  Window2D g;
  g.batch = nhwc[0], g.in_h = nhwc[1], g.in_w = nhwc[2], g.in_c = nhwc[3];
  g.k_h = k_h, g.k_w = k_w, g.out_c = out_c;
  g.stride_h = strides[0], g.stride_w = strides[1], g.dil_h = dilations[0], g.dil_w = dilations[1];
  WindowDim h = ComputeWindowDim(g.in_h, k_h, g.stride_h, g.dil_h, same);
  WindowDim w = ComputeWindowDim(g.in_w, k_w, g.stride_w, g.dil_w, same);
  g.out_h = h.out, g.out_w = w.out;
  g.pad_top = h.pad_before, g.pad_bottom = h.pad_after;
  g.pad_left = w.pad_before, g.pad_right = w.pad_after;
  return g;
}

}  // namespace duet::cpu
