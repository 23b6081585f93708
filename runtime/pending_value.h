// PendingValue: the outputs of one op enqueued in async mode (eager/async_executor.cc), before
// its kernel has run. The op's output tensors exist at once, with their shapes, and share one
// PendingValue; readers (raw_data, to_vector, printing, a synchronous op) wait for it. A failed
// kernel finishes it with an error that names the op and the user's line, and every op that
// reads such a tensor fails with the same error ("poisoned") without running.
// Example (the async executor):
//   auto pending = std::make_shared<PendingValue>();
//   PendingTensors::Attach(out, pending);     // out: freshly made, not yet shared
//   ... later, on the worker: kernel(ctx); pending->Finish(status);
#pragma once

#include <atomic>
#include <memory>

#include "absl/status/status.h"
#include "runtime/tensor.h"

namespace duet {

struct PendingValue {
  // C++20 atomic wait/notify (a futex): no mutex or condition variable to make and destroy per
  // op, and no system call when nobody waits.
  std::atomic<bool> done{false};
  absl::Status status;  // written before `done`; read after it

  // Publishes the kernel's result and wakes every waiter. Called once.
  void Finish(absl::Status result);
  // Blocks until Finish (returns at once on the thread that is running this op's kernel).
  void Wait() const;
  const absl::Status& WaitStatus() const {
    Wait();
    return status;
  }
};

// While alive, marks `running` as the op this thread is executing, so its kernel can read its
// own outputs without waiting for itself.
class RunningPendingScope {
 public:
  explicit RunningPendingScope(const PendingValue* running);
  ~RunningPendingScope();
  RunningPendingScope(const RunningPendingScope&) = delete;
  RunningPendingScope& operator=(const RunningPendingScope&) = delete;

 private:
  const PendingValue* previous_;
};

// The executor's access to tensors' pending state.
struct PendingTensors {
  // Marks a tensor made moments ago (not yet shared with anyone) as an output of `pending`.
  static void Attach(Tensor& t, std::shared_ptr<PendingValue> pending);
  // A pending output with no buffer yet, for ops whose kernels make their own outputs
  // (views, copies to another device): Adopt gives it the buffer the kernel produced.
  static Tensor Placeholder(const TensorSpec& spec, Device device,
                            std::shared_ptr<PendingValue> pending);
  // `produced` must be on the placeholder's device (fixed when it was made).
  static void Adopt(Tensor& placeholder, const Tensor& produced);
  static const PendingValue* Of(const Tensor& t) { return t.impl_->pending.get(); }
};

}  // namespace duet
