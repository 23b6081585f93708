// copy_to_device and the Tensor::to/gpu/cpu members it backs. One kernel serves every device:
// it copies through the devices' DeviceMemory (runtime/device_copy.h).
#include "kernels/device_ops.h"

#include "absl/strings/str_cat.h"
#include "kernels/infer_helpers.h"
#include "runtime/context.h"
#include "runtime/device_copy.h"
#include "runtime/device_memory.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace duet {
namespace {

absl::Status Prefixed(const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat("[copy_to_device] ", s.message()));
}

// Kernels make their own output: on another device than the input, which the executor's
// allocation (on the op's device) cannot do.
absl::Status CopyToDeviceKernel(KernelContext& ctx) {
  absl::StatusOr<Device> device = ParseDevice(ctx.attr<std::string>("device"));
  if (!device.ok()) return Prefixed(device.status());
  absl::StatusOr<Tensor> copy = CopyTensorTo(ctx.inputs[0], *device);
  if (!copy.ok()) return Prefixed(copy.status());
  // Already there: a new handle on the same buffer (an op's output is never its input's handle,
  // which the tape tells apart by identity).
  ctx.outputs[0] =
      copy->impl() == ctx.inputs[0].impl() ? Tensor::View(*copy, copy->shape()) : *std::move(copy);
  return absl::OkStatus();
}

// Stateful: a copy is never folded into a constant (a constant lives on the host).
const OpDef& kCopyToDevice =
    OpBuilder("copy_to_device")
        .Inputs({"x"})
        .Outputs({"y"})
        .Attr("device", AttrKind::kString)
        .Traits(kCrossDevice | kStateful)
        .Infer(InferSameAsInput)
        .KernelAllocatesOutputs()
        .Gradient([](const GradContext& c) {
          return std::vector<Tensor>{copy_to_device(c.output_grads[0], c.inputs[0].device())};
        })
        .Doc("x's values on another device (attr device, e.g. \"/gpu:0\")")
        .Build();

DUET_REGISTER_KERNEL("copy_to_device", DeviceType::kCPU, kAnyDType, CopyToDeviceKernel);
DUET_REGISTER_KERNEL("copy_to_device", DeviceType::kGPU, kAnyDType, CopyToDeviceKernel);
DUET_REGISTER_KERNEL("copy_to_device", DeviceType::kTest, kAnyDType, CopyToDeviceKernel);
DUET_REGISTER_KERNEL("copy_to_device", DeviceType::kNull, kAnyDType, CopyToDeviceKernel);

}  // namespace

Tensor copy_to_device(const Tensor& x, Device device, const Loc& loc) {
  if (x.device(loc) == device) return x;
  if (!executing_eagerly() && !IsHostMemory(device.type))  // graphs run on the CPU
    ThrowError(absl::UnimplementedError(absl::StrCat(
                   "[copy_to_device] a traced function runs on the CPU and cannot move a tensor "
                   "to ",
                   device.to_string(), "; copy its inputs and results outside the function")),
               loc);
  if (absl::Status present = CheckDevicePresent(device); !present.ok())
    ThrowError(Prefixed(present), loc);
  return Call(kCopyToDevice, {x}, MakeAttrs(kCopyToDevice, {{"device", device.to_string()}}), loc);
}

Tensor Tensor::to(std::string_view device, const Loc& loc) const {
  absl::StatusOr<Device> parsed = ParseDevice(device);
  if (!parsed.ok()) ThrowError(Prefixed(parsed.status()), loc);
  return copy_to_device(*this, *parsed, loc);
}

Tensor Tensor::gpu(int index, const Loc& loc) const {
  return copy_to_device(*this, Device{DeviceType::kGPU, index}, loc);
}

Tensor Tensor::cpu(const Loc& loc) const { return copy_to_device(*this, kCPU0, loc); }

}  // namespace duet
