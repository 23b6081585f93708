// ONNX shape ops: Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Concat, Split, Slice, Gather,
// Expand, Tile, Pad, Shape, Size, DepthToSpace, SpaceToDepth. Shape-like operands (shape, axes,
// starts, pads, repeats) must be known when the node runs: constants, or any value eagerly.
// Slice with a step other than 1 is a gather of the picked indices; negative Gather indices
// count from the end (ONNX) and are shifted before duet's gather.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "api/onnx/import_registry.h"
#include "api/onnx/ops.h"

namespace duet::onnx::internal {
namespace {

absl::StatusOr<int> NormAxis(int64_t axis, int rank) {
  if (axis < -rank || axis >= rank)
    return absl::InvalidArgumentError(
        absl::StrCat("axis ", axis, " is out of range for rank ", rank));
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

// Axes from input `i` (opset >= since) or the "axes" attribute.
absl::StatusOr<std::vector<int64_t>> AxesOperand(const NodeContext& n, int i, int64_t since) {
  if (n.opset() >= since) {
    if (!n.has(i)) return std::vector<int64_t>{};
    return n.host_ints(i);
  }
  return n.attr_ints("axes");
}

ImportResult ImportReshape(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  std::vector<int64_t> dims;
  if (n.opset() < 5)
    dims = n.attr_ints("shape");
  else {
    ASSIGN_OR_RETURN(dims, n.host_ints(1));
  }
  if (!n.attr_int("allowzero", 0))
    for (size_t d = 0; d < dims.size(); ++d)
      if (dims[d] == 0) {
        if (static_cast<int>(d) >= x.rank())
          return absl::InvalidArgumentError("shape has a 0 beyond the input's rank");
        dims[d] = x.shape()[d];
      }
  return Outputs(reshape(x, Shape(dims)));
}
DUET_ONNX_IMPORT(Reshape, ImportReshape);

ImportResult ImportFlatten(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  int64_t axis = n.attr_int("axis", 1);
  if (axis < 0) axis += x.rank();
  if (axis < 0 || axis > x.rank())
    return absl::InvalidArgumentError("axis out of range for " + x.spec().to_string());
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < x.rank(); ++d) (d < axis ? outer : inner) *= x.shape()[d];
  return Outputs(reshape(x, Shape{outer, inner}));
}
DUET_ONNX_IMPORT(Flatten, ImportFlatten);

ImportResult ImportTranspose(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  std::vector<int64_t> perm = n.attr_ints("perm");
  return Outputs(transpose(n.in(0), std::vector<int>(perm.begin(), perm.end())));
}
DUET_ONNX_IMPORT(Transpose, ImportTranspose);

ImportResult ImportSqueeze(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  ASSIGN_OR_RETURN(std::vector<int64_t> axes, AxesOperand(n, 1, 13));
  return Outputs(squeeze(n.in(0), std::vector<int>(axes.begin(), axes.end())));
}
DUET_ONNX_IMPORT(Squeeze, ImportSqueeze);

ImportResult ImportUnsqueeze(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  ASSIGN_OR_RETURN(std::vector<int64_t> axes, AxesOperand(n, 1, 13));
  int out_rank = n.in(0).rank() + static_cast<int>(axes.size());
  std::vector<int> norm;
  for (int64_t a : axes) {
    ASSIGN_OR_RETURN(int v, NormAxis(a, out_rank));
    norm.push_back(v);
  }
  std::sort(norm.begin(), norm.end());
  Tensor y = n.in(0);
  for (int a : norm) y = expand_dims(y, a);
  return Outputs(y);
}
DUET_ONNX_IMPORT(Unsqueeze, ImportUnsqueeze);

ImportResult ImportConcat(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(n.num_inputs()));
  return Outputs(concat(n.inputs(), static_cast<int>(n.attr_int("axis", 0))));
}
DUET_ONNX_IMPORT(Concat, ImportConcat);

ImportResult ImportSplit(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  ASSIGN_OR_RETURN(int axis, NormAxis(n.attr_int("axis", 0), x.rank()));
  std::vector<int64_t> sizes;
  if (n.opset() >= 13) {
    if (n.has(1)) {
      ASSIGN_OR_RETURN(sizes, n.host_ints(1));
    }
  } else {
    sizes = n.attr_ints("split");
  }
  int64_t dim = x.shape()[axis];
  if (sizes.empty()) {
    int64_t parts = n.attr_int("num_outputs", n.num_outputs());
    int64_t each = (dim + parts - 1) / std::max<int64_t>(parts, 1);
    for (int64_t p = 0, left = dim; p < parts; ++p, left -= each)
      sizes.push_back(std::min(each, left));
  }
  std::vector<Tensor> outs;
  int64_t at = 0;
  for (int64_t s : sizes) {
    std::vector<int64_t> begin(x.rank(), 0), size(x.rank(), -1);
    begin[axis] = at;
    size[axis] = s;
    outs.push_back(slice(x, begin, size));
    at += s;
  }
  return outs;
}
DUET_ONNX_IMPORT(Split, ImportSplit);

ImportResult ImportSlice(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  Tensor y = n.in(0);
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.opset() < 10) {
    starts = n.attr_ints("starts");
    ends = n.attr_ints("ends");
    axes = n.attr_ints("axes");
  } else {
    RETURN_IF_ERROR(n.require_inputs(3));
    ASSIGN_OR_RETURN(starts, n.host_ints(1));
    ASSIGN_OR_RETURN(ends, n.host_ints(2));
    if (n.has(3)) {
      ASSIGN_OR_RETURN(axes, n.host_ints(3));
    }
    if (n.has(4)) {
      ASSIGN_OR_RETURN(steps, n.host_ints(4));
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    return absl::InvalidArgumentError("starts, ends, axes and steps differ in length");
  const int rank = y.rank();
  std::vector<int64_t> begin(rank, 0), size(rank, -1);
  for (size_t i = 0; i < starts.size(); ++i) {
    ASSIGN_OR_RETURN(int a, NormAxis(axes[i], rank));
    const int64_t dim = y.shape()[a], step = steps[i];
    if (step == 0) return absl::InvalidArgumentError("a step is 0");
    int64_t s = starts[i] < 0 ? starts[i] + dim : starts[i];
    int64_t e = ends[i] < 0 ? ends[i] + dim : ends[i];
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
    }
    if (step == 1) {
      begin[a] = s;
      size[a] = std::max<int64_t>(e - s, 0);
      continue;
    }
    std::vector<int64_t> picked;
    for (int64_t k = s; step > 0 ? k < e : k > e; k += step) picked.push_back(k);
    y = gather(y, constant(picked, Shape{static_cast<int64_t>(picked.size())}), a);
  }
  return Outputs(slice(y, begin, size));
}
DUET_ONNX_IMPORT(Slice, ImportSlice);

ImportResult ImportGather(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(2));
  const Tensor& x = n.in(0);
  ASSIGN_OR_RETURN(int axis, NormAxis(n.attr_int("axis", 0), x.rank()));
  const Tensor& idx = n.in(1);
  Tensor fixed = where(idx < 0, idx + x.shape()[axis], idx);
  return Outputs(gather(x, fixed, axis));
}
DUET_ONNX_IMPORT(Gather, ImportGather);

