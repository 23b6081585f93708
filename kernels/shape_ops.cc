// Op definitions of the shape ops (CPU kernels: kernels/cpu/shape_kernels.cc, which copy bytes by
// element size (kernels/cpu/copy_loops.h), so each is registered once for all dtypes; scatter_add
// (the gradient of gather) adds, so it is typed). Gradient rules use only these public ops, so
// they nest: slice <-> pad and gather <-> scatter_add are each other's gradients.
#include "kernels/shape_ops.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_join.h"
#include "kernels/infer_helpers.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

// The "axis" attribute most ops here declare.
template <class Ctx>
int64_t AxisAttr(const Ctx& c) {
  return c.template attr<int64_t>("axis");
}
std::string IntsToString(const std::vector<int64_t>& v) {
  return absl::StrCat("[", absl::StrJoin(v, ", "), "]");
}
std::vector<int64_t> ToInt64(const std::vector<int>& v) { return {v.begin(), v.end()}; }

// An axis where a new dim can go: [-rank-1, rank] (expand_dims, stack), as in TF.
absl::StatusOr<int> NormalizeInsertAxis(const OpDef& op, int64_t axis, const Shape& shape) {
  int rank = shape.rank();
  if (axis < -rank - 1 || axis > rank)
    return OpError(op, "axis ", axis, " is out of range [", -rank - 1, ", ", rank, "] for shape ",
                   shape.to_string());
  return static_cast<int>(axis < 0 ? axis + rank + 1 : axis);
}

// Gradient of the zero-copy ops: the same elements back under the input's shape.
std::vector<Tensor> ReshapeBackGrad(const GradContext& c) {
  return {reshape(c.output_grads[0], c.inputs[0].shape())};
}

// ---- reshape ------------------------------------------------------------------------------
absl::StatusOr<SpecList> InferReshape(const InferContext& ctx) {
  const Shape& in = ctx.input(0).shape;
  Shape out = ctx.attr<Shape>("shape");
  int infer_at = -1;
  Shape known_dims = out;  // the target with its -1 (if any) as 1
  for (int i = 0; i < out.rank(); ++i) {
    if (out[i] == -1) {
      if (infer_at >= 0)
        return OpError(ctx.op, "only one dim of the target shape ", out.to_string(), " may be -1");
      infer_at = i;
      known_dims[i] = 1;
    } else if (out[i] < 0) {
      return OpError(ctx.op, "invalid dim ", out[i], " in target shape ", out.to_string());
    }
  }
  absl::StatusOr<int64_t> known = CheckedNumElements(known_dims);
  if (!known.ok())
    return OpError(ctx.op, "target shape ", out.to_string(), ": ", known.status().message());
  int64_t n = in.num_elements();
  if (n < 0)
    return SpecList{TensorSpec(out, ctx.input(0).dtype)};  // unknown input size: -1 stays unknown
  auto mismatch = [&] {
    return OpError(ctx.op, "cannot reshape ", in.to_string(), " (", n, " elements) into ",
                   out.to_string());
  };
  if (infer_at >= 0) {
    if (*known == 0) {
      if (n != 0) return mismatch();
      return OpError(ctx.op, "cannot infer the -1 in ", out.to_string(), " for ", in.to_string(),
                     " (0 elements): the other dims multiply to 0");
    }
    if (n % *known != 0) return mismatch();
    out[infer_at] = n / *known;
  } else if (*known != n) {
    return mismatch();
  }
  return SpecList{TensorSpec(out, ctx.input(0).dtype)};
}

const OpDef& kReshape = OpBuilder("reshape")
                            .Inputs({"x"})
                            .Outputs({"y"})
                            .Attr("shape", AttrKind::kShape)
                            .Traits(kShapeOnly)
                            .Infer(InferReshape)
                            .KernelAllocatesOutputs()
                            .Gradient(ReshapeBackGrad)
                            .Doc("same elements under a new shape; one dim may be -1; zero-copy")
                            .Build();

