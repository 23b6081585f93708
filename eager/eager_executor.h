// The synchronous eager executor: allocates outputs from the inferred specs and runs the
// registry's kernel for (device, dtype) at once. With DUET_DUMP set it logs every op to stderr.
// Async execution (API.md's ExecutionMode::kAsync) will be a second Executor beside this one.
#pragma once

#include "runtime/executor.h"

namespace duet {

Executor& EagerExecutor();

}  // namespace duet
