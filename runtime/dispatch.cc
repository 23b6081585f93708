#include "runtime/dispatch.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/context.h"

namespace duet {
namespace {

thread_local std::vector<OpObserver*>* tls_observers = nullptr;

absl::Status CheckCall(const OpDef& op, absl::Span<const Tensor> inputs, const Attrs& attrs) {
  size_t want = op.inputs.size();
  if (op.variadic_inputs ? inputs.empty() : inputs.size() != want)
    return absl::InvalidArgumentError(absl::StrCat("[", op.name, "] expects ", op.variadic_inputs ? "at least 1" : absl::StrCat(want),
                                                   " inputs, got ", inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i)
    if (!inputs[i].defined()) [[unlikely]]
      return absl::InvalidArgumentError(absl::StrCat("[", op.name, "] input ", i, " (",
                                                     op.inputs[op.variadic_inputs ? 0 : i], ") is an undefined tensor"));
  if (attrs.size() != op.attrs.size()) [[unlikely]]
    return absl::InvalidArgumentError(absl::StrCat("[", op.name, "] expects ", op.attrs.size(), " attributes, got ", attrs.size()));
  for (size_t i = 0; i < attrs.size(); ++i)
    if (KindOf(attrs[i]) != op.attrs[i].kind) [[unlikely]]
      return absl::InvalidArgumentError(absl::StrCat("[", op.name, "] attribute '", op.attrs[i].name, "' must be ",
                                                     AttrKindName(op.attrs[i].kind), ", got ", AttrKindName(KindOf(attrs[i]))));
  return absl::OkStatus();
}

}  // namespace

Tensor Executor::ReadVariable(const std::shared_ptr<VariableState>& v, const Loc&) { return v->Read(); }

absl::Status Executor::AssignVariable(const std::shared_ptr<VariableState>& v, const Tensor& value, const Loc&) {
  std::lock_guard<std::mutex> lock(v->mu);
  v->value = value;
  return absl::OkStatus();
}

bool HasObservers() { return tls_observers != nullptr && !tls_observers->empty(); }

absl::Span<OpObserver* const> CurrentObservers() {
  if (!tls_observers) return {};
  return absl::MakeConstSpan(*tls_observers);
}

ObserverPause::ObserverPause() : saved_(tls_observers) { tls_observers = &paused_; }
ObserverPause::~ObserverPause() { tls_observers = saved_; }

ObserverScope::ObserverScope(OpObserver* observer) : observer_(observer) {
  if (!tls_observers) tls_observers = new std::vector<OpObserver*>();  // per thread, lives with it
  tls_observers->push_back(observer);
}

ObserverScope::~ObserverScope() {
  auto& list = *tls_observers;
  for (size_t i = list.size(); i-- > 0;)
    if (list[i] == observer_) { list.erase(list.begin() + i); break; }
}

absl::StatusOr<TensorList> Dispatch(const OpDef& op, absl::Span<const Tensor> inputs, const Attrs& attrs,
                                    const Loc& loc) {
  if (absl::Status s = CheckCall(op, inputs, attrs); !s.ok()) [[unlikely]] return s;
  absl::StatusOr<SpecList> specs = op.infer(InferContext{op, inputs, attrs});
  if (!specs.ok()) [[unlikely]] return specs.status();
  OpCall call{op, inputs, attrs, loc};
  absl::StatusOr<TensorList> outputs = CurrentExecutor()->Execute(call, *std::move(specs));
  if (outputs.ok() && HasObservers()) [[unlikely]] {
    // Copy: an observer may start or stop observing (a tape may stop recording) while notified.
    absl::InlinedVector<OpObserver*, 4> observers(tls_observers->begin(), tls_observers->end());
    for (OpObserver* o : observers) o->OnOp(call, *outputs);
  }
  return outputs;
}

Tensor Call(const OpDef& op, absl::Span<const Tensor> inputs, const Attrs& attrs, const Loc& loc) {
  absl::StatusOr<TensorList> out = Dispatch(op, inputs, attrs, loc);
  if (!out.ok()) [[unlikely]] ThrowError(out.status(), loc);
  return std::move((*out)[0]);
}

Tensor Call(const OpDef& op, std::initializer_list<Tensor> inputs, const Attrs& attrs, const Loc& loc) {
  return Call(op, absl::MakeConstSpan(inputs.begin(), inputs.size()), attrs, loc);
}

}  // namespace duet