ImportResult ImportExpand(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(2));
  const Tensor& x = n.in(0);
  ASSIGN_OR_RETURN(std::vector<int64_t> shape, n.host_ints(1));
  std::vector<int64_t> xs = x.shape().dims();
  size_t r = std::max(shape.size(), xs.size());
  std::vector<int64_t> out(r);
  for (size_t i = 0; i < r; ++i) {
    int64_t a = i + xs.size() >= r ? xs[i + xs.size() - r] : 1;
    int64_t b = i + shape.size() >= r ? shape[i + shape.size() - r] : 1;
    if (a != b && a != 1 && b != 1)
      return absl::InvalidArgumentError(absl::StrCat("cannot expand ", x.spec().to_string(),
                                                     " to shape ", Shape(shape).to_string()));
    out[i] = a == 1 ? b : a;
  }
  return Outputs(broadcast_to(x, Shape(out)));
}
DUET_ONNX_IMPORT(Expand, ImportExpand);

ImportResult ImportTile(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(2));
  Tensor y = n.in(0);
  ASSIGN_OR_RETURN(std::vector<int64_t> repeats, n.host_ints(1));
  if (static_cast<int>(repeats.size()) != y.rank())
    return absl::InvalidArgumentError("repeats must have one entry per input dim");
  for (int a = 0; a < y.rank(); ++a) {
    if (repeats[a] < 0 || repeats[a] > (int64_t{1} << 20))
      return absl::InvalidArgumentError("bad repeat count");
    if (repeats[a] != 1) y = concat(std::vector<Tensor>(repeats[a], y), a);
  }
  return Outputs(identity(y));
}
DUET_ONNX_IMPORT(Tile, ImportTile);

