// The shared state behind a Variable handle (eager/variable.h). It lives in runtime/ because
// executors read and assign it: the eager executor directly, the tracer as graph nodes.
#pragma once

#include <mutex>
#include <string>

#include "runtime/tensor.h"

namespace duet {

struct VariableState {
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
