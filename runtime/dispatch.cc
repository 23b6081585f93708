#include "runtime/dispatch.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/context.h"
#include "runtime/status_macros.h"

namespace duet {
namespace {

// This thread's current observer list: its own, or none while an ObserverPause is alive.
thread_local std::shared_ptr<ObserverList> tls_observers;

absl::Status CheckCall(const OpDef& op, absl::Span<const Tensor> inputs, const Attrs& attrs) {
  size_t want = op.inputs.size();
  if (op.variadic_inputs ? inputs.empty() : inputs.size() != want)
    return absl::InvalidArgumentError(absl::StrCat(
        "[", op.name, "] expects ", op.variadic_inputs ? "at least 1" : absl::StrCat(want),
        " inputs, got ", inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i)
    if (!inputs[i].defined()) [[unlikely]]
      return absl::InvalidArgumentError(
          absl::StrCat("[", op.name, "] input ", i, " (", op.inputs[op.variadic_inputs ? 0 : i],
                       ") is an undefined tensor (e.g. a gradient that does not exist)"));
  if (attrs.size() != op.attrs.size()) [[unlikely]]
    return absl::InvalidArgumentError(absl::StrCat("[", op.name, "] expects ", op.attrs.size(),
                                                   " attributes, got ", attrs.size()));
  absl::Status status;
  ForEachAttr(op, attrs, [&](const AttrDef& def, const AttrValue& value) {
    if (KindOf(value) != def.kind && status.ok()) [[unlikely]]
      status = absl::InvalidArgumentError(absl::StrCat("[", op.name, "] attribute '", def.name,
                                                       "' must be ", AttrKindName(def.kind),
                                                       ", got ", AttrKindName(KindOf(value))));
  });
  return status;
}

// Shape functions may produce shapes no tensor can have (a reshape to (2^40, 2^40), pads that
// add up past int64): every inferred output is checked here, once for all ops.
absl::Status CheckOutputSizes(const OpDef& op, const SpecList& specs) {
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].shape.num_elements() <= MaxTensorBytes() / 8) [[likely]]
      continue;  // saturates at INT64_MAX
    if (absl::Status s = CheckAllocatable(specs[i].shape, SizeOf(specs[i].dtype)); !s.ok())
      return absl::Status(s.code(), absl::StrCat("[", op.name, "] output ", i, ": ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

Tensor Executor::ReadVariable(const std::shared_ptr<VariableState>& v, const Loc&) {
  return v->Read();
}

absl::Status Executor::AssignVariable(const std::shared_ptr<VariableState>& v, const Tensor& value,
                                      const Loc&) {
  std::lock_guard<std::mutex> lock(v->mu);
  v->value = value;
  return absl::OkStatus();
}

bool HasObservers() {
  return tls_observers && tls_observers->size.load(std::memory_order_acquire) != 0;
}

void ForEachObserver(const std::function<void(OpObserver*)>& fn) {
  if (!HasObservers()) return;
  std::shared_ptr<ObserverList> list = tls_observers;  // an observer may pause or end scopes
  std::lock_guard<std::recursive_mutex> lock(list->mu);
  // Copy: an observer may start or stop observing (a tape may stop recording) while notified.
  absl::InlinedVector<OpObserver*, 4> observers(list->observers.begin(), list->observers.end());
  for (OpObserver* o : observers)
    if (std::find(list->observers.begin(), list->observers.end(), o) != list->observers.end())
      fn(o);
}

ObserverPause::ObserverPause() : saved_(std::move(tls_observers)) { tls_observers = nullptr; }
ObserverPause::~ObserverPause() { tls_observers = std::move(saved_); }

ObserverScope::ObserverScope(OpObserver* observer) : observer_(observer) {
  if (!tls_observers) tls_observers = std::make_shared<ObserverList>();
  list_ = tls_observers;
  std::lock_guard<std::recursive_mutex> lock(list_->mu);
  list_->observers.push_back(observer);
  list_->size.store(list_->observers.size(), std::memory_order_release);
}

ObserverScope::~ObserverScope() {
  std::lock_guard<std::recursive_mutex> lock(list_->mu);
  auto& list = list_->observers;
  for (size_t i = list.size(); i-- > 0;)
    if (list[i] == observer_) {
      list.erase(list.begin() + i);
      break;
    }
  list_->size.store(list.size(), std::memory_order_release);
}

absl::StatusOr<TensorList> Dispatch(const OpDef& op, absl::Span<const Tensor> inputs,
                                    const Attrs& attrs, const Loc& loc) {
  RETURN_IF_ERROR(CheckCall(op, inputs, attrs));
  RETURN_IF_ERROR(CheckInputDTypes(op, inputs));
  ASSIGN_OR_RETURN(SpecList specs, op.infer(InferContext{op, inputs, attrs}));
  RETURN_IF_ERROR(CheckOutputSizes(op, specs));
  OpCall call{op, inputs, attrs, loc};
  absl::StatusOr<TensorList> outputs = CurrentExecutor()->Execute(call, std::move(specs));
  if (outputs.ok() && HasObservers()) [[unlikely]]
    ForEachObserver([&](OpObserver* o) { o->OnOp(call, *outputs); });
  return outputs;
}

Tensor Call(const OpDef& op, absl::Span<const Tensor> inputs, const Attrs& attrs, const Loc& loc) {
  absl::StatusOr<TensorList> out = Dispatch(op, inputs, attrs, loc);
  if (!out.ok()) [[unlikely]]
    ThrowError(out.status(), loc);
  return std::move((*out)[0]);
}

Tensor Call(const OpDef& op, std::initializer_list<Tensor> inputs, const Attrs& attrs,
            const Loc& loc) {
  return Call(op, absl::MakeConstSpan(inputs.begin(), inputs.size()), attrs, loc);
}

}  // namespace duet
