// ONNX reductions (ReduceSum/Mean/Max/Min and the L1/L2/LogSum/LogSumExp/SumSquare
// compositions) and ArgMax/ArgMin. Axes are an attribute, except ReduceSum from opset 13 and
// every reduction from opset 18 (an optional input); keepdims defaults to 1, and no axes
// means all of them unless noop_with_empty_axes.
#include "api/onnx/import_registry.h"
#include "api/onnx/ops.h"

namespace duet::onnx::internal {
namespace {

enum class Kind { kSum, kMean, kMax, kMin, kL1, kL2, kLogSum, kLogSumExp, kSumSquare };

ImportResult Reduce(NodeContext& n, Kind kind, bool axes_input_since_13) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  std::vector<int64_t> axes64;
  if (n.opset() >= 18 || (axes_input_since_13 && n.opset() >= 13)) {
    if (n.has(1)) {
      ASSIGN_OR_RETURN(axes64, n.host_ints(1));
    }
  } else {
    axes64 = n.attr_ints("axes");
  }
  if (axes64.empty() && n.attr_int("noop_with_empty_axes", 0)) return Outputs(identity(x));
  std::vector<int> axes(axes64.begin(), axes64.end());
  bool keep = n.attr_int("keepdims", 1) != 0;
  switch (kind) {
    case Kind::kSum:
      return Outputs(reduce_sum(x, axes, keep));
    case Kind::kMean:
      return Outputs(reduce_mean(x, axes, keep));
    case Kind::kMax:
      return Outputs(reduce_max(x, axes, keep));
    case Kind::kMin:
      return Outputs(reduce_min(x, axes, keep));
    case Kind::kL1:
      return Outputs(reduce_sum(abs(x), axes, keep));
    case Kind::kL2:
      return Outputs(sqrt(reduce_sum(square(x), axes, keep)));
    case Kind::kLogSum:
      return Outputs(log(reduce_sum(x, axes, keep)));
    case Kind::kSumSquare:
      return Outputs(reduce_sum(square(x), axes, keep));
    case Kind::kLogSumExp: {
      Tensor m = stop_gradient(reduce_max(x, axes, true));
      Tensor s = log(reduce_sum(exp(x - m), axes, true)) + m;
      return Outputs(keep ? s : (axes.empty() ? reshape(s, Shape{}) : squeeze(s, axes)));
    }
  }
  return absl::InternalError("unknown reduction");
}

DUET_ONNX_IMPORT(ReduceSum, [](NodeContext& n) { return Reduce(n, Kind::kSum, true); });
DUET_ONNX_IMPORT(ReduceMean, [](NodeContext& n) { return Reduce(n, Kind::kMean, false); });
DUET_ONNX_IMPORT(ReduceMax, [](NodeContext& n) { return Reduce(n, Kind::kMax, false); });
DUET_ONNX_IMPORT(ReduceMin, [](NodeContext& n) { return Reduce(n, Kind::kMin, false); });
DUET_ONNX_IMPORT(ReduceL1, [](NodeContext& n) { return Reduce(n, Kind::kL1, false); });
DUET_ONNX_IMPORT(ReduceL2, [](NodeContext& n) { return Reduce(n, Kind::kL2, false); });
DUET_ONNX_IMPORT(ReduceLogSum, [](NodeContext& n) { return Reduce(n, Kind::kLogSum, false); });
DUET_ONNX_IMPORT(ReduceLogSumExp,
                 [](NodeContext& n) { return Reduce(n, Kind::kLogSumExp, false); });
DUET_ONNX_IMPORT(ReduceSumSquare,
                 [](NodeContext& n) { return Reduce(n, Kind::kSumSquare, false); });

// select_last_index: argmax of the axis reversed, mapped back (dim - 1 - i).
ImportResult ArgReduce(NodeContext& n, bool is_min) {
  RETURN_IF_ERROR(n.require_inputs(1));
  Tensor x = is_min ? neg(n.in(0)) : n.in(0);
  int rank = x.rank();
  int axis = static_cast<int>(n.attr_int("axis", 0));
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank)
    return absl::InvalidArgumentError("axis out of range for " + x.spec().to_string());
  Tensor idx;
  if (n.attr_int("select_last_index", 0)) {
    int64_t dim = x.shape()[axis];
    std::vector<int64_t> rev(dim);
    for (int64_t i = 0; i < dim; ++i) rev[i] = dim - 1 - i;
    idx = (dim - 1) - argmax(gather(x, constant(rev, Shape{dim}), axis), axis);
  } else {
    idx = argmax(x, axis);
  }
  return Outputs(n.attr_int("keepdims", 1) ? expand_dims(idx, axis) : idx);
}
DUET_ONNX_IMPORT(ArgMax, [](NodeContext& n) { return ArgReduce(n, false); });
DUET_ONNX_IMPORT(ArgMin, [](NodeContext& n) { return ArgReduce(n, true); });

}  // namespace
}  // namespace duet::onnx::internal
