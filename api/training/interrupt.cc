#include "api/training/interrupt.h"

#include <atomic>

namespace duet::training {
namespace {

std::atomic<bool> g_requested{false};  // lock-free: safe to set from a signal handler
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnInterrupt(int) { g_requested.store(true); }

}  // namespace

InterruptGuard::InterruptGuard() : was_requested_(g_requested.exchange(false)) {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  installed_ = sigaction(SIGINT, &action, &previous_) == 0;
}

InterruptGuard::~InterruptGuard() {
  if (installed_) sigaction(SIGINT, &previous_, nullptr);
  g_requested.store(was_requested_);
}

bool InterruptGuard::requested() const { return g_requested.load(); }

}  // namespace duet::training
