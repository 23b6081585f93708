// ONNX ops that make or retype tensors: Constant, ConstantOfShape, Cast, CastLike, Range,
// EyeLike, Trilu, OneHot, Dropout (inference: identity and an all-true mask). Generated values
// (ranges, masks) are computed on the host from constant operands and enter as constants.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "api/onnx/import_registry.h"
#include "api/onnx/ops.h"
#include "api/onnx/tensor_proto.h"

namespace duet::onnx::internal {
namespace {

ImportResult ImportConstant(NodeContext& n) {
  if (const auto* a = n.attr("value")) {
    ASSIGN_OR_RETURN(Tensor t, TensorFromProto(a->t()));
    return Outputs(t);
  }
  if (const auto* a = n.attr("value_float")) return Outputs(constant(a->f()));
  if (const auto* a = n.attr("value_int")) return Outputs(constant(static_cast<int64_t>(a->i())));
  if (const auto* a = n.attr("value_floats")) {
    std::vector<float> v(a->floats().begin(), a->floats().end());
    return Outputs(constant(v, Shape{static_cast<int64_t>(v.size())}));
  }
  if (const auto* a = n.attr("value_ints")) {
    std::vector<int64_t> v(a->ints().begin(), a->ints().end());
    return Outputs(constant(v, Shape{static_cast<int64_t>(v.size())}));
  }
  return absl::UnimplementedError("only value, value_float(s) and value_int(s) are supported");
}
DUET_ONNX_IMPORT(Constant, ImportConstant);

ImportResult ImportConstantOfShape(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, n.host_ints(0));
  Tensor value = zeros({});
  if (const auto* a = n.attr("value")) {
    ASSIGN_OR_RETURN(value, TensorFromProto(a->t()));
    if (value.num_elements() != 1) return absl::InvalidArgumentError("value must have one element");
  }
  Shape shape(dims);
  if (shape.num_elements() > kMaxTensorElements)
    return absl::InvalidArgumentError("shape is too large");
  return Outputs(FillLike(TensorSpec(shape, value.dtype()), value));
}
DUET_ONNX_IMPORT(ConstantOfShape, ImportConstantOfShape);

ImportResult ImportCast(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  ASSIGN_OR_RETURN(DType to, DTypeFromOnnx(static_cast<int32_t>(n.attr_int("to", 0))));
  return Outputs(cast(n.in(0), to));
}
DUET_ONNX_IMPORT(Cast, ImportCast);

ImportResult ImportCastLike(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(2));
  return Outputs(cast(n.in(0), n.in(1).dtype()));
}
DUET_ONNX_IMPORT(CastLike, ImportCastLike);

ImportResult ImportRange(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(3));
  ASSIGN_OR_RETURN(double start, n.host_scalar(0));
  ASSIGN_OR_RETURN(double limit, n.host_scalar(1));
  ASSIGN_OR_RETURN(double delta, n.host_scalar(2));
  if (delta == 0) return absl::InvalidArgumentError("delta is 0");
  double count = std::max(std::ceil((limit - start) / delta), 0.0);
  if (!(count <= static_cast<double>(kMaxTensorElements)))
    return absl::InvalidArgumentError("range is too long");
  std::vector<double> v(static_cast<size_t>(count));
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + static_cast<double>(i) * delta;
  return Outputs(cast(constant(v, Shape{static_cast<int64_t>(v.size())}), n.in(0).dtype()));
}
DUET_ONNX_IMPORT(Range, ImportRange);

// A (rows, cols) bool mask: keep(i, j).
template <class Keep>
Tensor Mask(int64_t rows, int64_t cols, Keep keep) {
  std::vector<bool> m(rows * cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) m[i * cols + j] = keep(i, j);
  return constant(m, Shape{rows, cols});
}

ImportResult ImportEyeLike(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  if (x.rank() != 2)
    return absl::InvalidArgumentError("input must be rank 2, got " + x.spec().to_string());
  DType dtype = x.dtype();
  if (n.attr("dtype")) {
    ASSIGN_OR_RETURN(dtype, DTypeFromOnnx(static_cast<int32_t>(n.attr_int("dtype", 0))));
  }
  int64_t k = n.attr_int("k", 0);
  return Outputs(cast(
      Mask(x.shape()[0], x.shape()[1], [&](int64_t i, int64_t j) { return j - i == k; }), dtype));
}
DUET_ONNX_IMPORT(EyeLike, ImportEyeLike);

ImportResult ImportTrilu(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  if (x.rank() < 2)
    return absl::InvalidArgumentError("input must be rank >= 2, got " + x.spec().to_string());
  int64_t k = 0;
  if (n.has(1)) {
    ASSIGN_OR_RETURN(double kd, n.host_scalar(1));
    k = static_cast<int64_t>(kd);
  }
  bool upper = n.attr_int("upper", 1) != 0;
  Tensor mask = Mask(x.shape()[x.rank() - 2], x.shape()[x.rank() - 1],
                     [&](int64_t i, int64_t j) { return upper ? j - i >= k : j - i <= k; });
  return Outputs(where(mask, x, zeros({}, x.dtype())));
}
DUET_ONNX_IMPORT(Trilu, ImportTrilu);

// values = [off, on]; the one-hot axis lands at `axis` (default last).
ImportResult ImportOneHot(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(3));
  ASSIGN_OR_RETURN(double depth_d, n.host_scalar(1));
  if (depth_d < 1 || depth_d > (1 << 24))
    return absl::InvalidArgumentError("depth must be in [1, 2^24]");
  const int depth = static_cast<int>(depth_d);
  Tensor idx = cast(n.in(0), DType::kInt64);
  idx = where(idx < 0, idx + depth, idx);
  const Tensor& values = n.in(2);
  if (values.num_elements() != 2) return absl::InvalidArgumentError("values must be [off, on]");
  Tensor off = reshape(slice(values, {0}, {1}), Shape{}),
         on = reshape(slice(values, {1}, {1}), Shape{});
  Tensor y = cast(one_hot(idx, depth), values.dtype()) * (on - off) + off;
  int rank = y.rank();
  int64_t axis = n.attr_int("axis", -1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) return absl::InvalidArgumentError("axis out of range");
  if (axis == rank - 1) return Outputs(y);
  std::vector<int> perm;
  for (int d = 0; d < rank - 1; ++d) {
    if (d == axis) perm.push_back(rank - 1);
    perm.push_back(d);
  }
  return Outputs(transpose(y, perm));
}
DUET_ONNX_IMPORT(OneHot, ImportOneHot);

ImportResult ImportDropout(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  bool training = false;
  if (n.has(2)) {
    ASSIGN_OR_RETURN(double t, n.host_scalar(2));
    training = t != 0;
  }
  double ratio = n.attr_float("ratio", 0.5f);
  if (n.has(1)) {
    ASSIGN_OR_RETURN(ratio, n.host_scalar(1));
  }
  if (training && ratio > 0)
    return absl::UnimplementedError("training_mode=true (random dropout) is not supported");
  const Tensor& x = n.in(0);
  return std::vector<Tensor>{identity(x), ones(x.shape(), DType::kBool)};
}
DUET_ONNX_IMPORT(Dropout, ImportDropout);

}  // namespace
}  // namespace duet::onnx::internal