// ---- transpose ----------------------------------------------------------------------------
// The attr's perm, or the reversed dims when empty.
std::vector<int64_t> ResolvePerm(const std::vector<int64_t>& perm, int rank) {
  if (!perm.empty()) return perm;
  std::vector<int64_t> rev(rank);
  for (int i = 0; i < rank; ++i) rev[i] = rank - 1 - i;
  return rev;
}

absl::StatusOr<SpecList> InferTranspose(const InferContext& ctx) {
  const Shape& in = ctx.input(0).shape;
  const std::vector<int64_t>& attr = ctx.attr<Ints>("perm");
  std::vector<int64_t> perm = ResolvePerm(attr, in.rank());
  std::vector<bool> seen(in.rank(), false);
  bool ok = static_cast<int>(perm.size()) == in.rank();
  for (size_t i = 0; ok && i < perm.size(); ++i) {
    ok = perm[i] >= 0 && perm[i] < in.rank() && !seen[perm[i]];
    if (ok) seen[perm[i]] = true;
  }
  if (!ok)
    return OpError(ctx.op, "perm ", IntsToString(attr), " is not a permutation of [0, ", in.rank(),
                   ") for shape ", in.to_string());
  Shape out;
  for (int64_t p : perm) out.push_back(in[static_cast<int>(p)]);
  return SpecList{TensorSpec(out, ctx.input(0).dtype)};
}

const OpDef& kTranspose =
    OpBuilder("transpose")
        .Inputs({"x"})
        .Outputs({"y"})
        .Attr("perm", AttrKind::kInts)
        .Traits(kShapeOnly)
        .Infer(InferTranspose)
        .Gradient([](const GradContext& c) {
          // Out dim i came from input dim perm[i], so dy goes back by the inverse permutation.
          std::vector<int64_t> perm = ResolvePerm(c.attr<Ints>("perm"), c.inputs[0].rank());
          std::vector<int> inverse(perm.size());
          for (size_t i = 0; i < perm.size(); ++i) inverse[perm[i]] = static_cast<int>(i);
          return std::vector<Tensor>{transpose(c.output_grads[0], inverse)};
        })
        .Doc("permutes dims: out dim i is input dim perm[i]; empty perm reverses")
        .Build();

// ---- expand_dims / squeeze ----------------------------------------------------------------
absl::StatusOr<SpecList> InferExpandDims(const InferContext& ctx) {
  Shape out = ctx.input(0).shape;
  absl::StatusOr<int> axis = NormalizeInsertAxis(ctx.op, AxisAttr(ctx), out);
  if (!axis.ok()) return axis.status();
  out.insert(*axis, 1);
  return SpecList{TensorSpec(out, ctx.input(0).dtype)};
}

const OpDef& kExpandDims = OpBuilder("expand_dims")
                               .Inputs({"x"})
                               .Outputs({"y"})
                               .Attr("axis", AttrKind::kInt)
                               .Traits(kShapeOnly)
                               .Infer(InferExpandDims)
                               .KernelAllocatesOutputs()
                               .Gradient(ReshapeBackGrad)
                               .Doc("inserts a size-1 dim at axis in [-rank-1, rank]; zero-copy")
                               .Build();

absl::StatusOr<SpecList> InferSqueeze(const InferContext& ctx) {
  const Shape& in = ctx.input(0).shape;
  std::vector<bool> drop(in.rank(), false);
  const std::vector<int64_t>& axes = ctx.attr<Ints>("axes");
  // With no axes only dims known to be 1 go (an unknown dim is kept: its rank must stay static).
  if (axes.empty())
    for (int i = 0; i < in.rank(); ++i) drop[i] = in[i] == 1;
  for (int64_t a : axes) {
    absl::StatusOr<int> axis = NormalizeAxis(ctx.op, a, in.rank(), in);
    if (!axis.ok()) return axis.status();
    if (in[*axis] >= 0 && in[*axis] != 1)
      return OpError(ctx.op, "cannot squeeze axis ", a, " of shape ", in.to_string(),
                     ": its size is ", in[*axis], ", not 1");
    drop[*axis] = true;
  }
  Shape out;
  for (int i = 0; i < in.rank(); ++i)
    if (!drop[i]) out.push_back(in[i]);
  return SpecList{TensorSpec(out, ctx.input(0).dtype)};
}

