// The shared state behind a Variable handle (eager/variable.h). It lives in runtime/ because
// executors read and assign it: the eager executor directly, the tracer as graph nodes.
#pragma once

#include <mutex>
#include <string>

#include "runtime/tensor.h"

namespace duet {

struct VariableState {
  // Held (before `mu`) across a read-modify-write: an eager assign_add, or a compiled function
  // that assigns the variable, from its first instruction to its last, so concurrent updates
  // are never lost. Recursive: a host_func inside such a function may update it eagerly.
  mutable std::recursive_mutex update_mu;
  mutable std::mutex mu;
  Tensor value;
  std::string name;
  bool trainable = true;

  Tensor Read() const {
    std::lock_guard<std::mutex> lock(mu);
    return value;
  }
};

}  // namespace duet
