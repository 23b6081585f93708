// Op definition (CPU kernel: kernels/cpu/matmul_kernels.cc) of matmul.
#include "kernels/matmul_ops.h"

#include <algorithm>

#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "kernels/shape_ops.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

std::string TransposeNote(bool ta, bool tb) {
  if (!ta && !tb) return "";
  return absl::StrCat(" (transpose_a=", ta ? "true" : "false",
                      ", transpose_b=", tb ? "true" : "false", ")");
}

absl::StatusOr<SpecList> InferMatmul(const InferContext& ctx) {
  const Shape& a = ctx.input(0).shape;
  const Shape& b = ctx.input(1).shape;
  const bool ta = ctx.attr<bool>("transpose_a"), tb = ctx.attr<bool>("transpose_b");
  if (a.rank() < 2)
    return OpError(ctx.op, "input a must have rank >= 2, got shape ", a.to_string());
  if (b.rank() < 2)
    return OpError(ctx.op, "input b must have rank >= 2, got shape ", b.to_string());
  const int ra = a.rank(), rb = b.rank();
  int64_t m = ta ? a[ra - 1] : a[ra - 2], ka = ta ? a[ra - 2] : a[ra - 1];
  int64_t kb = tb ? b[rb - 1] : b[rb - 2], n = tb ? b[rb - 2] : b[rb - 1];
  if (ka >= 0 && kb >= 0 && ka != kb)
    return OpError(ctx.op, "inner dimensions differ: ", a.to_string(), " x ", b.to_string(),
                   TransposeNote(ta, tb));
  Shape out;
  const int batch_rank = std::max(ra, rb) - 2;
  for (int i = 0; i < batch_rank; ++i) {
    int ia = i - (batch_rank - (ra - 2)), ib = i - (batch_rank - (rb - 2));
    int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    if (da == db || db == 1)
      out.push_back(da);
    else if (da == 1)
      out.push_back(db);
    else if (da < 0 || db < 0)
      out.push_back(std::max(da, db));  // an unknown dim broadcasts
    else
      return OpError(ctx.op, "batch dimensions do not broadcast: ", a.to_string(), " x ",
                     b.to_string());
  }
  out.push_back(m);
  out.push_back(n);
  return SpecList{TensorSpec(std::move(out), ctx.input(0).dtype)};
}

// C = op(A) op(B), op = transpose where flagged. Each input's gradient is another matmul of
// dC with the other input (TF's table for the four transpose combinations), summed over the
// batch dims that input was broadcast along. A rank-2 B under a batched, untransposed A (a
// dense layer over a sequence) gets its gradient from one flat matmul instead of a batched
// product and a reduction.
std::vector<Tensor> MatmulGrad(const GradContext& c) {
  const Tensor &a = c.inputs[0], &b = c.inputs[1], &dc = c.output_grads[0];
  const bool ta = c.attr<bool>("transpose_a"), tb = c.attr<bool>("transpose_b");
  Tensor da, db;
  const Shape& as = a.shape();
  if (c.needs(0)) da = SumToShape(!ta ? matmul(dc, b, false, !tb) : matmul(b, dc, tb, true), as);
  if (!c.needs(1)) return {da, db};
  const int ra = as.rank();
  if (b.rank() == 2 && ra > 2 && !ta && as.fully_defined() && dc.shape().fully_defined()) {
    int64_t rows = 1;
    for (int i = 0; i < ra - 1; ++i) rows *= as[i];
    Tensor a2 = reshape(a, Shape{rows, as[ra - 1]});
    Tensor dc2 = reshape(dc, Shape{rows, dc.shape()[ra - 1]});
    db = tb ? matmul(dc2, a2, true, false) : matmul(a2, dc2, true, false);
  } else {
    db = !tb ? matmul(a, dc, !ta, false) : matmul(dc, a, true, ta);
  }
  return {da, SumToShape(db, b.shape())};
}

const OpDef& kMatmul =
    OpBuilder("matmul")
        .Inputs({"a", "b"}, kNumericDTypes)
        .SameDTypes()
        .Outputs({"product"})
        .Attr("transpose_a", AttrKind::kBool)
        .Attr("transpose_b", AttrKind::kBool)
        .Traits(kContraction)
        .Infer(InferMatmul)
        .Gradient(MatmulGrad)
        .Doc("batched matrix product; batch dims broadcast, transposes swap the last two dims")
        .Build();

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b,
              const Loc& loc) {
  return Call(kMatmul, {a, b},
              MakeAttrs(kMatmul, {{"transpose_a", transpose_a}, {"transpose_b", transpose_b}}),
              loc);
}

}  // namespace duet
