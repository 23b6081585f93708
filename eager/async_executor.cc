#include "eager/async_executor.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/pending_value.h"

namespace duet {
namespace {

// One enqueued op: everything its kernel needs, owned (the caller's spans die at return).
struct AsyncOp {
  const OpDef* op;
  KernelFn kernel;
  TensorList inputs;
  Attrs attrs;
  TensorList outputs;  // the pending handles the caller got
  SpecList specs;
  Loc loc;
  std::shared_ptr<PendingValue> pending;
};

// Runs `a`'s kernel, or, when an input is poisoned, returns that input's error (setting
// `poisoned`) without running it.
absl::Status RunKernel(AsyncOp& a, bool& poisoned) {
  for (const Tensor& t : a.inputs)  // inputs from another thread's queue may still be running
    if (absl::Status s = t.await_ready(); !s.ok()) {
      poisoned = true;
      return s;  // the producer's error, which names it
    }
  const OpDef& op = *a.op;
  absl::Status status;
  try {
    if (!op.kernel_allocates_outputs) {
      KernelContext ctx{op, a.inputs, absl::MakeSpan(a.outputs), a.specs, a.attrs};
      status = a.kernel(ctx);
    } else {  // the kernel makes the buffers (a view, a copy): the placeholders adopt them
      TensorList produced(a.outputs.size());
      KernelContext ctx{op, a.inputs, absl::MakeSpan(produced), a.specs, a.attrs};
      status = a.kernel(ctx);
      for (size_t i = 0; status.ok() && i < produced.size(); ++i)
        PendingTensors::Adopt(a.outputs[i], produced[i]);
    }
  } catch (const std::exception& e) {  // kernels return Status; nothing may kill the worker
    status = absl::InternalError(absl::StrCat("[", op.name, "] ", e.what()));
  }
  if (status.ok()) return status;
  std::string where = FormatLoc(a.loc);
  return absl::Status(status.code(),
                      absl::StrCat(status.message(), " (async op ", op.name,
                                   where.empty() ? "" : " enqueued at ", where, ")"));
}

class AsyncQueue {
 public:
  AsyncQueue() : worker_([this] { Work(); }) {}
  ~AsyncQueue() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    work_cv_.notify_one();
    worker_.join();  // runs what is left first
  }

  void Push(AsyncOp op) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(op));
      ++pushed_;
    }
    work_cv_.notify_one();
  }

  void Drain() {
    std::unique_lock<std::mutex> lock(mu_);
    idle_cv_.wait(lock, [&] { return finished_ == pushed_; });
  }

  absl::Status TakeFirstError() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(first_error_, absl::OkStatus());
  }

 private:
  void Work() {
    SetThreadExecutionMode(ExecutionMode::kSync);  // ops a kernel might dispatch run here
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      work_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      AsyncOp op = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      bool poisoned = false;
      absl::Status status;
      {
        RunningPendingScope running(op.pending.get());
        status = RunKernel(op, poisoned);
      }
      op.pending->Finish(status);
      // Then drop the handles: a reader that already sees the op finished may still see its
      // inputs held here, which only costs it an in-place update (Tensor::is_sole_owner).
      op = AsyncOp{};
      lock.lock();
      if (!status.ok() && !poisoned && first_error_.ok()) first_error_ = status;
      ++finished_;
      if (finished_ == pushed_) idle_cv_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable work_cv_, idle_cv_;
  std::deque<AsyncOp> queue_;
  uint64_t pushed_ = 0, finished_ = 0;
  bool stop_ = false;
  absl::Status first_error_;
  std::thread worker_;  // last: starts once the rest is constructed
};

// Made on the thread's first async op; at thread exit (for the main thread: at exit()) its
// destructor runs what is left and joins the worker.
thread_local std::unique_ptr<AsyncQueue> tls_queue;

AsyncQueue& ThisThreadQueue() {
  if (!tls_queue) tls_queue = std::make_unique<AsyncQueue>();
  return *tls_queue;
}

}  // namespace

namespace internal {

absl::StatusOr<TensorList> EnqueueAsync(const OpCall& call, const PlacedCall& placed,
                                        SpecList&& specs) {
  const OpDef& op = call.op;
  auto pending = std::make_shared<PendingValue>();
  TensorList outputs(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    if (op.kernel_allocates_outputs) {
      outputs[i] = PendingTensors::Placeholder(specs[i], placed.device, pending);
      continue;
    }
    absl::StatusOr<Tensor> out = Tensor::TryEmpty(specs[i], placed.device);
    if (!out.ok()) [[unlikely]]
      return absl::Status(out.status().code(),
                          absl::StrCat("[", op.name, "] output ", i, ": ", out.status().message()));
    outputs[i] = *std::move(out);
    PendingTensors::Attach(outputs[i], pending);
  }
  ThisThreadQueue().Push(AsyncOp{&op, placed.kernel,
                                 TensorList(placed.inputs.begin(), placed.inputs.end()), call.attrs,
                                 outputs, std::move(specs), call.loc, std::move(pending)});
  return outputs;
}

void DrainThisThreadQueue() {
  if (tls_queue) tls_queue->Drain();
}

}  // namespace internal

void async_wait(const Loc& loc) {
  if (!tls_queue) return;
  tls_queue->Drain();
  if (absl::Status s = tls_queue->TakeFirstError(); !s.ok()) ThrowError(s, loc);
}

ExecutionModeScope::ExecutionModeScope(ExecutionMode mode)
    : mode_(mode), previous_(SetThreadExecutionMode(mode)) {}

ExecutionModeScope::~ExecutionModeScope() {
  SetThreadExecutionMode(previous_);
  if (mode_ == ExecutionMode::kAsync && CurrentExecutionMode() == ExecutionMode::kSync)
    internal::DrainThisThreadQueue();
}

}  // namespace duet
