// Registration and CPU kernel of broadcast_to; its gradient sums back to the input's shape.
#include "kernels/broadcast_ops.h"

#include "kernels/cpu/elementwise_loops.h"
#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

absl::StatusOr<SpecList> InferBroadcastTo(const InferContext& ctx) {
  const Shape& target = std::get<Shape>(ctx.attrs[0]);
  const Shape& in = ctx.input(0).shape;
  absl::StatusOr<Shape> merged = BroadcastShapes(ctx.op, in, target);
  if (!merged.ok() || !(*merged == target))
    return OpError(ctx.op, "cannot broadcast shape ", in.to_string(), " to ", target.to_string());
  return SpecList{TensorSpec(target, ctx.input(0).dtype)};
}

template <class T>
void Broadcast(const Tensor& x, Tensor& out) {
  const T* px = x.data<T>();
  T* po = out.mutable_data<T>();
  const Shape* shapes[1] = {&x.shape()};
  cpu::ForEachBroadcast<1>(out.shape(), shapes, [&](int64_t m, const int64_t* offs, const int64_t* st) {
    for (int64_t i = 0; i < m; ++i) po[i] = px[offs[0] + i * st[0]];
    po += m;
  });
}

absl::Status BroadcastKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  Tensor& out = ctx.outputs[0];
  switch (SizeOf(x.dtype())) {  // moves bits: one loop per element width
    case 1: Broadcast<uint8_t>(x, out); break;
    case 2: Broadcast<uint16_t>(x, out); break;
    case 4: Broadcast<uint32_t>(x, out); break;
    default: Broadcast<uint64_t>(x, out); break;
  }
  return absl::OkStatus();
}

const OpDef& kBroadcastTo = OpBuilder("broadcast_to").Inputs({"x"}).Outputs({"y"}).Attr("shape", AttrKind::kShape)
    .Traits(kShapeOnly).Infer(InferBroadcastTo)
    .Kernel(DeviceType::kCPU, {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64, DType::kBool,
                               DType::kFloat16, DType::kBFloat16}, BroadcastKernel)
    .Gradient([](const GradContext& c) { return std::vector<Tensor>{SumToInput(c, c.output_grads[0], 0)}; })
    .Build();

}  // namespace

Tensor broadcast_to(const Tensor& x, const Shape& shape, const Loc& loc) {
  return Call(kBroadcastTo, {x}, Attrs{AttrValue(shape)}, loc);
}

}  // namespace duet
