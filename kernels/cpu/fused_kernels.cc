// CPU kernels of fused_matmul and fused_conv2d (kernels/fused_ops.cc), and what this backend
// declares it can fuse (runtime/epilogue.h). float32 contractions that oneDNN takes run the
// epilogue as post-ops in the same primitive; everything else (float64, small matmuls, an
// epilogue oneDNN has no kernel for) runs the producer's kernel and then each step's own CPU
// kernel in place, which is exactly what the unfused ops compute.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "kernels/cpu/dnnl_conv.h"
#include "kernels/cpu/dnnl_epilogue.h"
#include "kernels/cpu/dnnl_matmul.h"
#include "kernels/cpu/matmul_geometry.h"
#include "kernels/cpu/window_geometry.h"
#include "runtime/epilogue.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace duet {
namespace {

constexpr int kProducerInputs = 2;
// The epilogue steps this backend declares (kDeclared, below).
constexpr const char* kActivations[] = {"relu", "tanh", "sigmoid", "exp", "sqrt"};

Attrs ProducerAttrs(const Attrs& attrs) { return Attrs(attrs.begin(), attrs.end() - 1); }

// The epilogue's step names, split lazily (no allocation per call; "" has no steps).
auto Steps(const KernelContext& ctx) {
  return absl::StrSplit(ctx.attr<std::string>("epilogue"), ',', absl::SkipEmpty());
}

// A step's op, from a table made once: OpRegistry::Find scans the whole registry, too slow
// for every call of a small product.
const OpDef& StepOp(absl::string_view name) {
  static const auto* table = [] {
    auto* t = new std::vector<const OpDef*>{OpRegistry::Get().Find("add")};
    for (const char* a : kActivations) t->push_back(OpRegistry::Get().Find(a));
    return t;
  }();
  for (const OpDef* op : *table)
    if (op->name == std::string_view(name.data(), name.size())) return *op;
  return *OpRegistry::Get().Find(std::string_view(name.data(), name.size()));  // verified
}

// The producer's kernel, then each step's kernel over the result in place.
absl::Status RunUnfused(KernelContext& ctx, const OpDef& producer) {
  const DType dtype = ctx.inputs[0].dtype();
  const Attrs pa = ProducerAttrs(ctx.attrs);
  KernelContext pctx{producer, ctx.inputs.subspan(0, kProducerInputs), ctx.outputs,
                     ctx.output_specs, pa};
  RETURN_IF_ERROR(producer.kernel(DeviceType::kCPU, dtype)(pctx));
  size_t next = kProducerInputs;
  const Attrs none;
  for (absl::string_view name : Steps(ctx)) {
    const OpDef& step = StepOp(name);
    KernelFn kernel = step.kernel(DeviceType::kCPU, dtype);
    if (!kernel)
      return absl::UnimplementedError(absl::StrCat("[", ctx.op.name, "] step ", name,
                                                   " has no CPU kernel for ", DTypeName(dtype)));
    TensorList inputs = {ctx.outputs[0]};
    if (step.inputs.size() == 2) inputs.push_back(ctx.inputs[next++]);
    KernelContext sctx{step, inputs, ctx.outputs, ctx.output_specs, none};
    RETURN_IF_ERROR(kernel(sctx));
  }
  return absl::OkStatus();
}

// The epilogue as oneDNN post-ops, or nullopt when some step has none (then: unfused). An add
// of the output's own shape is a full add; of (n) or (1, ..., 1, n) a per-channel one.
std::optional<cpu::DnnlEpilogue> DnnlEpilogueOf(const KernelContext& ctx) {
  cpu::DnnlEpilogue e;
  const Shape& y = ctx.output_specs[0].shape;
  size_t next = kProducerInputs;
  for (absl::string_view name : Steps(ctx)) {
    if (StepOp(name).inputs.size() == 1) {  // the activation; adds take an operand
      dnnl::algorithm alg = cpu::DnnlEltwiseFor(std::string_view(name.data(), name.size()));
      if (alg == dnnl::algorithm::undef) return std::nullopt;
      e.push_back({cpu::DnnlEpilogueStep::kEltwise, alg, nullptr});
      continue;
    }
    const Tensor& operand = ctx.inputs[next++];
    const Shape& s = operand.shape();
    bool channel = y.rank() > 0 && s.num_elements() == y[y.rank() - 1] && s.rank() >= 1 &&
                   s[s.rank() - 1] == y[y.rank() - 1];
    if (s == y)
      e.push_back({cpu::DnnlEpilogueStep::kAddFull, {}, operand.data<float>()});
    else if (channel)
      e.push_back({cpu::DnnlEpilogueStep::kAddChannel, {}, operand.data<float>()});
    else
      return std::nullopt;
  }
  return e;
}

absl::Status FusedMatmulKernel(KernelContext& ctx) {
  const Tensor &a = ctx.inputs[0], &b = ctx.inputs[1];
  cpu::MatmulGeometry g = cpu::MakeMatmulGeometry(
      a.shape(), b.shape(), ctx.attr<bool>("transpose_a"), ctx.attr<bool>("transpose_b"));
  if (a.dtype() == DType::kFloat32 && g.macs() >= cpu::kDnnlMatmulMinMacs &&
      cpu::DnnlMatmulSupports(g)) {
    if (std::optional<cpu::DnnlEpilogue> e = DnnlEpilogueOf(ctx)) {
      absl::Status s = cpu::DnnlMatmulF32(g, a.data<float>(), b.data<float>(),
                                          ctx.outputs[0].mutable_data<float>(), *e);
      if (s.code() != absl::StatusCode::kUnimplemented) return s;
    }
  }
  static const OpDef& matmul = *OpRegistry::Get().Find("matmul");
  return RunUnfused(ctx, matmul);
}

absl::Status FusedConv2DKernel(KernelContext& ctx) {
  const Tensor &x = ctx.inputs[0], &f = ctx.inputs[1];
  const Shape& fs = f.shape();
  cpu::Window2D g = cpu::MakeWindow2D(
      x.shape(), fs[0], fs[1], fs[3], ctx.attr<Ints>("strides").data(),
      ctx.attr<Ints>("dilations").data(), ctx.attr<std::string>("padding") == "SAME");
  if (x.dtype() == DType::kFloat32 && cpu::DnnlConvSupports(g)) {
    if (std::optional<cpu::DnnlEpilogue> e = DnnlEpilogueOf(ctx)) {
      absl::Status s = cpu::DnnlConv2DF32(g, x.data<float>(), f.data<float>(), f.version(),
                                          ctx.outputs[0].mutable_data<float>(), *e);
      if (s.code() != absl::StatusCode::kUnimplemented) return s;
    }
  }
  static const OpDef& conv2d = *OpRegistry::Get().Find("conv2d");
  return RunUnfused(ctx, conv2d);
}

// What this backend fuses. The activations are those oneDNN has as eltwise post-ops whose
// gradient rule reads only the op's output (relu via relu_grad(dy, y), tanh, sigmoid, exp,
// sqrt): in a training graph their input then has no other use, and the pass can fuse them.
const bool kDeclared = [] {
  RegisterFusedForm(DeviceType::kCPU, "matmul", "fused_matmul");
  RegisterFusedForm(DeviceType::kCPU, "conv2d", "fused_conv2d");
  RegisterEpilogueStep(DeviceType::kCPU, "add", EpilogueStep::kAdd);
  for (const char* act : kActivations)
    RegisterEpilogueStep(DeviceType::kCPU, act, EpilogueStep::kActivation);
  return true;
}();

}  // namespace

DUET_REGISTER_KERNEL("fused_matmul", DeviceType::kCPU, kFloatDTypes, FusedMatmulKernel);
DUET_REGISTER_KERNEL("fused_conv2d", DeviceType::kCPU, kFloatDTypes, FusedConv2DKernel);

}  // namespace duet
