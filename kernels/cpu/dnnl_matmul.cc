#include "kernels/cpu/dnnl_matmul.h"

#include "kernels/cpu/dnnl_context.h"
#include "kernels/cpu/primitive_cache.h"

namespace duet::cpu {
namespace {

using dnnl::memory;

struct MatmulPrimitive {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul primitive;
  memory::desc a_md, b_md, c_md;
};

// A (batch..., rows, cols) operand stored row-major, or as its transpose when `transposed`.
memory::desc OperandDesc(const Shape& batch, int64_t rows, int64_t cols, bool transposed) {
  int nd = batch.rank() + 2;
  memory::dims dims(nd), strides(nd);
  for (int i = 0; i < batch.rank(); ++i) dims[i] = batch[i];
  dims[nd - 2] = rows, dims[nd - 1] = cols;
  strides[nd - 2] = transposed ? 1 : cols;
  strides[nd - 1] = transposed ? rows : 1;
  int64_t s = rows * cols;
  for (int i = batch.rank() - 1; i >= 0; --i) {
    strides[i] = s;
    s *= batch[i];
  }
  return memory::desc(dims, memory::data_type::f32, strides);
}

MatmulPrimitive Create(const MatmulGeometry& g) {
  memory::desc a_md = OperandDesc(g.a_batch, g.m, g.k, g.transpose_a);
  memory::desc b_md = OperandDesc(g.b_batch, g.k, g.n, g.transpose_b);
  memory::desc c_md = OperandDesc(g.batch, g.m, g.n, false);
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_md, b_md, c_md), DnnlAttr(), DnnlEngine());
  CountDnnlPrimitive();
  return MatmulPrimitive{pd, dnnl::matmul(pd), a_md, b_md, c_md};
}

}  // namespace

bool DnnlMatmulSupports(const MatmulGeometry& g) {
  return g.batch.rank() + 2 <= DNNL_MAX_NDIMS && g.m > 0 && g.n > 0 && g.k > 0 && g.batch_size > 0;
}

absl::Status DnnlMatmulF32(const MatmulGeometry& g, const float* a, const float* b, float* c) {
  static PrimitiveCache<MatmulPrimitive> cache(256);
  PrimitiveKey key = {g.m, g.n, g.k, g.transpose_a, g.transpose_b, g.batch.rank()};
  for (int64_t d : g.a_batch) key.push_back(d);
  for (int64_t d : g.b_batch) key.push_back(d);
  DnnlThreadsScope threads(2.0 * static_cast<double>(g.macs()));
  key.push_back(threads.threads());
  try {
    std::shared_ptr<const MatmulPrimitive> p = cache.GetOrCreate(key, [&] { return Create(g); });
    DnnlExecute(p->primitive, p->pd,
                {{DNNL_ARG_SRC, DnnlWrap(p->a_md, a)},
                 {DNNL_ARG_WEIGHTS, DnnlWrap(p->b_md, b)},
                 {DNNL_ARG_DST, DnnlWrap(p->c_md, c)}});
  } catch (const dnnl::error& e) {
    return DnnlError("matmul", e);
  }
  return absl::OkStatus();
}

}  // namespace duet::cpu
