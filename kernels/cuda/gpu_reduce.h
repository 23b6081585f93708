// The reduction device kernels behind a plain C++ interface (reduce_kernels.cu, nvcc):
// sum/mean/max/min/prod over any set of axes of a row-major input, and argmax/argmin along one
// axis. The host collapses the axes first (elementwise_layout.h: MakeReduceLayout), so an
// output element is a walk over the kept dims and its inputs a walk over the reduced dims,
// each with its own strides: any axis set becomes one strided kernel. Semantics follow
// kernels/cpu/reduce_loops.h: float32 sums and products accumulate in double, int32 in int64,
// integers wrap; integer means truncate toward zero; an empty float mean is NaN; max/min
// propagate NaN and need a non-empty reduction (callers check). Launches are asynchronous.
// Example: LaunchReduce(ReduceKind::kSum, ElemType::kF32, x, out, layout, stream);
#pragma once

#include <cstdint>

#include "kernels/cuda/cuda_handles.h"
#include "kernels/cuda/gpu_types.h"

namespace duet::cuda {

enum class ReduceKind : uint8_t { kSum, kMean, kMax, kMin, kProd };

// Output element o (row-major over kept_dims) reads the input at
//   sum_d kept_index_d * kept_strides[d] + sum_e reduced_index_e * reduced_strides[e]
// for every reduced index (row-major over reduced_dims; `count` of them, 1 when none).
struct ReduceLayout {
  int kept_rank = 0;
  int64_t kept_dims[kMaxRank] = {};
  int64_t kept_strides[kMaxRank] = {};
  int reduced_rank = 0;
  int64_t reduced_dims[kMaxRank] = {};
  int64_t reduced_strides[kMaxRank] = {};
  int64_t num_outputs = 1;
  int64_t count = 1;
};

// out (x's type, num_outputs elements) = the reduction. float32/64 and int32/64.
int LaunchReduce(ReduceKind kind, ElemType type, const void* x, void* out,
                 const ReduceLayout& layout, cudaStream_t stream);

// x viewed as (outer, n, inner): out[o * inner + i] (int64) = the first k < n where
// x[(o * n + k) * inner + i] is the maximum (minimum with `arg_min`); a NaN beats everything,
// as in NumPy. n must be > 0 unless outer * inner == 0. float32/64 and int32/64.
int LaunchArgReduce(ElemType type, bool arg_min, const void* x, int64_t* out, int64_t outer,
                    int64_t n, int64_t inner, cudaStream_t stream);

}  // namespace duet::cuda