const OpDef& kSqueeze = OpBuilder("squeeze")
                            .Inputs({"x"})
                            .Outputs({"y"})
                            .Attr("axes", AttrKind::kInts)
                            .Traits(kShapeOnly)
                            .Infer(InferSqueeze)
                            .KernelAllocatesOutputs()
                            .Gradient(ReshapeBackGrad)
                            .Doc("removes size-1 dims (the given axes, or all); zero-copy")
                            .Build();

// ---- concat / stack -----------------------------------------------------------------------
absl::StatusOr<SpecList> InferConcat(const InferContext& ctx) {
  const Shape& first = ctx.input(0).shape;
  if (first.rank() == 0) return OpError(ctx.op, "cannot concatenate scalars (shape ()); use stack");
  absl::StatusOr<int> axis = NormalizeAxis(ctx.op, AxisAttr(ctx), first.rank(), first);
  if (!axis.ok()) return axis.status();
  Shape out = first;
  for (size_t i = 1; i < ctx.inputs.size(); ++i) {
    const Shape& s = ctx.input(i).shape;
    bool ok = s.rank() == first.rank();
    for (int d = 0; ok && d < s.rank(); ++d) {
      if (d == *axis) continue;
      if (out[d] < 0)
        out[d] = s[d];  // an unknown dim learns its size from another input
      else
        ok = s[d] < 0 || s[d] == out[d];
    }
    if (!ok)
      return OpError(ctx.op, "input ", i, " has shape ", s.to_string(), " but input 0 has shape ",
                     first.to_string(), "; all dims except axis ", *axis, " must match");
    if (out[*axis] < 0 || s[*axis] < 0)
      out[*axis] = -1;
    else if (__builtin_add_overflow(out[*axis], s[*axis], &out[*axis]))
      return OpError(ctx.op, "the inputs' sizes along axis ", *axis, " add up past int64 (input ",
                     i, " has shape ", s.to_string(), ")");
  }
  return SpecList{TensorSpec(out, ctx.input(0).dtype)};
}

// Gradient of concat and stack: dy cut back into one slab per input along the (normalized)
// joining axis; stack's slabs have a size-1 axis that the reshape drops.
std::vector<Tensor> SplitGrad(const GradContext& c, bool stacked) {
  const Tensor& dy = c.output_grads[0];
  int64_t a = AxisAttr(c);
  int axis = static_cast<int>(a < 0 ? a + dy.rank() : a);
  std::vector<int64_t> begin(dy.rank(), 0);
  std::vector<Tensor> grads;
  for (const Tensor& x : c.inputs) {
    std::vector<int64_t> size = dy.shape().dims();
    size[axis] = stacked ? 1 : x.shape()[axis];
    Tensor piece = slice(dy, begin, size);
    grads.push_back(stacked ? reshape(piece, x.shape()) : piece);
    begin[axis] += size[axis];
  }
  return grads;
}

const OpDef& kConcat =
    OpBuilder("concat")
        .VariadicInput("values")
        .SameDTypes()
        .Outputs({"y"})
        .Attr("axis", AttrKind::kInt)
        .Traits(kShapeOnly)
        .Infer(InferConcat)
        .Gradient([](const GradContext& c) { return SplitGrad(c, /*stacked=*/false); })
        .Doc("joins tensors along an existing axis")
        .Build();

