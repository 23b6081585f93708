#include "kernels/infer_helpers.h"

#include <algorithm>

#include "absl/strings/str_join.h"

namespace duet {

absl::StatusOr<Shape> BroadcastShapes(const OpDef& op, const Shape& a, const Shape& b) {
  if (a == b) return a;
  int rank = std::max(a.rank(), b.rank());
  Shape out;
  for (int i = 0; i < rank; ++i) {
    int ia = a.rank() - rank + i, ib = b.rank() - rank + i;
    int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    int64_t d;
    if (da == db || db == 1)
      d = da;
    else if (da == 1)
      d = db;
    else if (da < 0)
      d = db;
    else if (db < 0)
      d = da;
    else
      return OpError(op, "cannot broadcast shapes ", a.to_string(), " and ", b.to_string());
    out.push_back(d);
  }
  return out;
}

absl::StatusOr<int> NormalizeAxis(const OpDef& op, int64_t axis, int rank, const Shape& shape) {
  if (axis < -rank || axis >= rank)
    return OpError(op, "axis ", axis, " is out of range for shape ", shape.to_string(), " (rank ",
                   rank, ")");
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

absl::StatusOr<SpecList> InferSameAsInput(const InferContext& ctx) {
  return SpecList{ctx.input(0)};
}

absl::StatusOr<SpecList> InferBroadcast(const InferContext& ctx) {
  const TensorSpec& a = ctx.input(0);
  if (ctx.inputs.size() == 2 && a.shape == ctx.input(1).shape)
    return SpecList{a};  // the common case, cheaply
  Shape shape = a.shape;
  for (size_t i = 1; i < ctx.inputs.size(); ++i) {
    absl::StatusOr<Shape> s = BroadcastShapes(ctx.op, shape, ctx.input(i).shape);
    if (!s.ok()) return s.status();
    shape = *std::move(s);
  }
  return SpecList{TensorSpec(std::move(shape), a.dtype)};
}

absl::StatusOr<SpecList> InferBroadcastToBool(const InferContext& ctx) {
  absl::StatusOr<SpecList> specs = InferBroadcast(ctx);
  if (specs.ok()) (*specs)[0].dtype = DType::kBool;
  return specs;
}

}  // namespace duet
