#include "eager/variable.h"

#include <ostream>

#include "absl/strings/str_cat.h"
#include "kernels/binary_ops.h"
#include "kernels/cpu/axpy.h"
#include "runtime/context.h"
#include "runtime/device_copy.h"
#include "runtime/dispatch.h"
#include "runtime/tensor_factory.h"

namespace duet {
namespace {

absl::Status CheckDefined(const std::shared_ptr<VariableState>& s, const char* what) {
  if (!s)
    return absl::FailedPreconditionError(
        absl::StrCat("[", what, "] the Variable is empty (default-constructed)"));
  return absl::OkStatus();
}

}  // namespace

Variable::Variable(const Tensor& initial, std::string name, bool trainable, const Loc& loc)
    : state_(std::make_shared<VariableState>()) {
  if (!initial.defined())
    ThrowError(absl::InvalidArgumentError("[Variable] initial value is an undefined tensor"), loc);
  state_->value = initial;
  state_->name = std::move(name);
  state_->trainable = trainable;
}

Tensor Variable::value(const Loc& loc) const {
  ThrowIfError(CheckDefined(state_, "read_variable"), loc);
  Tensor v = CurrentExecutor()->ReadVariable(state_, loc);  // a graph node while tracing
  if (HasObservers()) [[unlikely]]
    ForEachObserver([&](OpObserver* o) { o->OnVariableRead(state_.get(), v); });
  return v;
}

void Variable::assign(const Operand& x, const Loc& loc) {
  ThrowIfError(CheckDefined(state_, "assign"), loc);
  DType dtype = this->dtype();
  Tensor t = ValueOrThrow(x.ToTensor("assign", &dtype), loc);
  TensorSpec old = state_->Read().spec();  // dtype and shape never change
  if (t.dtype() != old.dtype || (t.shape() != old.shape && t.rank() != 0))
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[assign] variable '", state_->name, "' is ",
                                                       old.to_string(), "; cannot assign ",
                                                       t.spec().to_string())),
               loc);
  if (t.shape() != old.shape)
    t = add(FillLike(old, ValueOrThrow(ScalarTensor("assign", 0, 0, true, dtype), loc)), t, loc);
  // A variable stays on its device: a value from elsewhere is copied there (not taped).
  if (Device home = state_->Read().device(); !t.is_symbolic() && t.device() != home)
    t = ValueOrThrow(CopyTensorTo(t, home), loc);
  ThrowIfError(CurrentExecutor()->AssignVariable(state_, t, loc), loc);
}

void Variable::assign_add(const Operand& x, const Loc& loc) {
  ThrowIfError(CheckDefined(state_, "assign_add"), loc);
  DType dtype = this->dtype();
  assign_add_scaled(ValueOrThrow(x.ToTensor("assign_add", &dtype), loc), 1.0, loc);
}

void Variable::assign_sub(const Operand& x, const Loc& loc) {
  ThrowIfError(CheckDefined(state_, "assign_sub"), loc);
  DType dtype = this->dtype();
  assign_add_scaled(ValueOrThrow(x.ToTensor("assign_sub", &dtype), loc), -1.0, loc);
}

void Variable::assign_add_scaled(const Tensor& x, double alpha, const Loc& loc) {
  ThrowIfError(CheckDefined(state_, "assign_add"), loc);
  if (!x.defined())
    ThrowError(
        absl::InvalidArgumentError(absl::StrCat("[assign_add] variable '", state_->name,
                                                "': the value to add is an undefined tensor")),
        loc);
  ObserverPause pause;  // an update is not part of any gradient
  auto scaled = [&] { return alpha == 1 ? x : mul(x, alpha, loc); };
  if (!executing_eagerly()) {  // traced: a read node, arithmetic, an assign node, in program order
    assign(add(value(loc), scaled(), loc), loc);
    return;
  }
  std::lock_guard<std::recursive_mutex> update(state_->update_mu);  // read-modify-write is atomic
  std::lock_guard<std::mutex> lock(state_->mu);                     // per variable
  Tensor& v = state_->value;
  if (x.dtype() != v.dtype())
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[assign_add] variable '", state_->name,
                                                       "' is ", v.spec().to_string(),
                                                       "; cannot add ", x.spec().to_string())),
               loc);
  bool exact = IsFloating(v.dtype()) || alpha == static_cast<double>(static_cast<int64_t>(alpha));
  // In place only on host values that are computed already (async ops may still be writing x)
  // and that nobody else holds.
  if (exact && x.shape() == v.shape() && !x.is_symbolic() && x.is_ready() && v.is_ready() &&
      v.device() == kCPU0 && x.device() == kCPU0 && v.is_sole_owner() &&
      cpu::AxpyInPlace(v, x, alpha))
    return;
  Tensor sum = add(v, scaled(), loc);
  if (sum.device() != v.device()) sum = ValueOrThrow(CopyTensorTo(sum, v.device()), loc);
  if (sum.shape() != v.shape())
    ThrowError(absl::InvalidArgumentError(absl::StrCat(
                   "[assign_add] variable '", state_->name, "' is ", v.spec().to_string(),
                   "; adding ", x.spec().to_string(), " would change its shape")),
               loc);
  v = std::move(sum);
}

const std::string& Variable::name(const Loc& loc) const {
  ThrowIfError(CheckDefined(state_, "Variable::name"), loc);
  return state_->name;
}
bool Variable::trainable(const Loc& loc) const {
  ThrowIfError(CheckDefined(state_, "Variable::trainable"), loc);
  return state_->trainable;
}
DType Variable::dtype(const Loc& loc) const {
  ThrowIfError(CheckDefined(state_, "Variable::dtype"), loc);
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->value.dtype();
}
Shape Variable::shape(const Loc& loc) const {
  ThrowIfError(CheckDefined(state_, "Variable::shape"), loc);
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->value.shape();
}

std::ostream& operator<<(std::ostream& os, const Variable& v) {
  if (!v.defined()) return os << "duet.Variable(<empty>)";  // as an undefined Tensor prints
  return os << "duet.Variable '" << v.name() << "' " << v.value(Loc());
}

}  // namespace duet