absl::StatusOr<SpecList> InferStack(const InferContext& ctx) {
  Shape out = ctx.input(0).shape;
  for (size_t i = 1; i < ctx.inputs.size(); ++i) {
    const Shape& s = ctx.input(i).shape;
    bool ok = s.rank() == out.rank();
    for (int d = 0; ok && d < s.rank(); ++d) {
      if (out[d] < 0)
        out[d] = s[d];
      else
        ok = s[d] < 0 || s[d] == out[d];
    }
    if (!ok)
      return OpError(ctx.op, "all inputs must have the same shape: input 0 is ",
                     ctx.input(0).shape.to_string(), ", input ", i, " is ", s.to_string());
  }
  absl::StatusOr<int> axis = NormalizeInsertAxis(ctx.op, AxisAttr(ctx), out);
  if (!axis.ok()) return axis.status();
  out.insert(*axis, static_cast<int64_t>(ctx.inputs.size()));
  return SpecList{TensorSpec(out, ctx.input(0).dtype)};
}

const OpDef& kStack =
    OpBuilder("stack")
        .VariadicInput("values")
        .SameDTypes()
        .Outputs({"y"})
        .Attr("axis", AttrKind::kInt)
        .Traits(kShapeOnly)
        .Infer(InferStack)
        .Gradient([](const GradContext& c) { return SplitGrad(c, /*stacked=*/true); })
        .Doc("joins same-shaped tensors along a new axis")
        .Build();

// ---- slice --------------------------------------------------------------------------------
absl::StatusOr<SpecList> InferSlice(const InferContext& ctx) {
  const Shape& in = ctx.input(0).shape;
  const std::vector<int64_t>& begin = ctx.attr<Ints>("begin");
  const std::vector<int64_t>& size = ctx.attr<Ints>("size");
  if (static_cast<int>(begin.size()) != in.rank() || static_cast<int>(size.size()) != in.rank())
    return OpError(ctx.op, "begin ", IntsToString(begin), " and size ", IntsToString(size),
                   " must each have ", in.rank(), " entries (one per dim of shape ", in.to_string(),
                   ")");
  Shape out;
  for (int d = 0; d < in.rank(); ++d) {
    int64_t dim = in[d], b = begin[d], s = size[d];
    bool ok = b >= 0 && s >= -1 &&
              (dim < 0 || (b <= dim && (s == -1 || s <= dim - b)));  // no b + s overflow
    if (!ok)
      return OpError(ctx.op, "begin[", d, "] = ", b, " with size[", d, "] = ", s,
                     " is out of range for dim ", d, " of shape ", in.to_string());
    out.push_back(s >= 0 ? s : dim < 0 ? -1 : dim - b);
  }
  return SpecList{TensorSpec(out, ctx.input(0).dtype)};
}

const OpDef& kSlice = OpBuilder("slice")
                          .Inputs({"x"})
                          .Outputs({"y"})
                          .Attr("begin", AttrKind::kInts)
                          .Attr("size", AttrKind::kInts)
                          .Traits(kShapeOnly)
                          .Infer(InferSlice)
                          .Gradient([](const GradContext& c) {
                            // dy lands back at `begin`; everything outside the slice gets zero.
                            const Shape& in = c.inputs[0].shape();
                            const Shape& out = c.outputs[0].shape();
                            const std::vector<int64_t>& begin = c.attr<Ints>("begin");
                            std::vector<int64_t> paddings;
                            for (int d = 0; d < in.rank(); ++d) {
                              paddings.push_back(begin[d]);
                              paddings.push_back(in[d] - begin[d] - out[d]);
                            }
                            return std::vector<Tensor>{pad(c.output_grads[0], paddings)};
                          })
                          .Doc("TF's slice: size -1 runs to the end of the dim")
                          .Build();

// ---- pad ----------------------------------------------------------------------------------
absl::StatusOr<SpecList> InferPad(const InferContext& ctx) {
  const Shape& in = ctx.input(0).shape;
  const std::vector<int64_t>& paddings = ctx.attr<Ints>("paddings");
  if (static_cast<int>(paddings.size()) != 2 * in.rank())
    return OpError(ctx.op, "paddings ", IntsToString(paddings), " must have ", 2 * in.rank(),
                   " entries (before and after for each dim of shape ", in.to_string(), ")");
  Shape out;
  for (int d = 0; d < in.rank(); ++d) {
    int64_t before = paddings[2 * d], after = paddings[2 * d + 1];
    if (before < 0 || after < 0)
      return OpError(ctx.op, "paddings ", IntsToString(paddings), " for shape ", in.to_string(),
                     " must be >= 0, got ", before, ", ", after, " for dim ", d);
    int64_t padded = -1;
    if (in[d] >= 0 && (__builtin_add_overflow(before, in[d], &padded) ||
                       __builtin_add_overflow(padded, after, &padded)))
      return OpError(ctx.op, "paddings ", IntsToString(paddings), " for shape ", in.to_string(),
                     " overflow int64 in dim ", d);
    out.push_back(padded);
  }
  return SpecList{TensorSpec(out, ctx.input(0).dtype)};
}

