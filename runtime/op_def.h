// OpDef: everything the system knows about one op, declared once in its registration
// (kernels/<family>.cc) and read by every layer: eager dispatch, tape, tracer, verifier, passes.
// Example (kernels/elementwise_binary.cc):
//   const OpDef& kAdd = OpBuilder("add").Inputs({"x", "y"}, kNumericDTypes).SameDTypes()
//       .Outputs({"z"}).Attr(...).Traits(kElementwise | kBroadcasting | kCommutative)
//       .Infer(InferBroadcast).Gradient(...).Build();
// Kernels are registered per backend, apart from the definition (kernels/cpu/*_kernels.cc):
//   DUET_REGISTER_KERNEL("add", DeviceType::kCPU, kNumericDTypes, AddKernel);
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "runtime/attr.h"
#include "runtime/dtype_set.h"
#include "runtime/scalar_facet.h"
#include "runtime/tensor.h"

namespace duet {

struct OpDef;

// Properties passes and the tape ask about (never op names).
enum OpTrait : uint32_t {
  kNoTraits = 0,
  kElementwise = 1u << 0,    // output[i] depends only on inputs at i (after broadcasting)
  kBroadcasting = 1u << 1,   // inputs broadcast NumPy-style
  kCommutative = 1u << 2,    // op(x, y) == op(y, x)
  kStateful = 1u << 3,       // has effects or hidden state: never fold, CSE, reorder or drop
  kShapeOnly = 1u << 4,      // moves data without arithmetic (reshape, transpose, slice...)
  kReduction = 1u << 5,      // combines elements along `axes`/`axis` (reduce_*, argmax)
  kContraction = 1u << 6,    // sums products over a shared dim (matmul)
  kWindow = 1u << 7,         // slides a window over NHWC spatial dims (conv2d, pools, their grads)
  kNormalization = 1u << 8,  // rescales along an axis to a distribution (softmax, log_softmax)
  kCrossDevice = 1u << 9,    // moves its input to another device (copy_to_device): placement
                             // leaves its inputs where they are and its kernel allocates outputs
};
using TensorList = absl::InlinedVector<Tensor, 2>;
using SpecList = absl::InlinedVector<TensorSpec, 1>;

// The one attribute accessor (the contexts below wrap it): `op`'s attribute `name` as a T.
// Reading a name the op does not declare, or as the wrong kind, is a programming error: it
// aborts naming the op and what it declares (the OpInfo sweeps run every op's reads).
// A name compare over the op's few AttrDefs; no allocation.
template <class T>
const T& AttrOf(const OpDef& op, const Attrs& attrs, std::string_view name);

// What shape inference sees: the inputs' specs (through symbolic or concrete tensors) and attrs.
struct InferContext {
  const OpDef& op;
  absl::Span<const Tensor> inputs;
  const Attrs& attrs;
  const TensorSpec& input(int i) const { return inputs[i].spec(); }
  template <class T>
  const T& attr(std::string_view name) const {
    return AttrOf<T>(op, attrs, name);
  }
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
  template <class T>
  const T& attr(std::string_view name) const {
    return AttrOf<T>(op, attrs, name);
  }
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
  template <class T>
  const T& attr(std::string_view name) const {
    return AttrOf<T>(op, attrs, name);
  }
};
using GradFn = std::function<std::vector<Tensor>(const GradContext&)>;
enum class GradientKind : uint8_t { kUnspecified, kNotDifferentiable, kDefined };

struct OpDef {
  std::string name;
  std::vector<std::string> inputs;     // names; with `variadic_inputs` the single name repeats
  std::vector<DTypeSet> input_dtypes;  // parallel to `inputs`: the dtypes each one accepts
  bool same_dtypes = false;            // every input has input 0's dtype (no implicit promotion)
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
  ScalarFn scalar = nullptr;  // elementwise ops: the scalar meaning code generators emit
  std::string doc;
  int index = -1;  // position in the registry (a dense handle)

  bool has(OpTrait t) const { return (traits & t) != 0; }
  KernelFn kernel(DeviceType device, DType dtype) const {
    return kernels[static_cast<int>(device)][static_cast<int>(dtype)];
  }
};

// The declared input dtype constraints (input_dtypes, same_dtypes), checked once for every
// caller: Dispatch before shape inference, and the IR verifier. Messages name the op, the
// input and the allowed dtypes: "[matmul] input 0 (a) has dtype bool (2, 2); expected one of
// float32, float64, int32, int64".
absl::Status CheckInputDTypes(const OpDef& op, absl::Span<const Tensor> inputs);

[[noreturn]] void AttrReadError(const OpDef& op, std::string_view name, AttrKind wanted);

template <class T>
const T& AttrOf(const OpDef& op, const Attrs& attrs, std::string_view name) {
  const size_t n = std::min(op.attrs.size(), attrs.size());
  for (size_t i = 0; i < n; ++i) {
    if (op.attrs[i].name != name) continue;
    if (const T* v = std::get_if<T>(&attrs[i])) [[likely]]
      return *v;
    break;
  }
  AttrReadError(op, name, AttrKindFor<T>());
}

// Calls fn(def, value) for each declared attribute and its value, in declaration order (for
// printers and converters that handle every attribute alike).
template <class Fn>
void ForEachAttr(const OpDef& op, const Attrs& attrs, Fn&& fn) {
  const size_t n = std::min(op.attrs.size(), attrs.size());
  for (size_t i = 0; i < n; ++i) fn(op.attrs[i], attrs[i]);
}

// A named attribute value for MakeAttrs.
struct NamedAttr {
  std::string_view name;
  AttrValue value;
};

// Builds `op`'s attribute list from named values, which must follow the op's declaration
// order (checked: a wrong or missing name aborts naming the op). The one way op wrappers
// build Attrs. Example: MakeAttrs(kMatmul, {{"transpose_a", ta}, {"transpose_b", tb}}).
Attrs MakeAttrs(const OpDef& op, std::initializer_list<NamedAttr> values);

}  // namespace duet
