#include "kernels/cpu/dnnl_matmul.h"

#include "kernels/cpu/dnnl_context.h"
#include "kernels/cpu/dnnl_epilogue.h"
#include "kernels/cpu/primitive_cache.h"

namespace duet::cpu {
namespace {

using dnnl::memory;

struct MatmulPrimitive {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul primitive;
  memory::desc a_md, b_md, c_md;
  memory::desc channel_md;  // an epilogue's per-column operand: (1, ..., 1, n)
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

MatmulPrimitive Create(const MatmulGeometry& g, const DnnlEpilogue& epilogue) {
  memory::desc a_md = OperandDesc(g.a_batch, g.m, g.k, g.transpose_a);
  memory::desc b_md = OperandDesc(g.b_batch, g.k, g.n, g.transpose_b);
  memory::desc c_md = OperandDesc(g.batch, g.m, g.n, false);
  Shape ones;
  for (int i = 0; i < g.batch.rank(); ++i) ones.push_back(1);
  memory::desc channel_md = OperandDesc(ones, 1, g.n, false);
  dnnl::primitive_attr attr = DnnlAttr();
  const DnnlEpilogue post = PostOpSteps(epilogue);
  if (!post.empty()) attr.set_post_ops(DnnlPostOps(post, channel_md, c_md));
  dnnl::matmul::desc desc = HasBiasStep(epilogue) ? dnnl::matmul::desc(a_md, b_md, channel_md, c_md)
                                                  : dnnl::matmul::desc(a_md, b_md, c_md);
  dnnl::matmul::primitive_desc pd(desc, attr, DnnlEngine());
  CountDnnlPrimitive();
  return MatmulPrimitive{pd, dnnl::matmul(pd), a_md, b_md, c_md, channel_md};
}

}  // namespace

bool DnnlMatmulSupports(const MatmulGeometry& g) {
  return g.batch.rank() + 2 <= DNNL_MAX_NDIMS && g.m > 0 && g.n > 0 && g.k > 0 && g.batch_size > 0;
}

absl::Status DnnlMatmulF32(const MatmulGeometry& g, const float* a, const float* b, float* c,
                           const DnnlEpilogue& epilogue) {
  static PrimitiveCache<MatmulPrimitive> cache(256);
  PrimitiveKey key = {g.m, g.n, g.k, g.transpose_a, g.transpose_b, g.batch.rank()};
  for (int64_t d : g.a_batch) key.push_back(d);
  for (int64_t d : g.b_batch) key.push_back(d);
  DnnlThreadsScope threads(2.0 * static_cast<double>(g.macs()));
  key.push_back(threads.threads());
  AppendEpilogueKey(epilogue, key);
  try {
    std::shared_ptr<const MatmulPrimitive> p =
        cache.GetOrCreate(key, [&] { return Create(g, epilogue); });
    std::unordered_map<int, dnnl::memory> args = {{DNNL_ARG_SRC, DnnlWrap(p->a_md, a)},
                                                  {DNNL_ARG_WEIGHTS, DnnlWrap(p->b_md, b)},
                                                  {DNNL_ARG_DST, DnnlWrap(p->c_md, c)}};
    if (HasBiasStep(epilogue)) args[DNNL_ARG_BIAS] = DnnlWrap(p->channel_md, epilogue[0].operand);
    AddEpilogueArgs(PostOpSteps(epilogue), p->channel_md, p->c_md, 0, args);
    DnnlExecute(p->primitive, p->pd, std::move(args));
  } catch (const dnnl::error& e) {
    // An epilogue this oneDNN build has no kernel for: the caller runs it unfused.
    if (e.status == dnnl_unimplemented && !epilogue.empty())
      return absl::UnimplementedError("[fused_matmul] oneDNN has no kernel for this epilogue");
    return DnnlError("matmul", e);
  }
  return absl::OkStatus();
}

}  // namespace duet::cpu
