// InterruptGuard: while alive, SIGINT (Ctrl-C) only sets a flag that fit polls between steps,
// so training stops after the current step and returns the history so far; the previous
// handler is restored on destruction. Guards nest (the innermost one sees the signal).
// Example: { InterruptGuard guard; while (!guard.requested()) Step(); }
#pragma once

#include <csignal>

namespace duet::training {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  // True once SIGINT arrived while this guard was installed.
  bool requested() const;

 private:
  struct sigaction previous_ {};
  bool was_requested_;  // the flag of an enclosing guard, restored with its handler
  bool installed_ = false;
};

}  // namespace duet::training
