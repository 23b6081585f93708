// Value-dependent control flow and host calls that work in both modes: run eagerly in eager
// code, become IR regions / nodes when traced.
// Example:
//   Tensor y = cond(x > 0.f, [&] { return x; }, [&] { return -x; });
//   auto vars = while_loop([](const std::vector<Tensor>& v) { return v[0] < 10; },
//                          [](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0] + 1};
//                          }, {i});
//   print(x);  // now in eager code, at run time inside functions
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/context.h"
#include "runtime/tensor.h"

namespace duet {

using Branch = std::function<std::vector<Tensor>()>;
using LoopCond = std::function<Tensor(const std::vector<Tensor>&)>;
using LoopBody = std::function<std::vector<Tensor>(const std::vector<Tensor>&)>;
using HostCallable = std::function<std::vector<Tensor>(const std::vector<Tensor>&)>;

// pred: a one-element bool tensor. Both branches return the same number of tensors with the
// same dtypes and ranks (a dim that differs becomes unknown in the traced graph).
std::vector<Tensor> cond(const Tensor& pred, const Branch& then_fn, const Branch& else_fn,
                         const Loc& loc = Loc::current());
// The single-tensor form: branches return one Tensor.
template <class Then, class Else>
requires std::is_convertible_v<std::invoke_result_t<Then>, Tensor> Tensor
cond(const Tensor& pred, Then then_fn, Else else_fn, const Loc& loc = Loc::current()) {
  return cond(pred, Branch([then_fn] { return std::vector<Tensor>{Tensor(then_fn())}; }),
              Branch([else_fn] { return std::vector<Tensor>{Tensor(else_fn())}; }), loc)[0];
}

// Repeats body while cond holds; loop variables keep their dtypes and shapes.
std::vector<Tensor> while_loop(const LoopCond& cond_fn, const LoopBody& body_fn,
                               const std::vector<Tensor>& loop_vars,
                               const Loc& loc = Loc::current());

// Runs fn eagerly on concrete tensors, also inside a traced function (TF's py_func). Outputs
// have the given dtypes; their shapes are those of the inputs at the same position (or
// scalars), unless full specs are given.
std::vector<Tensor> host_func(HostCallable fn, const std::vector<Tensor>& inputs,
                              const std::vector<DType>& out_dtypes,
                              const Loc& loc = Loc::current());
std::vector<Tensor> host_func(HostCallable fn, const std::vector<Tensor>& inputs,
                              const std::vector<TensorSpec>& out_specs,
                              const Loc& loc = Loc::current());

// Prints `label` and x: immediately in eager code, each time the graph runs inside a function.
void print(const Tensor& x, const std::string& label = "", const Loc& loc = Loc::current());

// Configures the context at start-up; throws once a graph has been created or executed, or
// when the options conflict with an earlier call.
void enable_eager_execution(const ContextOptions& options, const Loc& loc = Loc::current());

}  // namespace duet
