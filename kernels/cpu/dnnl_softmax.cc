#include "kernels/cpu/dnnl_softmax.h"

#include "kernels/cpu/dnnl_context.h"
#include "kernels/cpu/primitive_cache.h"

namespace duet::cpu {
namespace {

using dnnl::memory;

struct SoftmaxPrimitive {
  dnnl::primitive_desc pd;
  dnnl::primitive primitive;
  memory::desc md;
};

SoftmaxPrimitive Create(int64_t rows, int64_t n, bool log) {
  memory::desc md({rows, n}, memory::data_type::f32, memory::format_tag::ab);
  const auto kind = dnnl::prop_kind::forward_inference;
  SoftmaxPrimitive p;
  if (log) {
    dnnl::logsoftmax_forward::primitive_desc pd(dnnl::logsoftmax_forward::desc(kind, md, 1),
                                                DnnlAttr(), DnnlEngine());
    p = SoftmaxPrimitive{pd, dnnl::logsoftmax_forward(pd), md};
  } else {
    dnnl::softmax_forward::primitive_desc pd(dnnl::softmax_forward::desc(kind, md, 1), DnnlAttr(),
                                             DnnlEngine());
    p = SoftmaxPrimitive{pd, dnnl::softmax_forward(pd), md};
  }
  CountDnnlPrimitive();
  return p;
}

}  // namespace

absl::Status DnnlSoftmaxF32(const float* x, float* out, int64_t rows, int64_t n, bool log) {
  static PrimitiveCache<SoftmaxPrimitive> cache(64);
  try {
    std::shared_ptr<const SoftmaxPrimitive> p =
        cache.GetOrCreate({rows, n, log}, [&] { return Create(rows, n, log); });
    DnnlExecute(p->primitive, p->pd,
                {{DNNL_ARG_SRC, DnnlWrap(p->md, x)}, {DNNL_ARG_DST, DnnlWrap(p->md, out)}});
  } catch (const dnnl::error& e) {
    return DnnlError(log ? "log_softmax" : "softmax", e);
  }
  return absl::OkStatus();
}

}  // namespace duet::cpu