// ONNX pads are [begin_0, begin_1, ..., end_0, end_1, ...]; negative pads crop.
ImportResult ImportPad(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  const int rank = x.rank();
  std::string mode = n.attr_string("mode", "constant");
  if (mode != "constant")
    return absl::UnimplementedError("mode '" + mode + "' is not supported (only constant)");
  std::vector<int64_t> pads;
  double value = 0;
  if (n.opset() < 11) {
    pads = n.attr_ints(n.opset() < 2 ? "paddings" : "pads");
    value = n.attr_float("value", 0.f);
  } else {
    ASSIGN_OR_RETURN(pads, n.host_ints(1));
    if (n.has(2)) {
      ASSIGN_OR_RETURN(value, n.host_scalar(2));
    }
  }
  std::vector<int64_t> axes;
  if (n.has(3)) {
    ASSIGN_OR_RETURN(axes, n.host_ints(3));
  }
  if (axes.empty())
    for (int a = 0; a < rank; ++a) axes.push_back(a);
  if (pads.size() != 2 * axes.size())
    return absl::InvalidArgumentError("pads must have 2 entries per padded axis");
  std::vector<int64_t> grow(2 * rank, 0), begin(rank, 0), size(rank, -1);
  bool crop = false;
  for (size_t i = 0; i < axes.size(); ++i) {
    ASSIGN_OR_RETURN(int a, NormAxis(axes[i], rank));
    int64_t lo = pads[i], hi = pads[i + axes.size()];
    grow[2 * a] = std::max<int64_t>(lo, 0);
    grow[2 * a + 1] = std::max<int64_t>(hi, 0);
    if (lo < 0 || hi < 0) {
      crop = true;
      begin[a] = -std::min<int64_t>(lo, 0);
      size[a] = x.shape()[a] + std::min<int64_t>(lo, 0) + std::min<int64_t>(hi, 0);
    }
  }
  Tensor y = pad(x, grow);
  if (value != 0) y = where(pad(ones(x.shape(), DType::kBool), grow), y, value);
  return Outputs(crop ? slice(y, begin, size) : y);
}
DUET_ONNX_IMPORT(Pad, ImportPad);

ImportResult ImportShape(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  std::vector<int64_t> dims = n.in(0).shape().dims();
  const int64_t rank = static_cast<int64_t>(dims.size());
  int64_t start = n.attr_int("start", 0), end = n.attr_int("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  std::vector<int64_t> out(dims.begin() + start, dims.begin() + end);
  return Outputs(constant(out, Shape{static_cast<int64_t>(out.size())}));
}
DUET_ONNX_IMPORT(Shape, ImportShape);

ImportResult ImportSize(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  return Outputs(constant(n.in(0).num_elements()));
}
DUET_ONNX_IMPORT(Size, ImportSize);

// NCHW <-> blocks, as reshape/transpose/reshape (DCR or CRD order for DepthToSpace).
ImportResult ImportDepthToSpace(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  if (x.rank() != 4)
    return absl::InvalidArgumentError("input must be rank 4 (NCHW), got " + x.spec().to_string());
  const int64_t b = n.attr_int("blocksize", 0), N = x.shape()[0], C = x.shape()[1],
                H = x.shape()[2], W = x.shape()[3];
  if (b <= 0 || C % (b * b) != 0)
    return absl::InvalidArgumentError("blocksize must divide the channels");
  bool crd = n.attr_string("mode", "DCR") == "CRD";
  Tensor y = crd ? transpose(reshape(x, {N, C / (b * b), b, b, H, W}), {0, 1, 4, 2, 5, 3})
                 : transpose(reshape(x, {N, b, b, C / (b * b), H, W}), {0, 3, 4, 1, 5, 2});
  return Outputs(reshape(y, {N, C / (b * b), H * b, W * b}));
}
DUET_ONNX_IMPORT(DepthToSpace, ImportDepthToSpace);

ImportResult ImportSpaceToDepth(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  if (x.rank() != 4)
    return absl::InvalidArgumentError("input must be rank 4 (NCHW), got " + x.spec().to_string());
  const int64_t b = n.attr_int("blocksize", 0), N = x.shape()[0], C = x.shape()[1],
                H = x.shape()[2], W = x.shape()[3];
  if (b <= 0 || H % b != 0 || W % b != 0)
    return absl::InvalidArgumentError("blocksize must divide H and W");
  Tensor y = transpose(reshape(x, {N, C, H / b, b, W / b, b}), {0, 3, 5, 1, 2, 4});
  return Outputs(reshape(y, {N, C * b * b, H / b, W / b}));
}
DUET_ONNX_IMPORT(SpaceToDepth, ImportSpaceToDepth);

}  // namespace
}  // namespace duet::onnx::internal
