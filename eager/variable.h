// Variable: a handle to mutable state holding a Tensor. Copies share the state, which lives as
// long as some handle does. Reads and assigns are safe from several threads. A Variable is
// usable wherever a Tensor is (it converts to its current value), and reading it inside a
// GradientTape makes the tape watch it.
// Example: Variable W(constant(5.0f), "weight"); W.assign_sub(0.1f); Tensor y = W * 2.0f;
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "runtime/operand.h"
#include "runtime/tensor.h"
#include "runtime/variable_state.h"

namespace duet {

class Variable {
 public:
  Variable() = default;  // an empty handle; assigning or reading it throws
  explicit Variable(const Tensor& initial, std::string name = "Variable", bool trainable = true,
                    const Loc& loc = Loc::current());

  Tensor value(const Loc& loc = Loc::current()) const;
  // Usable wherever a Tensor is. A conversion cannot capture the caller's line: traced, the
  // read is located at the op that first uses it (graph/tracer.cc), not here.
  operator Tensor() const { return value(Loc()); }  // NOLINT

  // New values must keep the dtype and shape (a number takes the variable's dtype).
  void assign(const Operand& x, const Loc& loc = Loc::current());
  void assign_add(const Operand& x, const Loc& loc = Loc::current());
  void assign_sub(const Operand& x, const Loc& loc = Loc::current());
  // value += alpha * x in one pass, in place when no one else holds the current value
  // (what optimizers use; an extension of API.md).
  void assign_add_scaled(const Tensor& x, double alpha, const Loc& loc = Loc::current());

  // On an empty Variable these throw duet::Error naming the caller's line.
  const std::string& name(const Loc& loc = Loc::current()) const;
  bool trainable(const Loc& loc = Loc::current()) const;
  DType dtype(const Loc& loc = Loc::current()) const;
  Shape shape(const Loc& loc = Loc::current()) const;
  bool defined() const { return state_ != nullptr; }
  const VariableState* state() const { return state_.get(); }  // identity of the shared state
  const std::shared_ptr<VariableState>& shared_state() const { return state_; }
  // A handle on existing state (graphs capture variables by state).
  static Variable FromState(std::shared_ptr<VariableState> state) {
    Variable v;
    v.state_ = std::move(state);
    return v;
  }
  friend bool operator==(const Variable& a, const Variable& b) { return a.state_ == b.state_; }

 private:
  std::shared_ptr<VariableState> state_;
};

std::ostream& operator<<(std::ostream& os, const Variable& v);

}  // namespace duet
