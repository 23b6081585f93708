// The tape: an OpObserver that records ops whose inputs depend on watched values, and the
// reverse pass over that record.
//   Recording: a tensor is "tracked" when watched or produced by a recorded op from a tracked
//   input. Only ops with a tracked input are recorded, and only floating outputs are tracked,
//   so untouched computations cost one hash lookup per input.
//   Backward: the record is in execution order, a topological order, so walking it backwards
//   sees every consumer of a tensor before its producer: each tensor's gradient is complete
//   when its producer's rule runs. Rules run as ordinary ops, visible to enclosing tapes.
#include "eager/gradient_tape.h"

#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "kernels/binary_ops.h"
#include "runtime/dispatch.h"
#include "runtime/status_macros.h"
#include "runtime/tensor_factory.h"

namespace duet {
namespace {

struct TapeEntry {
  const OpDef* op = nullptr;   // null for a custom gradient
  TensorList inputs, outputs;  // inline storage: recording an op allocates nothing for them
  Attrs attrs;
  CustomGradFn custom;
};

absl::Status NotDifferentiable(const char* role, size_t index, const Tensor& t) {
  return absl::InvalidArgumentError(
      absl::StrCat("[gradient] ", role, " ", index, " is ", t.spec().to_string(),
                   ": only floating-point tensors are differentiable"));
}

Tensor OnesLike(const Tensor& t) {
  return FillLike(t.spec(), ValueOrThrow(ScalarTensor("gradient", 1, 1, true, t.dtype()), Loc()));
}

}  // namespace

struct GradientTape::Impl : OpObserver {
  GradientTapeOptions options;
  bool used = false;
  std::optional<ObserverScope> scope;  // engaged while recording
  std::vector<TapeEntry> entries;
  std::unordered_set<const TensorImpl*> tracked;
  std::vector<Tensor> keep_alive;  // watched tensors: their handles are our keys
  std::unordered_map<const VariableState*, std::vector<Tensor>> variable_reads;
  std::vector<Variable> watched_variables;

  // Unregister first: until then the creating thread may still be recording into `entries`.
  ~Impl() override { StopRecording(); }

  bool IsTracked(const Tensor& t) const { return tracked.count(t.impl()) != 0; }

  void Track(const Tensor& t) {
    if (t.defined() && IsFloating(t.dtype())) tracked.insert(t.impl());
  }

  void OnOp(const OpCall& call, absl::Span<const Tensor> outputs) override {
    if (call.op.gradient_kind == GradientKind::kNotDifferentiable) return;
    bool any = false;
    for (const Tensor& t : call.inputs) any = any || IsTracked(t);
    if (!any) return;
    TapeEntry e;
    e.op = &call.op;
    e.inputs.assign(call.inputs.begin(), call.inputs.end());
    e.outputs.assign(outputs.begin(), outputs.end());
    e.attrs = call.attrs;
    for (const Tensor& t : outputs) Track(t);
    entries.push_back(std::move(e));
  }

  void OnCustomGradient(absl::Span<const Tensor> inputs, absl::Span<const Tensor> outputs,
                        const CustomGradFn& fn) override {
    bool any = false;
    for (const Tensor& t : inputs) any = any || IsTracked(t);
    if (!any) return;
    TapeEntry e;
    e.inputs.assign(inputs.begin(), inputs.end());
    e.outputs.assign(outputs.begin(), outputs.end());
    e.custom = fn;
    for (const Tensor& t : outputs) Track(t);
    entries.push_back(std::move(e));
  }

  void OnVariableRead(const VariableState* v, const Tensor& value) override {
    bool watched = variable_reads.count(v) != 0;
    if (!watched && !(options.watch_accessed_variables && v->trainable)) return;
    if (!IsFloating(value.dtype())) return;
    std::vector<Tensor>& reads = variable_reads[v];
    for (const Tensor& r : reads)
      if (r.impl() == value.impl()) return;
    reads.push_back(value);
    Track(value);
  }

  void StopRecording() { scope.reset(); }

