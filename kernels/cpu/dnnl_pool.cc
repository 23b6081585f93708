#include "kernels/cpu/dnnl_pool.h"

#include <optional>

#include "kernels/cpu/dnnl_batch_split.h"
#include "kernels/cpu/dnnl_context.h"
#include "kernels/cpu/primitive_cache.h"

namespace duet::cpu {
namespace {

using dnnl::memory;

struct PoolPrimitive {
  dnnl::pooling_v2_forward::primitive_desc pd;
  dnnl::pooling_v2_forward primitive;
  memory::desc src_md, dst_md;
};

memory::desc SrcDesc(const Window2D& g) {
  return memory::desc({g.batch, g.in_c, g.in_h, g.in_w}, memory::data_type::f32,
                      memory::format_tag::nhwc);
}
memory::desc DstDesc(const Window2D& g) {
  return memory::desc({g.batch, g.in_c, g.out_h, g.out_w}, memory::data_type::f32,
                      memory::format_tag::nhwc);
}
dnnl::algorithm Algorithm(bool max) {
  return max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
}

dnnl::pooling_v2_forward::primitive_desc ForwardDesc(const Window2D& g, bool max,
                                                     dnnl::prop_kind kind) {
  dnnl::pooling_v2_forward::desc desc(kind, Algorithm(max), SrcDesc(g), DstDesc(g),
                                      {g.stride_h, g.stride_w}, {g.k_h, g.k_w}, {0, 0},
                                      {g.pad_top, g.pad_left}, {g.pad_bottom, g.pad_right});
  return dnnl::pooling_v2_forward::primitive_desc(desc, DnnlAttr(), DnnlEngine());
}

PoolPrimitive Create(const Window2D& g, bool max) {
  dnnl::pooling_v2_forward::primitive_desc pd =
      ForwardDesc(g, max, dnnl::prop_kind::forward_inference);
  CountDnnlPrimitive();
  return PoolPrimitive{pd, dnnl::pooling_v2_forward(pd), SrcDesc(g), DstDesc(g)};
}

// For max pooling also the forward_training primitive that fills the workspace.
struct PoolBackwardPrimitive {
  dnnl::pooling_v2_backward::primitive_desc pd;
  dnnl::pooling_v2_backward primitive;
  memory::desc src_md, dst_md;
  std::optional<dnnl::pooling_v2_forward::primitive_desc> fwd_pd;
  std::optional<dnnl::pooling_v2_forward> fwd;
};

PoolBackwardPrimitive CreateBackward(const Window2D& g, bool max) {
  dnnl::pooling_v2_forward::primitive_desc hint =
      ForwardDesc(g, max, dnnl::prop_kind::forward_training);
  dnnl::pooling_v2_backward::desc desc(Algorithm(max), SrcDesc(g), DstDesc(g),
                                       {g.stride_h, g.stride_w}, {g.k_h, g.k_w}, {0, 0},
                                       {g.pad_top, g.pad_left}, {g.pad_bottom, g.pad_right});
  dnnl::pooling_v2_backward::primitive_desc pd(desc, DnnlAttr(), DnnlEngine(), hint);
  CountDnnlPrimitive();
  PoolBackwardPrimitive p{
      pd, dnnl::pooling_v2_backward(pd), SrcDesc(g), DstDesc(g), std::nullopt, std::nullopt};
  if (max) {
    p.fwd_pd.emplace(hint);
    p.fwd.emplace(hint);
    CountDnnlPrimitive();
  }
  return p;
}

PrimitiveKey KeyOf(const Window2D& g, bool max) {
  return {max,        g.batch,    g.in_h,    g.in_w,       g.in_c,     g.k_h,      g.k_w,
          g.stride_h, g.stride_w, g.pad_top, g.pad_bottom, g.pad_left, g.pad_right};
}

// Splits a pool call over the batch: run(part geometry, input offset, output offset).
absl::Status SplitPool(const Window2D& g,
                       absl::FunctionRef<absl::Status(const Window2D&, int64_t, int64_t)> run) {
  const int64_t in_image = g.in_h * g.in_w * g.in_c, out_image = g.out_h * g.out_w * g.in_c;
  const double reads_per_image = static_cast<double>(out_image * g.k_h * g.k_w);
  int64_t per_chunk = DnnlImagesPerChunk(g.batch, reads_per_image, kDnnlPoolChunkReads);
  return DnnlBatchSplit(g.batch, per_chunk, [&](int64_t b0, int64_t b1) {
    return run(BatchPart(g, b0, b1), b0 * in_image, b0 * out_image);
  });
}

absl::Status PoolPart(const Window2D& g, bool max, const float* x, float* out) {
  static PrimitiveCache<PoolPrimitive> cache(128);
  try {
    std::shared_ptr<const PoolPrimitive> p =
        cache.GetOrCreate(KeyOf(g, max), [&] { return Create(g, max); });
    DnnlExecute(p->primitive, p->pd,
                {{DNNL_ARG_SRC, DnnlWrap(p->src_md, x)}, {DNNL_ARG_DST, DnnlWrap(p->dst_md, out)}});
  } catch (const dnnl::error& e) {
    return DnnlError(max ? "max_pool2d" : "avg_pool2d", e);
  }
  return absl::OkStatus();
}

absl::Status AvgPoolGradPart(const Window2D& g, const float* dy, float* dx) {
  static PrimitiveCache<PoolBackwardPrimitive> cache(128);
  try {
    std::shared_ptr<const PoolBackwardPrimitive> p =
        cache.GetOrCreate(KeyOf(g, false), [&] { return CreateBackward(g, /*max=*/false); });
    DnnlExecute(p->primitive, p->pd,
                {{DNNL_ARG_DIFF_DST, DnnlWrap(p->dst_md, dy)},
                 {DNNL_ARG_DIFF_SRC, DnnlWrap(p->src_md, dx)}});
  } catch (const dnnl::error& e) {
    return DnnlError("avg_pool2d_grad", e);
  }
  return absl::OkStatus();
}

absl::Status MaxPoolGradPart(const Window2D& g, const float* x, const float* dy, float* dx) {
  static PrimitiveCache<PoolBackwardPrimitive> cache(128);
  try {
    std::shared_ptr<const PoolBackwardPrimitive> p =
        cache.GetOrCreate(KeyOf(g, true), [&] { return CreateBackward(g, /*max=*/true); });
    memory::desc ws_md = p->fwd_pd->workspace_desc();
    memory workspace(ws_md, DnnlEngine(), DnnlThreadBuffer(3, ws_md.get_size()));
    memory pooled(p->dst_md, DnnlEngine(), DnnlThreadBuffer(2, p->dst_md.get_size()));
    DnnlExecute(*p->fwd, *p->fwd_pd,
                {{DNNL_ARG_SRC, DnnlWrap(p->src_md, x)},
                 {DNNL_ARG_DST, pooled},
                 {DNNL_ARG_WORKSPACE, workspace}});
    DnnlExecute(p->primitive, p->pd,
                {{DNNL_ARG_DIFF_DST, DnnlWrap(p->dst_md, dy)},
                 {DNNL_ARG_WORKSPACE, workspace},
                 {DNNL_ARG_DIFF_SRC, DnnlWrap(p->src_md, dx)}});
  } catch (const dnnl::error& e) {
    return DnnlError("max_pool2d_grad", e);
  }
  return absl::OkStatus();
}

}  // namespace

bool DnnlPoolSupports(const Window2D& g) { return g.in_elements() > 0 && g.out_elements() > 0; }

absl::Status DnnlPool2DF32(const Window2D& g, bool max, const float* x, float* out) {
  return SplitPool(g, [&](const Window2D& part, int64_t in, int64_t o) {
    return PoolPart(part, max, x + in, out + o);
  });
}

absl::Status DnnlAvgPool2DGradF32(const Window2D& g, const float* dy, float* dx) {
  return SplitPool(g, [&](const Window2D& part, int64_t in, int64_t o) {
    return AvgPoolGradPart(part, dy + o, dx + in);
  });
}

absl::Status DnnlMaxPool2DGradF32(const Window2D& g, const float* x, const float* dy, float* dx) {
  return SplitPool(g, [&](const Window2D& part, int64_t in, int64_t o) {
    return MaxPoolGradPart(part, x + in, dy + o, dx + in);
  });
}

}  // namespace duet::cpu
