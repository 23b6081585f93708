// Async eager execution (ExecutionMode::kAsync): an op validates and infers its shapes at the
// call, as in sync mode (so shape errors still throw there, with the user's line), then its
// kernel is enqueued on this thread's queue, which one worker thread runs in program order.
// The outputs exist at once but are pending; reading them (to_vector, item, printing, a sync op,
// a function call) waits. A kernel that fails poisons its outputs and everything computed from
// them; the error names the op and the line that enqueued it, and surfaces at the next wait
// point: the read, or async_wait(). The queue keeps working afterwards.
// Example:
//   { ExecutionModeScope async(ExecutionMode::kAsync);
//     Tensor y = matmul(x, x);    // returns at once
//     host_work();                // overlaps the matmul
//     y.to_vector<float>(); }     // waits; leaving the scope waits too
#pragma once

#include <optional>

#include "eager/placement.h"
#include "runtime/context.h"

namespace duet {

// Waits for every op this thread enqueued, then throws the first kernel error since the last
// async_wait (naming the failing op and its line) and forgets it. Named like TF's async_wait.
void async_wait(const Loc& loc = Loc::current());

// Sets this thread's execution mode while alive (like TFE_ContextSetAsyncForThread). Leaving
// an async scope waits for its ops; their errors stay for the next read or async_wait().
class ExecutionModeScope {
 public:
  explicit ExecutionModeScope(ExecutionMode mode);
  ~ExecutionModeScope();
  ExecutionModeScope(const ExecutionModeScope&) = delete;
  ExecutionModeScope& operator=(const ExecutionModeScope&) = delete;

 private:
  ExecutionMode mode_;
  std::optional<ExecutionMode> previous_;
};

namespace internal {

// Enqueues a placed call on this thread's queue and returns its pending outputs.
absl::StatusOr<TensorList> EnqueueAsync(const OpCall& call, const PlacedCall& placed,
                                        SpecList&& specs);
// Whether any thread has enqueued an async op (callers skip waiting for values otherwise).
bool AsyncEverUsed();
// Waits for this thread's queue to run dry (no-op without one).
void DrainThisThreadQueue();

}  // namespace internal
}  // namespace duet
