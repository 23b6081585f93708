// Placement: which device an eager op runs on, and what its inputs become there.
//   1. The device: the innermost DeviceScope's; else the first input not on the CPU; else the CPU.
//      (copy_to_device, kCrossDevice, runs where its input is and leaves it there.)
//   2. A scope device that is not present, or has no kernel for the op and dtype, falls back to
//      the CPU unless the policy is kExplicit (kWarn says so once per op and device).
//      Without a scope, a missing kernel is an error naming the op, the device and the dtype.
//   3. Inputs on another device are copied per the context's DevicePolicy, as TensorFlow's:
//      kExplicit refuses, kWarn copies and warns once per op and device pair, kSilent copies,
//      kSilentForInt32 copies int32 only. One-element host tensors (the numbers in `x * 2`)
//      are copied under every policy, as TensorFlow lets scalars follow the op. In async mode
//      the copy of a pending input is queued behind its producer (no wait).
// Example: PlacedCall placed; RETURN_IF_ERROR(PlaceOp(call, dtype, placed)); kernel(ctx on placed)
#pragma once

#include "absl/container/inlined_vector.h"
#include "runtime/executor.h"

namespace duet {

struct PlacedCall {
  Device device = kCPU0;
  KernelFn kernel = nullptr;
  absl::Span<const Tensor> inputs;       // the call's inputs, or `moved`
  absl::InlinedVector<Tensor, 4> moved;  // filled only when some input was copied
};

// `kernel_dtype`: the dtype that selects the kernel (OpDef::kernel_dtype_input).
absl::Status PlaceOp(const OpCall& call, DType kernel_dtype, PlacedCall& placed);

// Output `i` of `op` on the placed device; a failure names the op and the output.
absl::StatusOr<Tensor> AllocateOutput(const OpDef& op, size_t i, const TensorSpec& spec,
                                      Device device);

}  // namespace duet
