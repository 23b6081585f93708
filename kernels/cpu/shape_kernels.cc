// CPU kernels of the shape ops (kernels/shape_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "absl/container/inlined_vector.h"
#include "kernels/cpu/copy_loops.h"
#include "kernels/cpu/scatter_loops.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

template <class Ctx>
int64_t AxisAttr(const Ctx& c) {
  return c.template attr<int64_t>("axis");
}

// The attr's perm, or the reversed dims when empty.
std::vector<int64_t> ResolvePerm(const std::vector<int64_t>& perm, int rank) {
  if (!perm.empty()) return perm;
  std::vector<int64_t> rev(rank);
  for (int i = 0; i < rank; ++i) rev[i] = rank - 1 - i;
  return rev;
}

// Product of dims in [from, to); -1 if any is unknown.
int64_t Product(const Shape& s, int from, int to) {
  int64_t n = 1;
  for (int i = from; i < to; ++i) {
    if (s[i] < 0) return -1;
    n *= s[i];
  }
  return n;
}

// Zero-copy ops: the output shares the input's buffer under the inferred shape.
absl::Status ViewKernel(KernelContext& ctx) {
  ctx.outputs[0] = Tensor::View(ctx.inputs[0], ctx.output_specs[0].shape);
  return absl::OkStatus();
}

absl::Status TransposeKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  std::vector<int64_t> perm = ResolvePerm(ctx.attr<Ints>("perm"), x.rank());
  cpu::TransposeBytes(x.raw_data(), ctx.outputs[0].mutable_raw_data(), x.shape(), perm,
                      SizeOf(x.dtype()));
  return absl::OkStatus();
}

// Concat of inputs viewed as (outer, chunk_k): chunk_k covers input k's dims from `axis` on.
absl::Status JoinKernel(KernelContext& ctx, int axis) {
  size_t elem = SizeOf(ctx.inputs[0].dtype());
  absl::InlinedVector<const void*, 8> srcs;
  absl::InlinedVector<size_t, 8> chunks;
  for (const Tensor& t : ctx.inputs) {
    srcs.push_back(t.raw_data());
    chunks.push_back(static_cast<size_t>(Product(t.shape(), axis, t.rank())) * elem);
  }
  const Shape& shape = ctx.inputs[0].shape();
  cpu::InterleaveChunks(srcs, chunks, Product(shape, 0, axis), ctx.outputs[0].mutable_raw_data());
  return absl::OkStatus();
}

absl::Status ConcatKernel(KernelContext& ctx) {
  int rank = ctx.inputs[0].rank();
  int64_t axis = AxisAttr(ctx);
  return JoinKernel(ctx, static_cast<int>(axis < 0 ? axis + rank : axis));
}

absl::Status StackKernel(KernelContext& ctx) {
  int rank = ctx.inputs[0].rank();
  int64_t axis = AxisAttr(ctx);
  return JoinKernel(ctx, static_cast<int>(axis < 0 ? axis + rank + 1 : axis));
}

absl::Status SliceKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  const Shape& out = ctx.output_specs[0].shape;
  cpu::SliceBytes(x.raw_data(), ctx.outputs[0].mutable_raw_data(), x.shape(),
                  ctx.attr<Ints>("begin"), absl::MakeConstSpan(out.data(), out.rank()),
                  SizeOf(x.dtype()));
  return absl::OkStatus();
}

absl::Status PadKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  const std::vector<int64_t>& paddings = ctx.attr<Ints>("paddings");
  std::vector<int64_t> before;
  for (int d = 0; d < x.rank(); ++d) before.push_back(paddings[2 * d]);
  cpu::PadBytes(x.raw_data(), ctx.outputs[0].mutable_raw_data(), x.shape(),
                ctx.output_specs[0].shape, before, SizeOf(x.dtype()));
  return absl::OkStatus();
}

template <class I>
absl::Status GatherTyped(KernelContext& ctx, int axis) {
  const Tensor& params = ctx.inputs[0];
  const Tensor& indices = ctx.inputs[1];
  const I* idx = indices.data<I>();
  int64_t n = indices.num_elements(), dim = params.shape()[axis];
  for (int64_t i = 0; i < n; ++i)
    if (idx[i] < 0 || idx[i] >= dim)
      return OpError(ctx.op, "indices[", i, "] = ", idx[i], " is out of range [0, ", dim,
                     ") for axis ", axis, " of params ", params.shape().to_string());
  size_t chunk = static_cast<size_t>(Product(params.shape(), axis + 1, params.rank())) *
                 SizeOf(params.dtype());
  cpu::GatherChunks(params.raw_data(), idx, n, Product(params.shape(), 0, axis), dim, chunk,
                    ctx.outputs[0].mutable_raw_data());
  return absl::OkStatus();
}