const OpDef& kPad =
    OpBuilder("pad")
        .Inputs({"x"})
        .Outputs({"y"})
        .Attr("paddings", AttrKind::kInts)
        .Traits(kShapeOnly)
        .Infer(InferPad)
        .Gradient([](const GradContext& c) {
          const std::vector<int64_t>& paddings = c.attr<Ints>("paddings");
          std::vector<int64_t> begin;
          for (int d = 0; d < c.inputs[0].rank(); ++d) begin.push_back(paddings[2 * d]);
          return std::vector<Tensor>{slice(c.output_grads[0], begin, c.inputs[0].shape().dims())};
        })
        .Doc("constant zero padding: paddings = [before_0, after_0, before_1, after_1, ...]")
        .Build();

// ---- gather -------------------------------------------------------------------------------
absl::StatusOr<SpecList> InferGather(const InferContext& ctx) {
  const Shape& params = ctx.input(0).shape;
  if (params.rank() == 0) return OpError(ctx.op, "params must have rank >= 1, got shape ()");
  absl::StatusOr<int> axis = NormalizeAxis(ctx.op, AxisAttr(ctx), params.rank(), params);
  if (!axis.ok()) return axis.status();
  Shape out;
  for (int d = 0; d < *axis; ++d) out.push_back(params[d]);
  for (int64_t d : ctx.input(1).shape) out.push_back(d);
  for (int d = *axis + 1; d < params.rank(); ++d) out.push_back(params[d]);
  return SpecList{TensorSpec(out, ctx.input(0).dtype)};
}

const OpDef& kGather =
    OpBuilder("gather")
        .Input("params")
        .Input("indices", kIndexDTypes)
        .Outputs({"y"})
        .Attr("axis", AttrKind::kInt)
        .Traits(kShapeOnly)
        .Infer(InferGather)
        .Gradient([](const GradContext& c) {
          // Each picked row's gradient is summed back into the row it came from.
          const Tensor& params = c.inputs[0];
          int64_t a = AxisAttr(c);
          int axis = static_cast<int>(a < 0 ? a + params.rank() : a);
          if (params.shape()[axis] <
              0)  // unknown while tracing (a loop's stack): sized at run time
            return std::vector<Tensor>{
                scatter_add_like(c.output_grads[0], c.inputs[1], params, axis), Tensor()};
          return std::vector<Tensor>{
              scatter_add(c.output_grads[0], c.inputs[1], axis, params.shape()[axis]), Tensor()};
        })
        .Doc("picks slices of params along axis; out-of-range indices are an error")
        .Build();

