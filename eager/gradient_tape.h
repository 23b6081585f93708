// GradientTape: records the differentiable ops it sees at the dispatch point between its
// construction and stop_recording() / the first gradient(), then runs reverse-mode autodiff
// with each op's registered gradient rule. Rules are written with public ops, so a tape alive
// around another tape's gradient() records it too: nested tapes give higher-order gradients.
// Example:
//   GradientTape tape;                      // variables read while recording are watched
//   Tensor loss = W * W;
//   Tensor g = tape.gradient(loss, W);      // [[2 * W]]
#pragma once

#include <memory>
#include <vector>

#include "eager/variable.h"
#include "runtime/tensor.h"

namespace duet {

struct GradientTapeOptions {
  bool persistent = false;               // allow several gradient() calls
  bool watch_accessed_variables = true;  // watch trainable variables read while recording
};

// What a gradient is taken with respect to: a tensor, or a variable (all values read from it).
class GradSource {
 public:
  GradSource(const Tensor& t) : tensor_(t) {}      // NOLINT: implicit by design
  GradSource(const Variable& v) : variable_(v) {}  // NOLINT
  const Tensor& tensor() const { return tensor_; }
  const Variable& variable() const { return variable_; }
  bool is_variable() const { return variable_.defined(); }

 private:
  Tensor tensor_;
  Variable variable_;
};

class GradientTape {
 public:
  explicit GradientTape(GradientTapeOptions options = {});
  ~GradientTape();
  GradientTape(const GradientTape&) = delete;
  GradientTape& operator=(const GradientTape&) = delete;

  void watch(const Tensor& x, const Loc& loc = Loc::current());
  void watch(const Variable& v, const Loc& loc = Loc::current());
  void stop_recording();
  std::vector<Variable> watched_variables() const;

  // d target / d source. Undefined where the target does not depend on the source.
  Tensor gradient(const Tensor& target, const GradSource& source, const Loc& loc = Loc::current());
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<GradSource>& sources,
                               const Loc& loc = Loc::current());
  template <class T>
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<T>& sources,
                               const Loc& loc = Loc::current()) {
    return gradient(target, std::vector<GradSource>(sources.begin(), sources.end()), loc);
  }
  // With a seed: the gradient flowing into `target` (TF's output_gradients); default ones.
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<GradSource>& sources,
                               const Tensor& output_gradient, const Loc& loc = Loc::current());

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace duet
