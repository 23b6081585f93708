// Functional forms of autodiff and custom gradients, as the eager guide uses them.
// Example:
//   auto grad = gradients_function([](Tensor x) { return x * x; });
//   grad(constant(3.f))[0];                                    // 6
//   auto log1pexp = custom_gradient([](Tensor x) {
//     Tensor e = exp(x);
//     return std::make_pair(log(1 + e), [e](Tensor dy) { return std::vector<Tensor>{dy * (1 - 1 /
//     (1 + e))}; });
//   });
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "eager/gradient_tape.h"
#include "kernels/unary_ops.h"
#include "runtime/dispatch.h"

namespace duet {

namespace internal {
void CheckScalarResult(const Tensor& y, const char* what, const Loc& loc);
// Throws unless each defined gradient matches its input's dtype and shape (and there are no more
// gradients than inputs).
void CheckCustomGradients(const std::vector<Tensor>& grads, const std::vector<TensorSpec>& inputs,
                          const Loc& loc);
void RecordCustomGradient(const std::vector<Tensor>& inputs, const std::vector<Tensor>& outputs,
                          CustomGradFn fn);
}  // namespace internal

// f(x...) -> scalar. Returns g(x...) -> {df/dx_i}, one per argument (undefined if unreached).
template <class F>
auto gradients_function(F f, const Loc& loc = Loc::current()) {
  return [f, loc](const auto&... args) -> std::vector<Tensor> {
    GradientTape tape;
    std::vector<Tensor> xs{Tensor(args)...};
    for (const Tensor& x : xs) tape.watch(x, loc);
    Tensor y = f(args...);
    internal::CheckScalarResult(y, "gradients_function", loc);
    return tape.gradient(y, std::vector<GradSource>(xs.begin(), xs.end()), loc);
  };
}

// As gradients_function, also returning f's value: {f(x...), {df/dx_i}}.
template <class F>
auto value_and_gradients_function(F f, const Loc& loc = Loc::current()) {
  return [f, loc](const auto&... args) -> std::pair<Tensor, std::vector<Tensor>> {
    GradientTape tape;
    std::vector<Tensor> xs{Tensor(args)...};
    for (const Tensor& x : xs) tape.watch(x, loc);
    Tensor y = f(args...);
    internal::CheckScalarResult(y, "value_and_gradients_function", loc);
    return {y, tape.gradient(y, std::vector<GradSource>(xs.begin(), xs.end()), loc)};
  };
}

// f(x...) returns {y, grad_fn} with grad_fn(dy) -> one gradient per x (undefined = none).
// Tapes see y as produced from x by grad_fn alone; f's own ops are not recorded.
// A gradient of the wrong dtype or shape is an error naming the custom_gradient's line.
template <class F>
auto custom_gradient(F f, const Loc& loc = Loc::current()) {
  return [f, loc](const auto&... args) -> Tensor {
    std::vector<Tensor> inputs{Tensor(args)...};
    Tensor y;
    CustomGradFn fn;
    {
      ObserverPause pause;
      auto [value, grad_fn] = f(args...);
      y = identity(value);  // a fresh handle (the tape keys on handles); a node when traced
      std::vector<TensorSpec> specs;
      for (const Tensor& x : inputs) specs.push_back(x.spec(loc));
      fn = [grad_fn, specs, loc](absl::Span<const Tensor> dys) {
        std::vector<Tensor> grads(grad_fn(dys[0]));
        internal::CheckCustomGradients(grads, specs, loc);
        return grads;
      };
    }
    internal::RecordCustomGradient(inputs, {y}, std::move(fn));
    return y;
  };
}

}  // namespace duet