  // Reverse pass. Returns the gradient of each key tensor (undefined if unreached).
  absl::StatusOr<std::unordered_map<const TensorImpl*, Tensor>> Backward(const Tensor& target,
                                                                         const Tensor& seed,
                                                                         const Loc& loc) {
    std::unordered_map<const TensorImpl*, Tensor> grads;
    grads[target.impl()] = seed;
    for (size_t k = entries.size(); k-- > 0;) {
      const TapeEntry& e = entries[k];
      TensorList out_grads(e.outputs.size());
      bool any = false;
      for (size_t i = 0; i < e.outputs.size(); ++i) {
        auto it = grads.find(e.outputs[i].impl());
        if (it != grads.end()) {
          out_grads[i] = it->second;
          any = true;
        }
      }
      if (!any) continue;
      // Multi-output rules get zeros, not holes. Custom gradients get holes: a function's
      // backward takes its saved values' gradients, undefined unless a higher order uses them.
      for (size_t i = 0; i < e.outputs.size() && e.op; ++i)
        if (!out_grads[i].defined() && IsFloating(e.outputs[i].dtype())) {
          ASSIGN_OR_RETURN(Tensor zero, ScalarTensor("gradient", 0, 0, true, e.outputs[i].dtype()));
          out_grads[i] = FillLike(e.outputs[i].spec(), zero);
        }
      std::vector<Tensor> in_grads;
      if (e.op) {
        if (e.op->gradient_kind != GradientKind::kDefined)
          return absl::UnimplementedError(
              absl::StrCat("[gradient] op '", e.op->name, "' has no gradient rule"));
        uint64_t needed = 0;
        for (size_t i = 0; i < e.inputs.size() && i < 64; ++i)
          if (IsTracked(e.inputs[i])) needed |= uint64_t{1} << i;
        in_grads =
            e.op->gradient(GradContext{*e.op, e.inputs, e.outputs, out_grads, e.attrs, needed});
      } else {
        in_grads = e.custom(out_grads);
      }
      if (in_grads.size() > e.inputs.size())
        return absl::InternalError(absl::StrCat(
            "[gradient] rule of '", e.op ? e.op->name : "custom_gradient", "' returned ",
            in_grads.size(), " gradients for ", e.inputs.size(), " inputs"));
      for (size_t i = 0; i < in_grads.size(); ++i) {
        if (!in_grads[i].defined() || !IsTracked(e.inputs[i])) continue;
        if (in_grads[i].shape() != e.inputs[i].shape() ||
            in_grads[i].dtype() != e.inputs[i].dtype())
          return absl::InternalError(absl::StrCat("[gradient] rule of '",
                                                  e.op ? e.op->name : "custom_gradient", "' gave ",
                                                  in_grads[i].spec().to_string(), " for input ", i,
                                                  " ", e.inputs[i].spec().to_string()));
        Tensor& acc = grads[e.inputs[i].impl()];
        acc = acc.defined() ? add(acc, in_grads[i], loc) : in_grads[i];
      }
    }
    return grads;
  }
};

GradientTape::GradientTape(GradientTapeOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->scope.emplace(impl_.get());
}

GradientTape::~GradientTape() = default;

void GradientTape::watch(const Tensor& x, const Loc& loc) {
  if (!x.defined()) ThrowError(absl::InvalidArgumentError("[watch] the tensor is undefined"), loc);
  if (!IsFloating(x.dtype())) ThrowError(NotDifferentiable("watched tensor", 0, x), loc);
  impl_->keep_alive.push_back(x);
  impl_->Track(x);
}

void GradientTape::watch(const Variable& v, const Loc& loc) {
  if (!IsFloating(v.dtype()))
    ThrowError(NotDifferentiable("watched variable", 0, v.value(loc)), loc);
  impl_->variable_reads[v.state()];  // marks it watched; reads are recorded from now on
  impl_->watched_variables.push_back(v);
}

void GradientTape::stop_recording() { impl_->StopRecording(); }

std::vector<Variable> GradientTape::watched_variables() const { return impl_->watched_variables; }

Tensor GradientTape::gradient(const Tensor& target, const GradSource& source, const Loc& loc) {
  return gradient(target, std::vector<GradSource>{source}, loc)[0];
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<GradSource>& sources, const Loc& loc) {
  return gradient(target, sources, Tensor(), loc);
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<GradSource>& sources,
                                           const Tensor& output_gradient, const Loc& loc) {
  impl_->StopRecording();
  if (impl_->used && !impl_->options.persistent)
    ThrowError(absl::FailedPreconditionError(
                   "[gradient] a non-persistent GradientTape computes one gradient; "
                   "construct it with {.persistent = true} to call gradient() again"),
               loc);
  impl_->used = true;
  if (!target.defined())
    ThrowError(absl::InvalidArgumentError("[gradient] the target is undefined"), loc);
  if (!IsFloating(target.dtype())) ThrowError(NotDifferentiable("target", 0, target), loc);
  for (size_t i = 0; i < sources.size(); ++i) {
    const Tensor& t = sources[i].is_variable() ? Tensor() : sources[i].tensor();
    if (!sources[i].is_variable() && !t.defined())
      ThrowError(absl::InvalidArgumentError(absl::StrCat("[gradient] source ", i, " is undefined")),
                 loc);
    if (!sources[i].is_variable() && !IsFloating(t.dtype()))
      ThrowError(NotDifferentiable("source", i, t), loc);
    if (sources[i].is_variable() && !IsFloating(sources[i].variable().dtype()))
      ThrowError(NotDifferentiable("source variable", i, sources[i].variable().value(loc)), loc);
  }
  Tensor seed = output_gradient.defined() ? output_gradient : OnesLike(target);
  if (seed.spec() != target.spec())
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[gradient] output gradient ", seed.spec().to_string(),
                                " does not match target ", target.spec().to_string())),
               loc);
  auto grads = ValueOrThrow(impl_->Backward(target, seed, loc), loc);
  std::vector<Tensor> result;
  for (const GradSource& s : sources) {
    if (!s.is_variable()) {
      auto it = grads.find(s.tensor().impl());
      result.push_back(it == grads.end() ? Tensor() : it->second);
      continue;
    }
    Tensor sum;  // a variable's gradient: over every value read from it
    auto reads = impl_->variable_reads.find(s.variable().state());
    if (reads != impl_->variable_reads.end())
      for (const Tensor& r : reads->second) {
        auto it = grads.find(r.impl());
        if (it != grads.end()) sum = sum.defined() ? add(sum, it->second, loc) : it->second;
      }
    result.push_back(sum);
  }
  return result;
}

}  // namespace duet
