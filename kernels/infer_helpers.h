// Shape/dtype inference building blocks shared by op registrations. Each returns a Status whose
// message starts with "[op]" and names the offending shapes/dtypes.
// Example: ASSIGN_OR_RETURN-style use: absl::StatusOr<Shape> s = BroadcastShapes(ctx, a, b);
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "runtime/op_def.h"

namespace duet {

// "[op] message"
template <class... Args>
absl::Status OpError(const OpDef& op, const Args&... args) {
  return absl::InvalidArgumentError(absl::StrCat("[", op.name, "] ", args...));
}

// NumPy broadcasting of two shapes (unknown -1 dims broadcast against anything).
absl::StatusOr<Shape> BroadcastShapes(const OpDef& op, const Shape& a, const Shape& b);

// The axis in [0, rank), accepting negative axes counted from the end.
absl::StatusOr<int> NormalizeAxis(const OpDef& op, int64_t axis, int rank, const Shape& shape);

// Input dtypes are declared on the op (OpBuilder::Inputs/Input/SameDTypes) and checked before
// any shape function runs (CheckInputDTypes), so shape functions see only allowed dtypes.

// Common shape functions.
absl::StatusOr<SpecList> InferSameAsInput(const InferContext& ctx);      // out = input 0
absl::StatusOr<SpecList> InferBroadcast(const InferContext& ctx);        // broadcast shape
absl::StatusOr<SpecList> InferBroadcastToBool(const InferContext& ctx);  // comparisons

}  // namespace duet
