// OpDef: everything the system knows about one op, declared once in its registration
// (kernels/<family>.cc) and read by every layer: eager dispatch, tape, tracer, verifier, passes.
// Example (kernels/elementwise_binary.cc):
//   const OpDef& kAdd = OpBuilder("add").Inputs({"x", "y"}).Outputs({"z"})
//       .Traits(kElementwise | kBroadcasting | kCommutative).Infer(InferBroadcast)
//       .Kernel(DeviceType::kCPU, {DType::kFloat32, DType::kInt32}, AddKernel).Build();
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "runtime/attr.h"
#include "runtime/tensor.h"

namespace duet {

struct OpDef;

// Properties passes and the tape ask about (never op names).
enum OpTrait : uint32_t {
  kNoTraits = 0,
  kElementwise = 1u << 0,   // output[i] depends only on inputs at i (after broadcasting)
  kBroadcasting = 1u << 1,  // inputs broadcast NumPy-style
  kCommutative = 1u << 2,   // op(x, y) == op(y, x)
  kStateful = 1u << 3,      // has effects or hidden state: never fold, CSE, reorder or drop
  kShapeOnly = 1u << 4,     // moves data without arithmetic (reshape, transpose, slice...)
  kIdempotent = 1u << 5,    // op(op(x)) == op(x)
};
using TensorList = absl::InlinedVector<Tensor, 2>;
using SpecList = absl::InlinedVector<TensorSpec, 1>;

// What shape inference sees: the inputs' specs (through symbolic or concrete tensors) and attrs.
struct InferContext {
  const OpDef& op;
  absl::Span<const Tensor> inputs;
  const Attrs& attrs;
  const TensorSpec& input(int i) const { return inputs[i].spec(); }
};
using InferFn = absl::StatusOr<SpecList> (*)(const InferContext&);

// What a kernel sees: concrete inputs, outputs already allocated from the inferred specs
// (unless the op's kernel makes its own outputs, e.g. zero-copy views), and the attrs.
struct KernelContext {
  const OpDef& op;
  absl::Span<const Tensor> inputs;
  absl::Span<Tensor> outputs;
  absl::Span<const TensorSpec> output_specs;
  const Attrs& attrs;
};
using KernelFn = absl::Status (*)(KernelContext&);

// The gradient slot. A rule receives the forward call and the gradients flowing into its
// outputs and returns one gradient per input (undefined Tensor = no gradient), built with the
// public ops so it is differentiable and traceable again. The autodiff layer fills these.
struct GradContext {
  const OpDef& op;
  absl::Span<const Tensor> inputs;
  absl::Span<const Tensor> outputs;
  absl::Span<const Tensor> output_grads;
  const Attrs& attrs;
  uint64_t needed = ~uint64_t{0};  // bit i: the caller wants input i's gradient
  // A rule may skip (return undefined for) inputs nobody needs, e.g. conv2d's data input.
  bool needs(int i) const { return i >= 64 || ((needed >> i) & 1) != 0; }
};
using GradFn = std::function<std::vector<Tensor>(const GradContext&)>;
enum class GradientKind : uint8_t { kUnspecified, kNotDifferentiable, kDefined };

struct OpDef {
  std::string name;
  std::vector<std::string> inputs;  // names; with `variadic_inputs` the single name repeats
  std::vector<std::string> outputs;
  std::vector<AttrDef> attrs;
  bool variadic_inputs = false;  // concat: one or more inputs of the same kind
  uint32_t traits = kNoTraits;
  InferFn infer = nullptr;  // mandatory
  // Which input's dtype selects the kernel (-1: the first output's dtype, for ops like random).
  int kernel_dtype_input = 0;
  bool kernel_allocates_outputs = false;
  KernelFn kernels[kNumDeviceTypes][kNumDTypes] = {};
  GradientKind gradient_kind = GradientKind::kUnspecified;
  GradFn gradient;
  std::string doc;
  int index = -1;  // position in the registry (a dense handle)

  bool has(OpTrait t) const { return (traits & t) != 0; }
  KernelFn kernel(DeviceType device, DType dtype) const {
    return kernels[static_cast<int>(device)][static_cast<int>(dtype)];
  }
};

}  // namespace duet
