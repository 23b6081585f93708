#include "kernels/cpu/dnnl_epilogue.h"

#include "kernels/cpu/dnnl_context.h"

namespace duet::cpu {

dnnl::algorithm DnnlEltwiseFor(std::string_view name) {
  using alg = dnnl::algorithm;
  if (name == "relu") return alg::eltwise_relu;
  if (name == "tanh") return alg::eltwise_tanh;
  if (name == "sigmoid") return alg::eltwise_logistic;
  if (name == "exp") return alg::eltwise_exp;
  if (name == "sqrt") return alg::eltwise_sqrt;
  return alg::undef;
}

bool HasBiasStep(const DnnlEpilogue& epilogue) {
  return !epilogue.empty() && epilogue[0].kind == DnnlEpilogueStep::kAddChannel;
}

DnnlEpilogue PostOpSteps(const DnnlEpilogue& epilogue) {
  return DnnlEpilogue(epilogue.begin() + (HasBiasStep(epilogue) ? 1 : 0), epilogue.end());
}

void AppendEpilogueKey(const DnnlEpilogue& epilogue, PrimitiveKey& key) {
  for (const DnnlEpilogueStep& s : epilogue) {
    key.push_back(s.kind);
    key.push_back(static_cast<int64_t>(s.eltwise));
  }
}

dnnl::post_ops DnnlPostOps(const DnnlEpilogue& epilogue, const dnnl::memory::desc& channel_md,
                           const dnnl::memory::desc& full_md) {
  dnnl::post_ops ops;
  for (const DnnlEpilogueStep& s : epilogue) {
    if (s.kind == DnnlEpilogueStep::kEltwise)
      ops.append_eltwise(1.f, s.eltwise, 0.f, 0.f);
    else
      ops.append_binary(dnnl::algorithm::binary_add,
                        s.kind == DnnlEpilogueStep::kAddChannel ? channel_md : full_md);
  }
  return ops;
}

void AddEpilogueArgs(const DnnlEpilogue& epilogue, const dnnl::memory::desc& channel_md,
                     const dnnl::memory::desc& full_md, int64_t full_offset,
                     std::unordered_map<int, dnnl::memory>& args) {
  for (size_t i = 0; i < epilogue.size(); ++i) {
    const DnnlEpilogueStep& s = epilogue[i];
    if (s.kind == DnnlEpilogueStep::kEltwise) continue;
    const bool channel = s.kind == DnnlEpilogueStep::kAddChannel;
    args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(static_cast<int>(i)) | DNNL_ARG_SRC_1] =
        DnnlWrap(channel ? channel_md : full_md, channel ? s.operand : s.operand + full_offset);
  }
}

}  // namespace duet::cpu
