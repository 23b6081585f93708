#include "kernels/cpu/dnnl_conv_backward.h"

#include <optional>
#include <vector>

#include "kernels/cpu/dnnl_batch_split.h"
#include "kernels/cpu/dnnl_context.h"
#include "kernels/cpu/dnnl_conv.h"
#include "kernels/cpu/dnnl_weights_cache.h"

namespace duet::cpu {
namespace {

using dnnl::memory;
using tag = memory::format_tag;

// The memory descriptors and window arguments every convolution primitive of `g` shares.
struct ConvDescs {
  memory::desc src, dst, user_weights, any_weights;
  memory::dims strides, dilates, pad_l, pad_r;
};

ConvDescs MakeDescs(const Window2D& g) {
  const auto f32 = memory::data_type::f32;
  return ConvDescs{memory::desc({g.batch, g.in_c, g.in_h, g.in_w}, f32, tag::nhwc),
                   memory::desc({g.batch, g.out_c, g.out_h, g.out_w}, f32, tag::nhwc),
                   memory::desc({g.out_c, g.in_c, g.k_h, g.k_w}, f32, tag::hwio),
                   memory::desc({g.out_c, g.in_c, g.k_h, g.k_w}, f32, tag::any),
                   {g.stride_h, g.stride_w},
                   {g.dil_h - 1, g.dil_w - 1},  // oneDNN counts dilation from 0
                   {g.pad_top, g.pad_left},
                   {g.pad_bottom, g.pad_right}};
}

dnnl::convolution_forward::primitive_desc ForwardHint(const ConvDescs& d) {
  dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_training,
                                       dnnl::algorithm::convolution_direct, d.src, d.any_weights,
                                       d.dst, d.strides, d.dilates, d.pad_l, d.pad_r);
  return dnnl::convolution_forward::primitive_desc(desc, DnnlAttr(), DnnlEngine());
}

// The weights reorder between the user's HWIO and a primitive's layout, when they differ.
struct WeightsReorder {
  std::optional<dnnl::reorder::primitive_desc> pd;
  std::optional<dnnl::reorder> primitive;
};

WeightsReorder MakeReorder(const memory::desc& from, const memory::desc& to) {
  WeightsReorder r;
  if (from == to) return r;
  r.pd.emplace(DnnlEngine(), from, DnnlEngine(), to, DnnlAttr());
  r.primitive.emplace(*r.pd);
  CountDnnlPrimitive();
  return r;
}

struct BackwardDataPrimitive {
  ConvDescs descs;
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data primitive;
  WeightsReorder to_blocked;  // HWIO -> pd.weights_desc()
};

BackwardDataPrimitive CreateBackwardData(const Window2D& g) {
  ConvDescs d = MakeDescs(g);
  dnnl::convolution_backward_data::desc desc(dnnl::algorithm::convolution_direct, d.src,
                                             d.any_weights, d.dst, d.strides, d.dilates, d.pad_l,
                                             d.pad_r);
  dnnl::convolution_backward_data::primitive_desc pd(desc, DnnlAttr(), DnnlEngine(),
                                                     ForwardHint(d));
  CountDnnlPrimitive();
  WeightsReorder reorder = MakeReorder(d.user_weights, pd.weights_desc());
  return BackwardDataPrimitive{d, pd, dnnl::convolution_backward_data(pd), std::move(reorder)};
}

struct BackwardWeightsPrimitive {
  ConvDescs descs;
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights primitive;
  WeightsReorder to_user;  // pd.diff_weights_desc() -> HWIO
};

BackwardWeightsPrimitive CreateBackwardWeights(const Window2D& g) {
  ConvDescs d = MakeDescs(g);
  dnnl::convolution_backward_weights::desc desc(dnnl::algorithm::convolution_direct, d.src,
                                                d.any_weights, d.dst, d.strides, d.dilates, d.pad_l,
                                                d.pad_r);
  dnnl::convolution_backward_weights::primitive_desc pd(desc, DnnlAttr(), DnnlEngine(),
                                                        ForwardHint(d));
  CountDnnlPrimitive();
  WeightsReorder reorder = MakeReorder(pd.diff_weights_desc(), d.user_weights);
  return BackwardWeightsPrimitive{d, pd, dnnl::convolution_backward_weights(pd),
                                  std::move(reorder)};
}

absl::Status BackpropInputPart(const Window2D& g, const float* filters, uint64_t filters_version,
                               const float* dy, float* dx) {
  static PrimitiveCache<BackwardDataPrimitive> cache(128);
  DnnlThreadsScope threads(ConvFlops(g));
  try {
    PrimitiveKey key = DnnlConvKey(g);
    key.push_back(threads.threads());
    std::shared_ptr<const BackwardDataPrimitive> p =
        cache.GetOrCreate(key, [&] { return CreateBackwardData(g); });
    WeightsHandle weights{DnnlWrap(p->descs.user_weights, filters), nullptr};
    if (p->to_blocked.primitive)
      weights =
          ReorderedWeights(kConvBackwardDataWeights, key, filters, filters_version,
                           p->descs.user_weights, *p->to_blocked.pd, *p->to_blocked.primitive);
    DnnlExecute(p->primitive, p->pd,
                {{DNNL_ARG_DIFF_DST, DnnlWrap(p->descs.dst, dy)},
                 {DNNL_ARG_WEIGHTS, weights.memory},
                 {DNNL_ARG_DIFF_SRC, DnnlWrap(p->descs.src, dx)}});
  } catch (const dnnl::error& e) {
    return DnnlError("conv2d_backprop_input", e);
  }
  return absl::OkStatus();
}

absl::Status BackpropFilterPart(const Window2D& g, const float* x, const float* dy, float* df) {
  static PrimitiveCache<BackwardWeightsPrimitive> cache(128);
  DnnlThreadsScope threads(ConvFlops(g));
  try {
    PrimitiveKey key = DnnlConvKey(g);
    key.push_back(threads.threads());
    std::shared_ptr<const BackwardWeightsPrimitive> p =
        cache.GetOrCreate(key, [&] { return CreateBackwardWeights(g); });
    memory user = DnnlWrap(p->descs.user_weights, df);
    memory diff_weights = user;
    if (p->to_user.primitive) {
      memory::desc md = p->pd.diff_weights_desc();
      diff_weights = memory(md, DnnlEngine(), DnnlThreadBuffer(1, md.get_size()));
    }
    DnnlExecute(p->primitive, p->pd,
                {{DNNL_ARG_SRC, DnnlWrap(p->descs.src, x)},
                 {DNNL_ARG_DIFF_DST, DnnlWrap(p->descs.dst, dy)},
                 {DNNL_ARG_DIFF_WEIGHTS, diff_weights}});
    if (p->to_user.primitive)
      DnnlExecute(*p->to_user.primitive, *p->to_user.pd,
                  {{DNNL_ARG_FROM, diff_weights}, {DNNL_ARG_TO, user}});
  } catch (const dnnl::error& e) {
    return DnnlError("conv2d_backprop_filter", e);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status DnnlConv2DBackpropInputF32(const Window2D& g, const float* filters,
                                        uint64_t filters_version, const float* dy, float* dx) {
  const int64_t in_image = g.in_h * g.in_w * g.in_c, out_image = g.out_h * g.out_w * g.out_c;
  int64_t per_chunk = DnnlImagesPerChunk(g.batch, ConvFlops(g) / static_cast<double>(g.batch));
  return DnnlBatchSplit(g.batch, per_chunk, [&](int64_t b0, int64_t b1) {
    return BackpropInputPart(BatchPart(g, b0, b1), filters, filters_version, dy + b0 * out_image,
                             dx + b0 * in_image);
  });
}

// Chunks of images each write their own filter gradient; the partial sums are added in chunk
// order (a fixed order for a given chunk layout).
absl::Status DnnlConv2DBackpropFilterF32(const Window2D& g, const float* x, const float* dy,
                                         float* df) {
  const int64_t in_image = g.in_h * g.in_w * g.in_c, out_image = g.out_h * g.out_w * g.out_c;
  const int64_t filter = g.k_h * g.k_w * g.in_c * g.out_c;
  const int64_t per_chunk =
      DnnlImagesPerChunk(g.batch, ConvFlops(g) / static_cast<double>(g.batch));
  const int64_t calls = (g.batch + per_chunk - 1) / per_chunk;
  if (calls <= 1) return BackpropFilterPart(g, x, dy, df);
  std::vector<float> partial(static_cast<size_t>((calls - 1) * filter));
  absl::Status s = DnnlBatchSplit(g.batch, per_chunk, [&](int64_t b0, int64_t b1) {
    float* out = b0 == 0 ? df : partial.data() + (b0 / per_chunk - 1) * filter;
    return BackpropFilterPart(BatchPart(g, b0, b1), x + b0 * in_image, dy + b0 * out_image, out);
  });
  if (!s.ok()) return s;
  for (int64_t c = 0; c + 1 < calls; ++c)
    for (int64_t i = 0; i < filter; ++i) df[i] += partial[c * filter + i];
  return absl::OkStatus();
}

}  // namespace duet::cpu
