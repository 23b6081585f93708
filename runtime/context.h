// Context: process-wide execution flags (execution mode, device policy, run-functions-eagerly)
// and the per-thread executor stack that decides what Dispatch does with an op: run it (eager)
// or record it (tracing). Example: config::run_functions_eagerly(true);
#pragma once

#include <atomic>
#include <optional>
#include <string_view>

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

// This thread's execution mode: the innermost ExecutionModeScope's (eager/async_executor.h),
// else the context's (enable_eager_execution).
ExecutionMode CurrentExecutionMode();
// For ExecutionModeScope: sets this thread's mode (nullopt: follow the context's) and returns
// the previous setting.
std::optional<ExecutionMode> SetThreadExecutionMode(std::optional<ExecutionMode> mode);

// Where this thread's ops are placed: the innermost DeviceScope's device, or null when no scope
// is active (ops then run where their inputs are; see eager/placement.h).
const Device* CurrentDeviceScope();

// Places this thread's eager ops on `device` while alive, as tf.device does; nests. Ops with
// no kernel there, or a device that is not present, follow the context's DevicePolicy
// (kSilent: run on the CPU). Example: { DeviceScope d("/gpu:0"); y = matmul(x, x); }
class DeviceScope {
 public:
  explicit DeviceScope(std::string_view name, const Loc& loc = Loc::current());
  explicit DeviceScope(Device device);
  ~DeviceScope();
  DeviceScope(const DeviceScope&) = delete;
  DeviceScope& operator=(const DeviceScope&) = delete;

 private:
  std::optional<Device> previous_;
};

// True unless this thread is tracing a function.
bool executing_eagerly();

namespace config {
void run_functions_eagerly(bool on);
bool functions_run_eagerly();
}  // namespace config

}  // namespace duet
