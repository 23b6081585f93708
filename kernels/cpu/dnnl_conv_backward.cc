#include "kernels/cpu/dnnl_conv_backward.h"

#include <optional>

#include "kernels/cpu/dnnl_context.h"
#include "kernels/cpu/primitive_cache.h"

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
  dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, d.src,
                                       d.any_weights, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r);
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

PrimitiveKey KeyOf(const Window2D& g) {
  return {g.batch, g.in_h, g.in_w, g.in_c, g.k_h, g.k_w, g.out_c, g.stride_h, g.stride_w,
          g.dil_h, g.dil_w, g.pad_top, g.pad_bottom, g.pad_left, g.pad_right};
}

struct BackwardDataPrimitive {
  ConvDescs descs;
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data primitive;
  WeightsReorder to_blocked;  // HWIO -> pd.weights_desc()
};

BackwardDataPrimitive CreateBackwardData(const Window2D& g) {
  ConvDescs d = MakeDescs(g);
  dnnl::convolution_backward_data::desc desc(dnnl::algorithm::convolution_direct, d.src, d.any_weights, d.dst,
                                             d.strides, d.dilates, d.pad_l, d.pad_r);
  dnnl::convolution_backward_data::primitive_desc pd(desc, DnnlAttr(), DnnlEngine(), ForwardHint(d));
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
  dnnl::convolution_backward_weights::desc desc(dnnl::algorithm::convolution_direct, d.src, d.any_weights, d.dst,
                                                d.strides, d.dilates, d.pad_l, d.pad_r);
  dnnl::convolution_backward_weights::primitive_desc pd(desc, DnnlAttr(), DnnlEngine(), ForwardHint(d));
  CountDnnlPrimitive();
  WeightsReorder reorder = MakeReorder(pd.diff_weights_desc(), d.user_weights);
  return BackwardWeightsPrimitive{d, pd, dnnl::convolution_backward_weights(pd), std::move(reorder)};
}

}  // namespace

absl::Status DnnlConv2DBackpropInputF32(const Window2D& g, const float* filters, const float* dy, float* dx) {
  static PrimitiveCache<BackwardDataPrimitive> cache(128);
  try {
    std::shared_ptr<const BackwardDataPrimitive> p = cache.GetOrCreate(KeyOf(g), [&] { return CreateBackwardData(g); });
    memory weights = DnnlWrap(p->descs.user_weights, filters);
    if (p->to_blocked.primitive) {
      memory::desc md = p->pd.weights_desc();
      memory blocked(md, DnnlEngine(), DnnlThreadBuffer(1, md.get_size()));
      DnnlExecute(*p->to_blocked.primitive, *p->to_blocked.pd, {{DNNL_ARG_FROM, weights}, {DNNL_ARG_TO, blocked}});
      weights = blocked;
    }
    DnnlExecute(p->primitive, p->pd,
                {{DNNL_ARG_DIFF_DST, DnnlWrap(p->descs.dst, dy)}, {DNNL_ARG_WEIGHTS, weights},
                 {DNNL_ARG_DIFF_SRC, DnnlWrap(p->descs.src, dx)}});
  } catch (const dnnl::error& e) {
    return DnnlError("conv2d_backprop_input", e);
  }
  return absl::OkStatus();
}

absl::Status DnnlConv2DBackpropFilterF32(const Window2D& g, const float* x, const float* dy, float* df) {
  static PrimitiveCache<BackwardWeightsPrimitive> cache(128);
  try {
    std::shared_ptr<const BackwardWeightsPrimitive> p =
        cache.GetOrCreate(KeyOf(g), [&] { return CreateBackwardWeights(g); });
    memory user = DnnlWrap(p->descs.user_weights, df);
    memory diff_weights = user;
    if (p->to_user.primitive) {
      memory::desc md = p->pd.diff_weights_desc();
      diff_weights = memory(md, DnnlEngine(), DnnlThreadBuffer(1, md.get_size()));
    }
    DnnlExecute(p->primitive, p->pd,
                {{DNNL_ARG_SRC, DnnlWrap(p->descs.src, x)}, {DNNL_ARG_DIFF_DST, DnnlWrap(p->descs.dst, dy)},
                 {DNNL_ARG_DIFF_WEIGHTS, diff_weights}});
    if (p->to_user.primitive)
      DnnlExecute(*p->to_user.primitive, *p->to_user.pd, {{DNNL_ARG_FROM, diff_weights}, {DNNL_ARG_TO, user}});
  } catch (const dnnl::error& e) {
    return DnnlError("conv2d_backprop_filter", e);
  }
  return absl::OkStatus();
}

}  // namespace duet::cpu
