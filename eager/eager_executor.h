// The eager executor: places the op (eager/placement.h), then either allocates outputs from the
// inferred specs and runs the registry's kernel for (device, dtype) at once, or, in
// ExecutionMode::kAsync, enqueues it (eager/async_executor.h). With DUET_DUMP set it logs every
// op to stderr.
#pragma once

#include "runtime/executor.h"

namespace duet {

Executor& EagerExecutor();

}  // namespace duet
