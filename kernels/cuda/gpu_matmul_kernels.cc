// The GPU kernel of matmul (kernels/matmul_ops.cc) on cuBLAS (cublas_matmul.h), float32 and
// float64. Batch dims broadcast as on the CPU (kernels/cpu/matmul_geometry.h): when each
// input's batch is either whole or a single matrix, one strided-batched call does it all (a
// rank-2 B under an untransposed, batched A folds into one plain product); otherwise each
// output matrix is its own call, with broadcast offsets.
#include <cstdint>

#include "absl/container/inlined_vector.h"
#include "kernels/cpu/matmul_geometry.h"
#include "kernels/cuda/cublas_matmul.h"
#include "kernels/cuda/gpu_kernel_util.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace duet::cuda {
namespace {

bool AllOnes(const Shape& s) {
  for (int64_t d : s)
    if (d != 1) return false;
  return true;
}

// Element strides of each batch index into an input with batch dims `in` (0 on broadcast dims).
absl::InlinedVector<int64_t, 6> BatchStrides(const Shape& in, int64_t matrix) {
  absl::InlinedVector<int64_t, 6> s(in.rank(), 0);
  int64_t stride = matrix;
  for (int d = in.rank() - 1; d >= 0; --d) {
    s[d] = in[d] == 1 ? 0 : stride;
    stride *= in[d];
  }
  return s;
}

absl::Status MatmulKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& a = ctx.inputs[0];
  const Tensor& b = ctx.inputs[1];
  Tensor& c = ctx.outputs[0];
  const cpu::MatmulGeometry g = cpu::MakeMatmulGeometry(
      a.shape(), b.shape(), ctx.attr<bool>("transpose_a"), ctx.attr<bool>("transpose_b"));
  if (c.num_elements() == 0) return absl::OkStatus();
  if (g.k == 0) {  // empty sums
    RETURN_IF_ERROR(call.Zero(c.mutable_raw_data(), c.num_bytes()));
    return call.Finish();
  }
  const ElemType type = ElemOf(a);
  const bool a_one = AllOnes(g.a_batch), b_one = AllOnes(g.b_batch);
  const bool a_whole = g.a_batch == g.batch, b_whole = g.b_batch == g.batch;
  if ((a_one || a_whole) && (b_one || b_whole)) {
    GemmShape s{g.m, g.n, g.k, g.transpose_a, g.transpose_b, g.batch_size};
    s.stride_a = a_one ? 0 : g.m * g.k;
    s.stride_b = b_one ? 0 : g.k * g.n;
    s.stride_c = g.m * g.n;
    if (b_one && !a_one && !g.transpose_a) {  // (batch * m, k) x (k, n): one product
      s.m *= g.batch_size;
      s.batch = 1;
    }
    RETURN_IF_ERROR(call.Wrap(
        RowMajorGemm(call.device(), type, s, a.raw_data(), b.raw_data(), c.mutable_raw_data())));
    return call.Finish();
  }
  const absl::InlinedVector<int64_t, 6> sa = BatchStrides(g.a_batch, g.m * g.k);
  const absl::InlinedVector<int64_t, 6> sb = BatchStrides(g.b_batch, g.k * g.n);
  const size_t elem = SizeOf(a.dtype());
  const GemmShape one{g.m, g.n, g.k, g.transpose_a, g.transpose_b};
  for (int64_t i = 0; i < g.batch_size; ++i) {
    int64_t off_a = 0, off_b = 0, rest = i;
    for (int d = g.batch.rank() - 1; d >= 0; --d) {
      const int64_t idx = rest % g.batch[d];
      rest /= g.batch[d];
      off_a += idx * sa[d];
      off_b += idx * sb[d];
    }
    const char* pa = static_cast<const char*>(a.raw_data()) + off_a * elem;
    const char* pb = static_cast<const char*>(b.raw_data()) + off_b * elem;
    char* pc = static_cast<char*>(c.mutable_raw_data()) + i * g.m * g.n * elem;
    RETURN_IF_ERROR(call.Wrap(RowMajorGemm(call.device(), type, one, pa, pb, pc)));
  }
  return call.Finish();
}

}  // namespace

DUET_REGISTER_KERNEL("matmul", DeviceType::kGPU, kFloatDTypes, MatmulKernel);

}  // namespace duet::cuda
