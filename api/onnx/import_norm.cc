// ONNX normalizations as compositions: BatchNormalization (inference form), InstanceNormalization,
// LayerNormalization (with its Mean/InvStdDev outputs), LRN (a sum of channel-shifted squares).
// Per-channel parameters (C) broadcast over NC... as (C, 1, ..., 1).
#include "absl/strings/str_cat.h"
#include "api/onnx/import_registry.h"
#include "api/onnx/ops.h"

namespace duet::onnx::internal {
namespace {

Tensor PerChannel(const Tensor& p, int rank) {
  std::vector<int64_t> dims = {p.num_elements()};
  for (int d = 2; d < rank; ++d) dims.push_back(1);
  return reshape(p, Shape(dims));
}

ImportResult ImportBatchNorm(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(5));
  if (n.attr_int("training_mode", 0) || n.num_outputs() > 1)
    return absl::UnimplementedError(
        "training mode (batch statistics, running-stat outputs) is not supported");
  const Tensor& x = n.in(0);
  const int r = x.rank();
  float eps = n.attr_float("epsilon", 1e-5f);
  Tensor scale = PerChannel(n.in(1), r) * rsqrt(PerChannel(n.in(4), r) + eps);
  return Outputs((x - PerChannel(n.in(3), r)) * scale + PerChannel(n.in(2), r));
}
DUET_ONNX_IMPORT(BatchNormalization, ImportBatchNorm);

ImportResult ImportInstanceNorm(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(3));
  const Tensor& x = n.in(0);
  std::vector<int> axes;
  for (int d = 2; d < x.rank(); ++d) axes.push_back(d);
  Tensor mean = reduce_mean(x, axes, true);
  Tensor var = reduce_mean(square(x - mean), axes, true);
  Tensor y = (x - mean) * rsqrt(var + n.attr_float("epsilon", 1e-5f));
  return Outputs(y * PerChannel(n.in(1), x.rank()) + PerChannel(n.in(2), x.rank()));
}
DUET_ONNX_IMPORT(InstanceNormalization, ImportInstanceNorm);

ImportResult ImportLayerNorm(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(2));
  const Tensor& x = n.in(0);
  int64_t axis = n.attr_int("axis", -1);
  if (axis < 0) axis += x.rank();
  if (axis < 0 || axis >= x.rank())
    return absl::InvalidArgumentError("axis out of range for " + x.spec().to_string());
  std::vector<int> axes;
  for (int d = static_cast<int>(axis); d < x.rank(); ++d) axes.push_back(d);
  Tensor mean = reduce_mean(x, axes, true);
  Tensor inv = rsqrt(reduce_mean(square(x - mean), axes, true) + n.attr_float("epsilon", 1e-5f));
  Tensor y = (x - mean) * inv * n.in(1);
  if (n.has(2)) y = y + n.in(2);
  return std::vector<Tensor>{y, mean, inv};
}
DUET_ONNX_IMPORT(LayerNormalization, ImportLayerNorm);

ImportResult ImportLrn(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  const int64_t size = n.attr_int("size", 0);
  if (x.rank() < 3 || size < 1)
    return absl::InvalidArgumentError("needs rank >= 3 input and size >= 1");
  const int64_t c = x.shape()[1], lo = (size - 1) / 2, hi = size - 1 - lo;
  std::vector<int64_t> p(2 * x.rank(), 0), begin(x.rank(), 0), len(x.rank(), -1);
  p[2] = lo;
  p[3] = hi;
  Tensor sq = pad(square(x), p);
  len[1] = c;
  Tensor sum;
  for (int64_t i = 0; i < size; ++i) {
    begin[1] = i;
    Tensor s = slice(sq, begin, len);
    sum = sum.defined() ? sum + s : s;
  }
  Tensor base =
      sum * (n.attr_float("alpha", 1e-4f) / static_cast<float>(size)) + n.attr_float("bias", 1.f);
  return Outputs(x / pow(base, n.attr_float("beta", 0.75f)));
}
DUET_ONNX_IMPORT(LRN, ImportLrn);

}  // namespace
}  // namespace duet::onnx::internal
