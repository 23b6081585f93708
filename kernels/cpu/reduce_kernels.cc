// CPU kernels of the reduce ops (kernels/reduce_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "kernels/cpu/reduce_loops.h"
#include "kernels/infer_helpers.h"
#include "kernels/reduce_axes.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

template <class Ctx>
const Ints& AxesAttr(const Ctx& c) {
  return c.template attr<Ints>("axes");
}

template <cpu::ReduceKind kKind>
absl::Status ReduceKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  absl::StatusOr<std::vector<bool>> mask = ReducedMask(ctx.op, x.shape(), AxesAttr(ctx));
  if (!mask.ok()) return mask.status();
  if (!IsNumeric(x.dtype())) return OpError(ctx.op, "no kernel for ", DTypeName(x.dtype()));
  cpu::ReduceLayout layout = cpu::CollapseForReduce(x.shape(), *mask);
  if (layout.count == 0 && ctx.outputs[0].num_elements() > 0 && NeedsElements(kKind, x.dtype()))
    return OpError(ctx.op, "empty reduction over shape ",
                   x.shape().to_string());  // inference rejects this first
  cpu::Reduce(kKind, x, layout, ctx.outputs[0]);
  return absl::OkStatus();
}

absl::Status ArgMaxKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  absl::StatusOr<int> axis = NormalizeAxis(ctx.op, ctx.attr<int64_t>("axis"), x.rank(), x.shape());
  if (!axis.ok()) return axis.status();
  if (!IsNumeric(x.dtype())) return OpError(ctx.op, "no kernel for ", DTypeName(x.dtype()));
  if (x.shape()[*axis] == 0 && ctx.outputs[0].num_elements() > 0)  // inference rejects this first
    return OpError(ctx.op, "argmax over an empty axis of shape ", x.shape().to_string());
  cpu::ArgMax(x, *axis, ctx.outputs[0]);
  return absl::OkStatus();
}

}  // namespace

DUET_REGISTER_KERNEL("reduce_sum", DeviceType::kCPU, kNumericDTypes,
                     ReduceKernel<cpu::ReduceKind::kSum>);
DUET_REGISTER_KERNEL("reduce_mean", DeviceType::kCPU, kNumericDTypes,
                     ReduceKernel<cpu::ReduceKind::kMean>);
DUET_REGISTER_KERNEL("reduce_max", DeviceType::kCPU, kNumericDTypes,
                     ReduceKernel<cpu::ReduceKind::kMax>);
DUET_REGISTER_KERNEL("reduce_min", DeviceType::kCPU, kNumericDTypes,
                     ReduceKernel<cpu::ReduceKind::kMin>);
DUET_REGISTER_KERNEL("argmax", DeviceType::kCPU, kNumericDTypes, ArgMaxKernel);

}  // namespace duet
