#include "kernels/cpu/dnnl_conv.h"

#include <optional>

#include "kernels/cpu/dnnl_batch_split.h"
#include "kernels/cpu/dnnl_context.h"
#include "kernels/cpu/dnnl_epilogue.h"
#include "kernels/cpu/dnnl_weights_cache.h"

namespace duet::cpu {
namespace {

using dnnl::memory;
using tag = memory::format_tag;

struct ConvPrimitive {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward primitive;
  memory::desc src_md, user_weights_md, dst_md;
  memory::desc channel_md;  // an epilogue's per-channel operand (a bias): (1, C, 1, 1)
  std::optional<dnnl::reorder::primitive_desc> reorder_pd;  // hwio -> the primitive's layout
  std::optional<dnnl::reorder> reorder;
};

ConvPrimitive Create(const Window2D& g, const DnnlEpilogue& epilogue) {
  const auto f32 = memory::data_type::f32;
  memory::desc src_md({g.batch, g.in_c, g.in_h, g.in_w}, f32, tag::nhwc);
  memory::desc dst_md({g.batch, g.out_c, g.out_h, g.out_w}, f32, tag::nhwc);
  memory::desc user_weights_md({g.out_c, g.in_c, g.k_h, g.k_w}, f32, tag::hwio);
  memory::desc any_weights_md({g.out_c, g.in_c, g.k_h, g.k_w}, f32, tag::any);
  dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                       dnnl::algorithm::convolution_direct, src_md, any_weights_md,
                                       dst_md, {g.stride_h, g.stride_w},
                                       {g.dil_h - 1, g.dil_w - 1},  // oneDNN counts dilation from 0
                                       {g.pad_top, g.pad_left}, {g.pad_bottom, g.pad_right});
  memory::desc channel_md({1, g.out_c, 1, 1}, f32, tag::nhwc);
  dnnl::primitive_attr attr = DnnlAttr();
  const DnnlEpilogue post = PostOpSteps(epilogue);
  if (!post.empty()) attr.set_post_ops(DnnlPostOps(post, channel_md, dst_md));
  if (HasBiasStep(epilogue))
    desc = dnnl::convolution_forward::desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src_md,
        any_weights_md, memory::desc({g.out_c}, f32, tag::x), dst_md, {g.stride_h, g.stride_w},
        {g.dil_h - 1, g.dil_w - 1}, {g.pad_top, g.pad_left}, {g.pad_bottom, g.pad_right});
  dnnl::convolution_forward::primitive_desc pd(desc, attr, DnnlEngine());
  CountDnnlPrimitive();
  ConvPrimitive p{pd,           dnnl::convolution_forward(pd),
                  src_md,       user_weights_md,
                  dst_md,       channel_md,
                  std::nullopt, std::nullopt};
  if (pd.weights_desc() != user_weights_md) {
    p.reorder_pd.emplace(DnnlEngine(), user_weights_md, DnnlEngine(), pd.weights_desc(),
                         DnnlAttr());
    p.reorder.emplace(*p.reorder_pd);
    CountDnnlPrimitive();
  }
  return p;
}

}  // namespace

bool DnnlConvSupports(const Window2D& g) {
  return g.in_elements() > 0 && g.out_elements() > 0 && g.k_h > 0 && g.k_w > 0;
}

PrimitiveKey DnnlConvKey(const Window2D& g) {
  return {g.batch,    g.in_h,  g.in_w,  g.in_c,    g.k_h,        g.k_w,      g.out_c,    g.stride_h,
          g.stride_w, g.dil_h, g.dil_w, g.pad_top, g.pad_bottom, g.pad_left, g.pad_right};
}

double ConvFlops(const Window2D& g) {
  return 2.0 * static_cast<double>(g.batch) * g.out_h * g.out_w * g.out_c * g.in_c * g.k_h * g.k_w;
}

namespace {

// `out_offset`: where this batch chunk starts in the output (and so in a full-size operand).
absl::Status ConvPart(const Window2D& g, const float* x, const float* filters,
                      uint64_t filters_version, float* out, const DnnlEpilogue& epilogue,
                      int64_t out_offset) {
  static PrimitiveCache<ConvPrimitive> cache(128);
  DnnlThreadsScope threads(ConvFlops(g));
  PrimitiveKey weights_key = DnnlConvKey(g);  // fused or not, the weights' layout is the same
  weights_key.push_back(threads.threads());
  PrimitiveKey key = weights_key;
  AppendEpilogueKey(epilogue, key);
  try {
    std::shared_ptr<const ConvPrimitive> p =
        cache.GetOrCreate(key, [&] { return Create(g, epilogue); });
    WeightsHandle weights{DnnlWrap(p->user_weights_md, filters), nullptr};
    if (p->reorder)
      weights = ReorderedWeights(kConvForwardWeights, weights_key, filters, filters_version,
                                 p->user_weights_md, *p->reorder_pd, *p->reorder);
    std::unordered_map<int, dnnl::memory> args = {{DNNL_ARG_SRC, DnnlWrap(p->src_md, x)},
                                                  {DNNL_ARG_WEIGHTS, weights.memory},
                                                  {DNNL_ARG_DST, DnnlWrap(p->dst_md, out)}};
    if (HasBiasStep(epilogue))
      args[DNNL_ARG_BIAS] =
          DnnlWrap(memory::desc({g.out_c}, memory::data_type::f32, tag::x), epilogue[0].operand);
    AddEpilogueArgs(PostOpSteps(epilogue), p->channel_md, p->dst_md, out_offset, args);
    DnnlExecute(p->primitive, p->pd, std::move(args));
  } catch (const dnnl::error& e) {
    if (e.status == dnnl_unimplemented && !epilogue.empty())
      return absl::UnimplementedError("[fused_conv2d] oneDNN has no kernel for this epilogue");
    return DnnlError("conv2d", e);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status DnnlConv2DF32(const Window2D& g, const float* x, const float* filters,
                           uint64_t filters_version, float* out, const DnnlEpilogue& epilogue) {
  const int64_t in_image = g.in_h * g.in_w * g.in_c, out_image = g.out_h * g.out_w * g.out_c;
  int64_t per_chunk = DnnlImagesPerChunk(g.batch, ConvFlops(g) / static_cast<double>(g.batch));
  return DnnlBatchSplit(g.batch, per_chunk, [&](int64_t b0, int64_t b1) {
    return ConvPart(BatchPart(g, b0, b1), x + b0 * in_image, filters, filters_version,
                    out + b0 * out_image, epilogue, b0 * out_image);
  });
}

}  // namespace duet::cpu
