// Context: process-wide execution flags (execution mode, device policy, run-functions-eagerly)
// and the per-thread executor stack that decides what Dispatch does with an op: run it (eager)
// or record it (tracing). Example: config::run_functions_eagerly(true);
#pragma once

#include <atomic>

#include "runtime/executor.h"

namespace duet {

enum class ExecutionMode { kSync, kAsync };
enum class DevicePolicy { kExplicit, kWarn, kSilent, kSilentForInt32 };

struct ContextOptions {
  DevicePolicy device_policy = DevicePolicy::kSilent;
  ExecutionMode execution_mode = ExecutionMode::kSync;
};

class Context {
 public:
  static Context& Get();
  const ContextOptions& options() const { return options_; }
  void set_options(const ContextOptions& o) { options_ = o; }
  bool run_functions_eagerly() const {
    return run_functions_eagerly_.load(std::memory_order_relaxed);
  }
  void set_run_functions_eagerly(bool on) {
    run_functions_eagerly_.store(on, std::memory_order_relaxed);
  }

 private:
  ContextOptions options_;
  std::atomic<bool> run_functions_eagerly_{false};
};

// The executor ops go to on this thread: the innermost ExecutorScope, else the default one.
Executor* CurrentExecutor();
// Installed once at start-up by the eager layer (eager/eager_executor.cc).
void SetDefaultExecutor(Executor* executor);
Executor* DefaultExecutor();

// Routes this thread's ops to `executor` while alive (the tracer uses this).
class ExecutorScope {
 public:
  explicit ExecutorScope(Executor* executor);
  ~ExecutorScope();
  ExecutorScope(const ExecutorScope&) = delete;
  ExecutorScope& operator=(const ExecutorScope&) = delete;

 private:
  Executor* previous_;
};

// True unless this thread is tracing a function.
bool executing_eagerly();

namespace config {
void run_functions_eagerly(bool on);
bool functions_run_eagerly();
}  // namespace config

}  // namespace duet
