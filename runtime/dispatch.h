// Dispatch: the one entry point every op call goes through, eager or traced.
//   1. check the call against the OpDef (arity, defined inputs, attr kinds, input dtypes)
//   2. infer output shapes/dtypes once with the op's shape function
//   3. hand the call to the current Executor (run the kernel, or record a node)
//   4. notify this thread's OpObservers (the tape)
// Example: TensorList out = *Dispatch(kAdd, {x, y}, {}, loc);
#pragma once

#include <initializer_list>

#include "runtime/executor.h"

namespace duet {

absl::StatusOr<TensorList> Dispatch(const OpDef& op, absl::Span<const Tensor> inputs,
                                    const Attrs& attrs, const Loc& loc);

// For typed op functions: dispatch and return the single output, throwing duet::Error (with the
// user's line) on failure.
Tensor Call(const OpDef& op, std::initializer_list<Tensor> inputs, const Attrs& attrs,
            const Loc& loc);
Tensor Call(const OpDef& op, absl::Span<const Tensor> inputs, const Attrs& attrs, const Loc& loc);

// The thread's observers; exposed for the dispatcher's fast "anyone listening?" check.
bool HasObservers();

}  // namespace duet
