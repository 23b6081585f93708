// Fused contractions: fused_matmul and fused_conv2d compute their producer (matmul, conv2d)
// followed by an epilogue, the attr `epilogue` = step op names joined by ',':
//   "add"       y = y + operands[k], the next extra operand, broadcast to y's shape (a bias
//               over the last dim, or a residual of y's own shape)
//   activation  y = f(y), only as the last step, for an activation the CPU backend declares
//               (runtime/epilogue.h): one whose gradient rule reads only its output
// e.g. fused_matmul(x, w, b) {transpose_a = false, transpose_b = false, epilogue = "add,relu"}
// is relu(matmul(x, w) + b). Users never call them: the fuse-epilogue pass makes them, for the
// epilogues a backend can run inside its contraction (runtime/epilogue.h; CPU kernels with
// oneDNN post-ops in kernels/cpu/fused_kernels.cc). Their gradient is the producer's rule
// applied to the activation's gradient, which is computed from the output alone (the backend
// declares only activations whose rule reads just y), so no intermediate is kept.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "runtime/epilogue.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace duet {
namespace {

constexpr int kProducerInputs = 2;

const OpDef& Producer(const char* name) { return *OpRegistry::Get().Find(name); }

// The producer's attrs: the fused op declares them first, then `epilogue`.
Attrs ProducerAttrs(const Attrs& attrs) { return Attrs(attrs.begin(), attrs.end() - 1); }

// What step `name` is by the CPU backend's declarations (runtime/epilogue.h), if anything.
std::optional<EpilogueStep> StepKind(const std::string& name) {
  const OpDef* op = OpRegistry::Get().Find(name);
  return op ? EpilogueStepOf(DeviceType::kCPU, *op) : std::nullopt;
}

absl::StatusOr<SpecList> InferFused(const InferContext& ctx, const OpDef& producer) {
  if (ctx.inputs.size() < kProducerInputs)
    return OpError(ctx.op, "takes ", kProducerInputs, " inputs and one per add, got ",
                   ctx.inputs.size());
  const Attrs pa = ProducerAttrs(ctx.attrs);
  absl::StatusOr<SpecList> inferred =
      producer.infer(InferContext{producer, ctx.inputs.subspan(0, kProducerInputs), pa});
  if (!inferred.ok())  // "[fused_matmul] [matmul] inner dimensions differ: ..."
    return absl::Status(inferred.status().code(),
                        absl::StrCat("[", ctx.op.name, "] ", inferred.status().message()));
  SpecList out = *std::move(inferred);
  const Shape& y = out[0].shape;
  const std::vector<std::string> steps = SplitEpilogue(ctx.attr<std::string>("epilogue"));
  size_t next = kProducerInputs;
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::optional<EpilogueStep> kind = StepKind(steps[i]);
    if (kind == EpilogueStep::kAdd) {
      if (next >= ctx.inputs.size())
        return OpError(ctx.op, "epilogue '", ctx.attr<std::string>("epilogue"), "' adds more ",
                       "operands than the ", ctx.inputs.size() - kProducerInputs, " given");
      const Shape& operand = ctx.input(static_cast<int>(next++)).shape;
      ASSIGN_OR_RETURN(Shape sum, BroadcastShapes(ctx.op, y, operand));
      if (sum != y)
        return OpError(ctx.op, "epilogue operand ", operand.to_string(), " does not broadcast to ",
                       y.to_string());
    } else if (kind != EpilogueStep::kActivation || i + 1 != steps.size()) {
      // Only declared activations: their gradient rules read just the output (FusedGrad).
      return OpError(ctx.op, "epilogue step '", steps[i],
                     "' is neither 'add' nor a final activation the CPU backend fuses");
    }
  }
  if (next != ctx.inputs.size())
    return OpError(ctx.op, "epilogue '", ctx.attr<std::string>("epilogue"), "' uses ",
                   next - kProducerInputs, " operands, got ", ctx.inputs.size() - kProducerInputs);
  return out;
}

std::vector<Tensor> FusedGrad(const GradContext& c, const OpDef& producer) {
  const std::vector<std::string> steps = SplitEpilogue(c.attr<std::string>("epilogue"));
  Tensor dz = c.output_grads[0];
  if (!steps.empty() && StepKind(steps.back()) == EpilogueStep::kActivation) {  // from y alone
    const OpDef& act = *OpRegistry::Get().Find(steps.back());
    const Tensor no_input[1];
    dz = act.gradient(GradContext{act, no_input, c.outputs, c.output_grads, {}, 1})[0];
  }
  std::vector<Tensor> grads(c.inputs.size());
  for (size_t k = kProducerInputs; k < c.inputs.size(); ++k)
    if (c.needs(static_cast<int>(k))) grads[k] = SumToInput(c, dz, static_cast<int>(k));
  const Attrs pa = ProducerAttrs(c.attrs);
  const Tensor no_output[1];
  const Tensor dzs[1] = {dz};
  std::vector<Tensor> pg = producer.gradient(GradContext{
      producer, c.inputs.subspan(0, kProducerInputs), no_output, dzs, pa, c.needed & 3});
  grads[0] = pg[0];
  grads[1] = pg[1];
  return grads;
}

absl::StatusOr<SpecList> InferFusedMatmul(const InferContext& c) {
  return InferFused(c, Producer("matmul"));
}
absl::StatusOr<SpecList> InferFusedConv2D(const InferContext& c) {
  return InferFused(c, Producer("conv2d"));
}

const OpDef& kFusedMatmul =
    OpBuilder("fused_matmul")
        .VariadicInput("operands", kFloatDTypes)
        .SameDTypes()
        .Outputs({"y"})
        .Attr("transpose_a", AttrKind::kBool)
        .Attr("transpose_b", AttrKind::kBool)
        .Attr("epilogue", AttrKind::kString)
        .Traits(kContraction)
        .Infer(InferFusedMatmul)
        .Gradient([](const GradContext& c) { return FusedGrad(c, Producer("matmul")); })
        .Doc("matmul(a, b) then the epilogue (adds of the extra operands, a final activation)")
        .Build();

const OpDef& kFusedConv2D =
    OpBuilder("fused_conv2d")
        .VariadicInput("operands", kFloatDTypes)
        .SameDTypes()
        .Outputs({"y"})
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Attr("dilations", AttrKind::kInts)
        .Attr("epilogue", AttrKind::kString)
        .Traits(kWindow)
        .Infer(InferFusedConv2D)
        .Gradient([](const GradContext& c) { return FusedGrad(c, Producer("conv2d")); })
        .Doc("conv2d(input, filters) then the epilogue (adds, a final activation)")
        .Build();

}  // namespace
}  // namespace duet
