// float32 softmax / log_softmax over the last axis through cached oneDNN softmax_forward /
// logsoftmax_forward primitives (JIT-vectorized exp; the plain loops call scalar expf). Only
// the contiguous-axis case: for an inner axis oneDNN 2.6 falls back to a reference kernel that
// is slower than duet's loops. Cached by (rows, row length, log).
// Example: absl::Status s = DnnlSoftmaxF32(x.data<float>(), out.mutable_data<float>(), rows, n,
// false);
#pragma once

#include <cstdint>

#include "absl/status/status.h"

namespace duet::cpu {

absl::Status DnnlSoftmaxF32(const float* x, float* out, int64_t rows, int64_t n, bool log);

}  // namespace duet::cpu
