#include "eager/placement.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "eager/async_executor.h"
#include "runtime/context.h"
#include "runtime/device_copy.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace duet {
namespace {

const char* PolicyName(DevicePolicy p) {
  switch (p) {
    case DevicePolicy::kExplicit:
      return "DevicePolicy::kExplicit";
    case DevicePolicy::kWarn:
      return "DevicePolicy::kWarn";
    case DevicePolicy::kSilent:
      return "DevicePolicy::kSilent";
    case DevicePolicy::kSilentForInt32:
      return "DevicePolicy::kSilentForInt32";
  }
  return "?";
}

// kWarn's "once per op and device pair": the process remembers what it has said.
void WarnOnce(const std::string& key, const std::string& message) {
  static std::mutex mu;
  static auto* said = new std::set<std::string>();
  std::lock_guard<std::mutex> lock(mu);
  if (!said->insert(key).second) return;
  std::fprintf(stderr, "duet: warning: %s\n", message.c_str());
}

// Step 2: the scope's device, or the CPU when it cannot run the op there.
absl::Status ResolveScopeDevice(const OpDef& op, DType dtype, DevicePolicy policy, Device& device) {
  absl::Status present = CheckDevicePresent(device);
  if (present.ok() && op.kernel(device.type, dtype)) return absl::OkStatus();
  std::string why = present.ok() ? absl::StrCat("has no ", DeviceTypeName(device.type),
                                                " kernel for ", DTypeName(dtype))
                                 : std::string(present.message());
  if (policy == DevicePolicy::kExplicit)
    return absl::FailedPreconditionError(
        absl::StrCat("[", op.name, "] cannot run on ", device.to_string(),
                     " (from a DeviceScope): ", present.ok() ? "the op " : "", why, "; under ",
                     PolicyName(policy), " ops do not fall back to the CPU"));
  if (policy == DevicePolicy::kWarn)
    WarnOnce(absl::StrCat(op.name, "|", device.to_string(), "|fallback"),
             absl::StrCat("[", op.name, "] runs on the CPU instead of ", device.to_string(),
                          " (from a DeviceScope): ", present.ok() ? "the op " : "", why,
                          " (shown once per op and device)"));
  device = kCPU0;
  return absl::OkStatus();
}

// The op that moves a tensor between devices (copy_to_device, kernels/device_ops.cc), found by
// its trait as passes find ops.
const OpDef& CrossDeviceCopyOp() {
  for (const OpDef* op : OpRegistry::Get().ops())
    if (op->has(kCrossDevice)) return *op;
  std::fprintf(stderr, "duet: no op with the kCrossDevice trait is linked (//kernels:ops)\n");
  std::abort();
}

// The copy of an input placement makes. In async mode a pending input is not waited for: the
// copy (copy_to_device) is queued behind its producer like any other op.
absl::StatusOr<Tensor> CopyForPlacement(const Tensor& input, Device device, const Loc& loc) {
  if (CurrentExecutionMode() != ExecutionMode::kAsync || input.is_ready())
    return CopyTensorTo(input, device);
  static const OpDef& copy = CrossDeviceCopyOp();
  PlacedCall placed;
  placed.device = input.device();
  placed.kernel = copy.kernel(placed.device.type, input.dtype());
  if (!placed.kernel)
    return absl::UnimplementedError(
        absl::StrCat("copy_to_device has no ", DeviceTypeName(placed.device.type), " kernel"));
  const Tensor inputs[] = {input};
  placed.inputs = inputs;
  const Attrs attrs = MakeAttrs(copy, {{"device", device.to_string()}});
  ASSIGN_OR_RETURN(TensorList out, internal::EnqueueAsync(OpCall{copy, inputs, attrs, loc}, placed,
                                                          SpecList{input.spec()}));
  return std::move(out[0]);
}

bool CopiesSilently(DevicePolicy policy, const Tensor& t) {
  switch (policy) {
    case DevicePolicy::kExplicit:
      return false;
    case DevicePolicy::kWarn:
    case DevicePolicy::kSilent:
      return true;
    case DevicePolicy::kSilentForInt32:
      return t.dtype() == DType::kInt32;
  }
  return false;
}

// Step 3 for one input.
absl::Status MoveInput(const OpDef& op, size_t i, DevicePolicy policy, Device device,
                       const Tensor& input, const Loc& loc, Tensor& moved) {
  const bool scalar_on_host = input.device().type == DeviceType::kCPU && input.num_elements() == 1;
  const char* name = op.inputs[op.variadic_inputs ? 0 : i].c_str();
  if (!scalar_on_host && !CopiesSilently(policy, input))
    return absl::InvalidArgumentError(absl::StrCat(
        "[", op.name, "] input ", i, " (", name, ") ", input.spec().to_string(), " is on ",
        input.device().to_string(), " but the op runs on ", device.to_string(), "; under ",
        PolicyName(policy), " inputs are not copied: move it first (x.to(\"", device.to_string(),
        "\"), x.cpu(), x.gpu())"));
  if (policy == DevicePolicy::kWarn && !scalar_on_host)
    WarnOnce(
        absl::StrCat(op.name, "|", input.device().to_string(), "|", device.to_string()),
        absl::StrCat("[", op.name, "] copies input ", name, " from ", input.device().to_string(),
                     " to ", device.to_string(), " (shown once per op and device pair)"));
  absl::StatusOr<Tensor> copy = CopyForPlacement(input, device, loc);
  if (!copy.ok())
    return absl::Status(copy.status().code(), absl::StrCat("[", op.name, "] input ", i, " (", name,
                                                           "): ", copy.status().message()));
  moved = *std::move(copy);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Tensor> AllocateOutput(const OpDef& op, size_t i, const TensorSpec& spec,
                                      Device device) {
  absl::StatusOr<Tensor> out = Tensor::TryEmpty(spec, device);
  if (!out.ok()) [[unlikely]]
    return absl::Status(out.status().code(),
                        absl::StrCat("[", op.name, "] output ", i, ": ", out.status().message()));
  return out;
}

absl::Status PlaceOp(const OpCall& call, DType dtype, PlacedCall& placed) {
  const OpDef& op = call.op;
  placed.inputs = call.inputs;
  const Device* scope = CurrentDeviceScope();
  // The common case, CPU inputs and no scope, decides nothing.
  Device device = kCPU0;
  if (op.has(kCrossDevice) && !call.inputs.empty()) {
    device = call.inputs[0].device();
  } else if (scope) [[unlikely]] {
    device = *scope;
    RETURN_IF_ERROR(ResolveScopeDevice(op, dtype, Context::Get().options().device_policy, device));
  } else {
    for (const Tensor& t : call.inputs)
      if (t.device().type != DeviceType::kCPU) [[unlikely]] {
        device = t.device();
        break;
      }
  }
  placed.device = device;
  placed.kernel = op.kernel(device.type, dtype);
  if (!placed.kernel) [[unlikely]]
    return absl::UnimplementedError(
        absl::StrCat("[", op.name, "] has no ", DeviceTypeName(device.type), " kernel for ",
                     DTypeName(dtype), " (device ", device.to_string(), ")"));
  if (op.has(kCrossDevice)) return absl::OkStatus();
  for (size_t i = 0; i < call.inputs.size(); ++i) {
    if (call.inputs[i].device() == device) [[likely]]
      continue;
    const DevicePolicy policy = Context::Get().options().device_policy;
    if (placed.moved.empty()) placed.moved.assign(call.inputs.begin(), call.inputs.end());
    RETURN_IF_ERROR(MoveInput(op, i, policy, device, call.inputs[i], call.loc, placed.moved[i]));
  }
  if (!placed.moved.empty()) placed.inputs = placed.moved;
  return absl::OkStatus();
}

}  // namespace duet
