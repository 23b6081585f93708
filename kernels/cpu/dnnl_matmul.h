// float32 batched matmul through a cached oneDNN matmul primitive. Transposes are memory
// strides and batch broadcasting is oneDNN's own (size-1 batch dims), so the user's buffers
// are read in place and the result is written straight into the output tensor: no copies.
// Primitives are cached by (batch dims of a and b, m, n, k, transposes, epilogue). An epilogue
// (bias, activation, residual: dnnl_epilogue.h) runs as post-ops; one oneDNN cannot fuse is
// Unimplemented, and the caller runs it as separate ops.
// Example: absl::Status s = DnnlMatmulF32(MakeMatmulGeometry(a, b, false, true), pa, pb, pc);
#pragma once

#include "absl/status/status.h"
#include "kernels/cpu/dnnl_epilogue.h"
#include "kernels/cpu/matmul_geometry.h"

namespace duet::cpu {

// Below this many multiply-adds the direct loop beats a oneDNN call (a fixed ~1.5us); above it
// oneDNN's blocked, threaded kernels win by far (measured: 24^3 is the break-even point).
inline constexpr int64_t kDnnlMatmulMinMacs = 16 * 32 * 32;

// Whether oneDNN can take this geometry at all (rank limit, no empty dims).
bool DnnlMatmulSupports(const MatmulGeometry& g);

absl::Status DnnlMatmulF32(const MatmulGeometry& g, const float* a, const float* b, float* c,
                           const DnnlEpilogue& epilogue = {});

}  // namespace duet::cpu
