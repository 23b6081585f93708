#include "runtime/context.h"

#include <cstdio>
#include <cstdlib>

namespace duet {
namespace {

Executor* g_default_executor = nullptr;
thread_local Executor* tls_executor = nullptr;

}  // namespace

Context& Context::Get() {
  static Context* context = new Context();
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

bool executing_eagerly() { return CurrentExecutor()->is_eager(); }

namespace config {
void run_functions_eagerly(bool on) { Context::Get().set_run_functions_eagerly(on); }
bool functions_run_eagerly() { return Context::Get().run_functions_eagerly(); }
}  // namespace config

}  // namespace duet