// ---- scatter_add --------------------------------------------------------------------------
// updates: out.shape[:axis] + indices.shape + out.shape[axis+1:]; out.shape[axis] = dim_size.
// Shared by scatter_add_like, which takes dim_size from its `like` input.
absl::StatusOr<SpecList> InferScatterAddWith(const InferContext& ctx, int64_t axis_attr,
                                             int64_t dim_size) {
  const Shape& upd = ctx.input(0).shape;
  const Shape& idx = ctx.input(1).shape;
  int out_rank = upd.rank() - idx.rank() + 1;
  if (out_rank < 1)
    return OpError(ctx.op, "updates ", upd.to_string(), " must have at least the rank of indices ",
                   idx.to_string());
  if (axis_attr < -out_rank || axis_attr >= out_rank)
    return OpError(ctx.op, "axis ", axis_attr, " is out of range [", -out_rank, ", ", out_rank,
                   ") for an output of rank ", out_rank, " (updates ", upd.to_string(),
                   ", indices ", idx.to_string(), ")");
  int axis = static_cast<int>(axis_attr < 0 ? axis_attr + out_rank : axis_attr);
  for (int d = 0; d < idx.rank(); ++d)
    if (upd[axis + d] >= 0 && idx[d] >= 0 && upd[axis + d] != idx[d])
      return OpError(ctx.op, "updates ", upd.to_string(), " must have the indices' shape ",
                     idx.to_string(), " at dims [", axis, ", ", axis + idx.rank(), ")");
  if (dim_size < 0) return OpError(ctx.op, "dim_size must be >= 0, got ", dim_size);
  Shape out;
  for (int d = 0; d < axis; ++d) out.push_back(upd[d]);
  out.push_back(dim_size);
  for (int d = axis + idx.rank(); d < upd.rank(); ++d) out.push_back(upd[d]);
  return SpecList{TensorSpec(out, ctx.input(0).dtype)};
}

absl::StatusOr<SpecList> InferScatterAdd(const InferContext& ctx) {
  return InferScatterAddWith(ctx, AxisAttr(ctx), ctx.attr<int64_t>("dim_size"));
}

const OpDef& kScatterAdd =
    OpBuilder("scatter_add")
        .Input("updates")
        .Input("indices", kIndexDTypes)
        .Outputs({"y"})
        .Attr("axis", AttrKind::kInt)
        .Attr("dim_size", AttrKind::kInt)
        .Infer(InferScatterAdd)
        .Gradient([](const GradContext& c) {
          return std::vector<Tensor>{
              gather(c.output_grads[0], c.inputs[1], static_cast<int>(AxisAttr(c))), Tensor()};
        })
        .Doc(
            "zeros of dim_size rows at axis, plus each updates slice added at row indices[...] "
            "(gather's gradient)")
        .Build();

// ---- scatter_add_like -----------------------------------------------------------------------
// scatter_add with dim_size taken from `like` (its values unused): shape-checked like scatter_add.
absl::StatusOr<SpecList> InferScatterAddLike(const InferContext& ctx) {
  const Shape& like = ctx.input(2).shape;
  int64_t axis_attr = AxisAttr(ctx);
  int rank = like.rank();
  if (axis_attr < -rank || axis_attr >= rank)
    return OpError(ctx.op, "axis ", axis_attr, " is out of range for like ", like.to_string());
  int axis = static_cast<int>(axis_attr < 0 ? axis_attr + rank : axis_attr);
  absl::StatusOr<SpecList> specs =
      InferScatterAddWith(InferContext{ctx.op, ctx.inputs.subspan(0, 2), ctx.attrs}, axis_attr,
                          like[axis] < 0 ? int64_t{0} : like[axis]);
  if (!specs.ok()) return specs.status();
  if ((*specs)[0].shape.rank() != rank)
    return OpError(ctx.op, "updates ", ctx.input(0).shape.to_string(), " and indices ",
                   ctx.input(1).shape.to_string(), " do not scatter into like ", like.to_string());
  (*specs)[0].shape[axis] = like[axis];
  return specs;
}

const OpDef& kScatterAddLike =
    OpBuilder("scatter_add_like")
        .Input("updates")
        .Input("indices", kIndexDTypes)
        .Input("like")
        .Outputs({"y"})
        .Attr("axis", AttrKind::kInt)
        .Infer(InferScatterAddLike)
        .Gradient([](const GradContext& c) {
          return std::vector<Tensor>{
              gather(c.output_grads[0], c.inputs[1], static_cast<int>(AxisAttr(c))), Tensor(),
              Tensor()};
        })
        .Doc(
            "scatter_add shaped like `like` (gather's gradient when the gathered dim is unknown "
            "while tracing)")
        .Build();

