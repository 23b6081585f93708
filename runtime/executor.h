// Executor: what happens to an op after Dispatch validated it and inferred its outputs.
// The eager executor runs the kernel; the tracer (graph/) records a node instead.
// OpObserver: sees every executed op with its outputs (the GradientTape, the op log).
#pragma once

#include "runtime/error.h"
#include "runtime/op_def.h"

namespace duet {

struct OpCall {
  const OpDef& op;
  absl::Span<const Tensor> inputs;
  const Attrs& attrs;
  const Loc& loc;
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual absl::StatusOr<TensorList> Execute(const OpCall& call, SpecList&& output_specs) = 0;
  virtual bool is_eager() const = 0;
};

class OpObserver {
 public:
  virtual ~OpObserver() = default;
  virtual void OnOp(const OpCall& call, absl::Span<const Tensor> outputs) = 0;
};

// Registers `observer` for this thread's ops while alive (nested scopes stack).
class ObserverScope {
 public:
  explicit ObserverScope(OpObserver* observer);
  ~ObserverScope();
  ObserverScope(const ObserverScope&) = delete;
  ObserverScope& operator=(const ObserverScope&) = delete;

 private:
  OpObserver* observer_;
};

}  // namespace duet
