// Ops whose point is a side effect on the host (CPU kernels: kernels/cpu/io_kernels.cc).
// Example: internal::Print(x, "x = ", loc);  // prints now, or each time a traced graph runs
#pragma once

#include <string>

#include "runtime/tensor.h"

namespace duet::internal {

// Dispatches `print`: writes label and x to stdout when the op runs (eagerly at once; inside a
// function each time the compiled graph runs). Returns x under a new handle (the registry's ops
// have outputs; it is stateful, so no pass drops it when the result is unused). The public
// entry point is duet::print (api/control_flow.h).
Tensor Print(const Tensor& x, const std::string& label, const Loc& loc);

}  // namespace duet::internal