// ---- one_hot ------------------------------------------------------------------------------
absl::StatusOr<SpecList> InferOneHot(const InferContext& ctx) {
  int64_t depth = ctx.attr<int64_t>("depth");
  if (depth < 0)
    return OpError(ctx.op, "depth must be >= 0, got ", depth, " (indices ",
                   ctx.input(0).shape.to_string(), ")");
  Shape out = ctx.input(0).shape;
  out.push_back(depth);
  return SpecList{TensorSpec(out, DType::kFloat32)};
}

const OpDef& kOneHot = OpBuilder("one_hot")
                           .Inputs({"indices"}, kIndexDTypes)
                           .Outputs({"y"})
                           .Attr("depth", AttrKind::kInt)
                           .Infer(InferOneHot)
                           .NotDifferentiable()
                           .Doc("float32 one-hot rows; out-of-range indices give all-zero rows")
                           .Build();

// Variadic ops check for an empty list here so the message reads well from user code.
Tensor CallJoin(const OpDef& op, const std::vector<Tensor>& xs, int axis, const Loc& loc) {
  if (xs.empty())
    ThrowError(
        absl::InvalidArgumentError(absl::StrCat("[", op.name, "] needs at least one tensor")), loc);
  return Call(op, absl::MakeConstSpan(xs), MakeAttrs(op, {{"axis", int64_t{axis}}}), loc);
}

}  // namespace

Tensor reshape(const Tensor& x, const Shape& shape, const Loc& loc) {
  return Call(kReshape, {x}, MakeAttrs(kReshape, {{"shape", shape}}), loc);
}
Tensor transpose(const Tensor& x, std::vector<int> perm, const Loc& loc) {
  return Call(kTranspose, {x}, MakeAttrs(kTranspose, {{"perm", ToInt64(perm)}}), loc);
}
Tensor expand_dims(const Tensor& x, int axis, const Loc& loc) {
  return Call(kExpandDims, {x}, MakeAttrs(kExpandDims, {{"axis", int64_t{axis}}}), loc);
}
Tensor squeeze(const Tensor& x, std::vector<int> axes, const Loc& loc) {
  return Call(kSqueeze, {x}, MakeAttrs(kSqueeze, {{"axes", ToInt64(axes)}}), loc);
}
Tensor concat(const std::vector<Tensor>& xs, int axis, const Loc& loc) {
  return CallJoin(kConcat, xs, axis, loc);
}
Tensor stack(const std::vector<Tensor>& xs, int axis, const Loc& loc) {
  return CallJoin(kStack, xs, axis, loc);
}
Tensor slice(const Tensor& x, std::vector<int64_t> begin, std::vector<int64_t> size,
             const Loc& loc) {
  return Call(kSlice, {x},
              MakeAttrs(kSlice, {{"begin", std::move(begin)}, {"size", std::move(size)}}), loc);
}
Tensor pad(const Tensor& x, std::vector<int64_t> paddings, const Loc& loc) {
  return Call(kPad, {x}, MakeAttrs(kPad, {{"paddings", std::move(paddings)}}), loc);
}
Tensor gather(const Tensor& params, const Tensor& indices, int axis, const Loc& loc) {
  return Call(kGather, {params, indices}, MakeAttrs(kGather, {{"axis", int64_t{axis}}}), loc);
}
Tensor scatter_add(const Tensor& updates, const Tensor& indices, int axis, int64_t dim_size,
                   const Loc& loc) {
  return Call(kScatterAdd, {updates, indices},
              MakeAttrs(kScatterAdd, {{"axis", int64_t{axis}}, {"dim_size", dim_size}}), loc);
}
Tensor scatter_add_like(const Tensor& updates, const Tensor& indices, const Tensor& like, int axis,
                        const Loc& loc) {
  return Call(kScatterAddLike, {updates, indices, like},
              MakeAttrs(kScatterAddLike, {{"axis", int64_t{axis}}}), loc);
}
Tensor one_hot(const Tensor& indices, int depth, const Loc& loc) {
  return Call(kOneHot, {indices}, MakeAttrs(kOneHot, {{"depth", int64_t{depth}}}), loc);
}

}  // namespace duet
