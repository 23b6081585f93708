#include "eager/async_executor.h"

#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/pending_value.h"
#include "runtime/status_macros.h"

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

// One producer (the owning thread) and one consumer (its worker). The worker takes all queued
// ops at once and hands finished ones back, and the producer destroys them at its next push:
// every buffer, handle and PendingValue is then allocated and freed on the owning thread, and
// the two threads meet on the lock once per batch, not per op (the costs perf showed: lock
// handoffs and malloc's arena lock).
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
    std::vector<AsyncOp> garbage;
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(op));
      pushed_.store(pushed_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
      garbage.swap(finished_ops_);
      wake = sleeping_;
    }
    if (wake) work_cv_.notify_one();  // a futex call: only when the worker really sleeps
  }                                   // `garbage` dies here, outside the lock

  void Drain() {
    std::vector<AsyncOp> garbage;
    std::unique_lock<std::mutex> lock(mu_);
    ++drain_waiters_;
    idle_cv_.wait(lock, [&] { return finished_ == pushed_.load(std::memory_order_relaxed); });
    --drain_waiters_;
    garbage.swap(finished_ops_);
    lock.unlock();
  }

  absl::Status TakeFirstError() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(first_error_, absl::OkStatus());
  }

 private:
  void Work() {
    SetThreadExecutionMode(ExecutionMode::kSync);  // ops a kernel might dispatch run here
    std::vector<AsyncOp> batch, done;
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (queue_.empty() && !stop_) AwaitWork(lock);
      if (queue_.empty()) return;  // stopping, and nothing left
      batch.swap(queue_);
      lock.unlock();
      absl::Status first_failure;
      for (AsyncOp& op : batch) {
        bool poisoned = false;
        absl::Status status;
        {
          RunningPendingScope running(op.pending.get());
          status = RunKernel(op, poisoned);
        }
        if (!status.ok() && !poisoned && first_failure.ok()) first_failure = status;
        op.pending->Finish(std::move(status));
        // The op keeps its handles until the producer frees it: a reader that sees it finished
        // may see its inputs held, which only costs an in-place update (is_sole_owner).
        done.push_back(std::move(op));
      }
      const size_t n = batch.size();
      batch.clear();
      lock.lock();
      if (!first_failure.ok() && first_error_.ok()) first_error_ = first_failure;
      for (AsyncOp& op : done) finished_ops_.push_back(std::move(op));
      done.clear();
      finished_ += n;
      if (drain_waiters_ && finished_ == pushed_.load(std::memory_order_relaxed))
        idle_cv_.notify_all();
    }
  }

  // The caller enqueues ops a few hundred ns apart: spinning a little before sleeping saves it
  // waking the worker (a syscall) for every op. With `lock` held on entry and on return.
  void AwaitWork(std::unique_lock<std::mutex>& lock) {
    const uint64_t seen = pushed_.load(std::memory_order_relaxed);
    lock.unlock();
    for (int spin = 0; spin < kSpins && pushed_.load(std::memory_order_acquire) == seen; ++spin)
      CpuRelax();
    lock.lock();
    sleeping_ = true;
    work_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    sleeping_ = false;
  }

  static void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
  }
  static constexpr int kSpins = 500;  // 5-30 us of pause instructions, by CPU

  std::mutex mu_;
  std::condition_variable work_cv_, idle_cv_;
  std::vector<AsyncOp> queue_;
  std::vector<AsyncOp> finished_ops_;  // run, waiting for the producer to free them
  std::atomic<uint64_t> pushed_{0};    // written under mu_; read without it while spinning
  uint64_t finished_ = 0;
  int drain_waiters_ = 0;
  bool sleeping_ = false;
  bool stop_ = false;
  absl::Status first_error_;
  std::thread worker_;  // last: starts once the rest is constructed
};

std::atomic<bool> g_async_used{false};

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
  g_async_used.store(true, std::memory_order_relaxed);
  // Where the outputs will be: the op's device, or for a copy the device it copies to.
  Device device = placed.device;
  if (op.has(kCrossDevice)) {
    absl::StatusOr<Device> to = ParseDevice(AttrOf<std::string>(op, call.attrs, "device"));
    if (!to.ok())
      return absl::InvalidArgumentError(absl::StrCat("[", op.name, "] ", to.status().message()));
    device = *to;
  }
  auto pending = std::make_shared<PendingValue>();
  TensorList outputs(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    if (op.kernel_allocates_outputs) {
      outputs[i] = PendingTensors::Placeholder(specs[i], device, pending);
      continue;
    }
    ASSIGN_OR_RETURN(outputs[i], AllocateOutput(op, i, specs[i], device));
    PendingTensors::Attach(outputs[i], pending);
  }
  ThisThreadQueue().Push(AsyncOp{&op, placed.kernel,
                                 TensorList(placed.inputs.begin(), placed.inputs.end()), call.attrs,
                                 outputs, std::move(specs), call.loc, std::move(pending)});
  return outputs;
}

bool AsyncEverUsed() { return g_async_used.load(std::memory_order_relaxed); }

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
