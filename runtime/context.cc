#include "runtime/context.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace duet {
namespace {

Executor* g_default_executor = nullptr;
thread_local Executor* tls_executor = nullptr;
thread_local std::optional<ExecutionMode> tls_execution_mode;
thread_local std::optional<Device> tls_device_scope;

}  // namespace

Context& Context::Get() {
  static Context* context = [] {
    auto* c = new Context();
    // DUET_EXECUTION_MODE=async runs a whole program asynchronously without changing its code
    // (and the guide's tests once more that way: tests/BUILD.bazel's *_async_test targets).
    if (const char* mode = std::getenv("DUET_EXECUTION_MODE");
        mode && std::strcmp(mode, "async") == 0)
      c->set_options({.execution_mode = ExecutionMode::kAsync});
    return c;
  }();
  return *context;
}

void SetDefaultExecutor(Executor* executor) { g_default_executor = executor; }
Executor* DefaultExecutor() { return g_default_executor; }

Executor* CurrentExecutor() {
  if (tls_executor) return tls_executor;
  if (!g_default_executor) [[unlikely]] {
    std::fprintf(stderr, "duet: no executor linked (depend on //eager:executor)\n");
    std::abort();
  }
  return g_default_executor;
}

ExecutorScope::ExecutorScope(Executor* executor) : previous_(tls_executor) {
  tls_executor = executor;
}
ExecutorScope::~ExecutorScope() { tls_executor = previous_; }

ExecutionMode CurrentExecutionMode() {
  if (tls_execution_mode) [[unlikely]]
    return *tls_execution_mode;
  return Context::Get().options().execution_mode;
}

std::optional<ExecutionMode> SetThreadExecutionMode(std::optional<ExecutionMode> mode) {
  std::optional<ExecutionMode> previous = tls_execution_mode;
  tls_execution_mode = mode;
  return previous;
}

const Device* CurrentDeviceScope() { return tls_device_scope ? &*tls_device_scope : nullptr; }

namespace {
Device ParseScopeDevice(std::string_view name, const Loc& loc) {
  absl::StatusOr<Device> device = ParseDevice(name);
  if (!device.ok())
    ThrowError(
        absl::InvalidArgumentError(absl::StrCat("[DeviceScope] ", device.status().message())), loc);
  return *device;
}
}  // namespace

DeviceScope::DeviceScope(std::string_view name, const Loc& loc)
    : DeviceScope(ParseScopeDevice(name, loc)) {}

DeviceScope::DeviceScope(Device device) : previous_(tls_device_scope) { tls_device_scope = device; }
DeviceScope::~DeviceScope() { tls_device_scope = previous_; }

bool executing_eagerly() { return CurrentExecutor()->is_eager(); }

namespace config {
void run_functions_eagerly(bool on) { Context::Get().set_run_functions_eagerly(on); }
bool functions_run_eagerly() { return Context::Get().run_functions_eagerly(); }
}  // namespace config

}  // namespace duet
