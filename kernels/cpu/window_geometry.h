// Window2D: the geometry of a 2-D sliding window over an NHWC tensor (conv2d, pools), with
// TensorFlow's "SAME"/"VALID" padding arithmetic in one place so the shape functions, the
// oneDNN wrappers and the plain loops can never disagree about output sizes or padding.
//   VALID: out = ceil((in - (k-1)*d) / s), no padding.
//   SAME:  out = ceil(in / s), pad_total = max((out-1)*s + (k-1)*d + 1 - in, 0),
//          pad_before = pad_total / 2, pad_after = the rest (the extra pixel goes after, as TF).
// Example: WindowDim d = ComputeWindowDim(/*in=*/5, /*k=*/3, /*s=*/2, /*d=*/1, /*same=*/true);
//          // d.out == 3, d.pad_before == 1, d.pad_after == 1
#pragma once

#include <cstdint>

#include "runtime/shape.h"

namespace duet::cpu {

struct WindowDim {
  int64_t out = -1;  // -1 when `in` is unknown (tracing); may be <= 0 for a too-small VALID input
  int64_t pad_before = 0, pad_after = 0;
};

// One spatial dimension. `in` may be -1 (unknown); k, s, d must be positive.
WindowDim ComputeWindowDim(int64_t in, int64_t k, int64_t stride, int64_t dilation, bool same);

// The full geometry of a window op on a concrete NHWC input. For pools out_c == in_c and the
// dilations are 1.
struct Window2D {
  int64_t batch = 0, in_h = 0, in_w = 0, in_c = 0;
  int64_t k_h = 1, k_w = 1, out_c = 0;
  int64_t stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1;
  int64_t out_h = 0, out_w = 0;
  int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;

  int64_t in_elements() const { return batch * in_h * in_w * in_c; }
  int64_t out_elements() const { return batch * out_h * out_w * out_c; }
};

Window2D MakeWindow2D(const Shape& nhwc, int64_t k_h, int64_t k_w, int64_t out_c,
                      const int64_t strides[2], const int64_t dilations[2], bool same);

}  // namespace duet::cpu
