// Row-major (batched) matrix products on cuBLAS. cuBLAS is column-major, and a row-major
// matrix read column-major is its transpose, so C = op(A) op(B) is computed as
// C^T = op(B)^T op(A)^T: the operands swap, each keeps its own transpose flag, and the leading
// dimension is the stored row length. Math mode is cuBLAS's default (no TF32).
// Example: RETURN_IF_ERROR(RowMajorGemm(0, ElemType::kF32, {m, n, k}, a, b, c));
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "kernels/cuda/gpu_types.h"

namespace duet::cuda {

// batch products c_i = op(a_i) op(b_i), op(a_i) m x k, op(b_i) k x n, c_i m x n, all row-major;
// matrix i starts i * stride elements in (stride 0: one matrix shared by every product).
struct GemmShape {
  int64_t m = 0, n = 0, k = 0;
  bool transpose_a = false, transpose_b = false;
  int64_t batch = 1;
  int64_t stride_a = 0, stride_b = 0, stride_c = 0;
};

// float32 (cublasSgemm / cublasSgemmStridedBatched) or float64 (the D variants), queued on
// this thread's stream on `device` (not synchronized). k must be > 0 (callers zero C for
// k == 0). "cuBLAS failed: CUBLAS_STATUS_..." on failure.
absl::Status RowMajorGemm(int device, ElemType type, const GemmShape& g, const void* a,
                          const void* b, void* c);

}  // namespace duet::cuda
