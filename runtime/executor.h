// Executor: what happens to an op after Dispatch validated it and inferred its outputs.
// The eager executor runs the kernel; the tracer (graph/) records a node instead.
// OpObserver: sees every executed op with its outputs (the GradientTape, the op log).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "runtime/error.h"
#include "runtime/op_def.h"
#include "runtime/variable_state.h"

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
  // Variables: eager code touches the state at once; a tracer records read/assign nodes instead.
  virtual Tensor ReadVariable(const std::shared_ptr<VariableState>& v, const Loc& loc);
  virtual absl::Status AssignVariable(const std::shared_ptr<VariableState>& v, const Tensor& value,
                                      const Loc& loc);
};

// A gradient supplied by user code (custom_gradient): output gradients in, input gradients out.
using CustomGradFn = std::function<std::vector<Tensor>(absl::Span<const Tensor> output_grads)>;

class OpObserver {
 public:
  virtual ~OpObserver() = default;
  virtual void OnOp(const OpCall& call, absl::Span<const Tensor> outputs) = 0;
  // A variable's value was read (the tape watches variables it sees read).
  virtual void OnVariableRead(const VariableState* /*variable*/, const Tensor& /*value*/) {}
  // User code produced `outputs` from `inputs` with its own gradient rule (custom_gradient).
  virtual void OnCustomGradient(absl::Span<const Tensor> /*inputs*/,
                                absl::Span<const Tensor> /*outputs*/, const CustomGradFn& /*fn*/) {}
};

// A thread's observers. Shared so that a scope ended on another thread (a tape destroyed or
// stopped elsewhere) finds the list it joined, even after its thread exited; notification runs
// under `mu`, so an observer removed by another thread is never called afterwards.
struct ObserverList {
  std::recursive_mutex mu;  // recursive: observers may start or stop scopes while notified
  std::vector<OpObserver*> observers;
  std::atomic<size_t> size{0};  // lock-free "anyone listening?" for the dispatcher
};

// Calls fn(observer) for each of this thread's observers (none while paused).
void ForEachObserver(const std::function<void(OpObserver*)>& fn);

// Hides this thread's ops from observers while alive: for bookkeeping that must not be
// recorded (a variable's assign_add, a tape computing its own gradient).
class ObserverPause {
 public:
  ObserverPause();
  ~ObserverPause();
  ObserverPause(const ObserverPause&) = delete;
  ObserverPause& operator=(const ObserverPause&) = delete;

 private:
  std::shared_ptr<ObserverList> saved_;
};

// Registers `observer` for this thread's ops while alive (nested scopes stack). It may be
// destroyed on any thread: it unregisters from the list of the thread that created it.
class ObserverScope {
 public:
  explicit ObserverScope(OpObserver* observer);
  ~ObserverScope();
  ObserverScope(const ObserverScope&) = delete;
  ObserverScope& operator=(const ObserverScope&) = delete;

 private:
  OpObserver* observer_;
  std::shared_ptr<ObserverList> list_;
};

}  // namespace duet