absl::Status GatherKernel(KernelContext& ctx) {
  int rank = ctx.inputs[0].rank();
  int64_t a = AxisAttr(ctx);
  int axis = static_cast<int>(a < 0 ? a + rank : a);
  return ctx.inputs[1].dtype() == DType::kInt32 ? GatherTyped<int32_t>(ctx, axis)
                                                : GatherTyped<int64_t>(ctx, axis);
}

template <class T, class I>
absl::Status ScatterAddTyped(KernelContext& ctx, int axis) {
  const Tensor& updates = ctx.inputs[0];
  const Tensor& indices = ctx.inputs[1];
  const Shape& out = ctx.output_specs[0].shape;
  const I* idx = indices.data<I>();
  int64_t n = indices.num_elements(), dim = out[axis];
  for (int64_t i = 0; i < n; ++i)
    if (idx[i] < 0 || idx[i] >= dim)
      return OpError(ctx.op, "indices[", i, "] = ", idx[i], " is out of range [0, ", dim,
                     ") for axis ", axis, " of the output ", out.to_string());
  cpu::ScatterAddRows(updates.data<T>(), idx, n, Product(out, 0, axis), dim,
                      Product(out, axis + 1, out.rank()), ctx.outputs[0].mutable_data<T>());
  return absl::OkStatus();
}

template <class T>
absl::Status ScatterAddKernel(KernelContext& ctx) {
  int rank = ctx.output_specs[0].shape.rank();
  int64_t a = AxisAttr(ctx);
  int axis = static_cast<int>(a < 0 ? a + rank : a);
  return ctx.inputs[1].dtype() == DType::kInt32 ? ScatterAddTyped<T, int32_t>(ctx, axis)
                                                : ScatterAddTyped<T, int64_t>(ctx, axis);
}

template <class I>
void OneHotTyped(const Tensor& indices, int64_t depth, float* out) {
  const I* idx = indices.data<I>();
  int64_t n = indices.num_elements();
  if (n > 0 && depth > 0) std::memset(out, 0, static_cast<size_t>(n * depth) * sizeof(float));
  for (int64_t i = 0; i < n; ++i)
    if (idx[i] >= 0 && idx[i] < depth) out[i * depth + idx[i]] = 1.f;
}

absl::Status OneHotKernel(KernelContext& ctx) {
  int64_t depth = ctx.attr<int64_t>("depth");
  float* out = ctx.outputs[0].mutable_data<float>();
  if (ctx.inputs[0].dtype() == DType::kInt32)
    OneHotTyped<int32_t>(ctx.inputs[0], depth, out);
  else
    OneHotTyped<int64_t>(ctx.inputs[0], depth, out);
  return absl::OkStatus();
}

}  // namespace

DUET_REGISTER_KERNEL("reshape", DeviceType::kCPU, kAnyDType, ViewKernel);
DUET_REGISTER_KERNEL("expand_dims", DeviceType::kCPU, kAnyDType, ViewKernel);
DUET_REGISTER_KERNEL("squeeze", DeviceType::kCPU, kAnyDType, ViewKernel);
DUET_REGISTER_KERNEL("transpose", DeviceType::kCPU, kAnyDType, TransposeKernel);
DUET_REGISTER_KERNEL("concat", DeviceType::kCPU, kAnyDType, ConcatKernel);
DUET_REGISTER_KERNEL("stack", DeviceType::kCPU, kAnyDType, StackKernel);
DUET_REGISTER_KERNEL("slice", DeviceType::kCPU, kAnyDType, SliceKernel);
DUET_REGISTER_KERNEL("pad", DeviceType::kCPU, kAnyDType, PadKernel);
DUET_REGISTER_KERNEL("gather", DeviceType::kCPU, kAnyDType, GatherKernel);
DUET_REGISTER_KERNEL("scatter_add", DeviceType::kCPU, {DType::kFloat32}, ScatterAddKernel<float>);
DUET_REGISTER_KERNEL("scatter_add", DeviceType::kCPU, {DType::kFloat64}, ScatterAddKernel<double>);
DUET_REGISTER_KERNEL("scatter_add", DeviceType::kCPU, {DType::kInt32}, ScatterAddKernel<int32_t>);
DUET_REGISTER_KERNEL("scatter_add", DeviceType::kCPU, {DType::kInt64}, ScatterAddKernel<int64_t>);
DUET_REGISTER_KERNEL("scatter_add_like", DeviceType::kCPU, {DType::kFloat32},
                     ScatterAddKernel<float>);
DUET_REGISTER_KERNEL("scatter_add_like", DeviceType::kCPU, {DType::kFloat64},
                     ScatterAddKernel<double>);
DUET_REGISTER_KERNEL("scatter_add_like", DeviceType::kCPU, {DType::kInt32},
                     ScatterAddKernel<int32_t>);
DUET_REGISTER_KERNEL("scatter_add_like", DeviceType::kCPU, {DType::kInt64},
                     ScatterAddKernel<int64_t>);
DUET_REGISTER_KERNEL("one_hot", DeviceType::kCPU, kIndexDTypes, OneHotKernel);

}  // namespace duet
