// Op definitions (CPU kernels: kernels/cpu/random_kernels.cc) of random_normal and random_uniform,
// and the global seed.
#include "kernels/random_ops.h"

#include <atomic>
#include <cmath>

#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "kernels/random_seed.h"
#include "runtime/op_registry.h"

namespace duet::random {
namespace {

template <bool kNormal>
absl::StatusOr<SpecList> InferRandom(const InferContext& ctx) {
  const Shape& shape = ctx.attr<Shape>("shape");
  DType dtype = ctx.attr<DType>("dtype");
  for (int64_t d : shape)
    if (d < 0) return OpError(ctx.op, "shape ", shape.to_string(), " has a negative dimension");
  if (dtype != DType::kFloat32 && dtype != DType::kFloat64)
    return OpError(ctx.op, "dtype must be float32 or float64, got ", DTypeName(dtype));
  double a = ctx.attr<double>("a"), b = ctx.attr<double>("b");
  if (kNormal && !(b >= 0 && std::isfinite(b)))
    return OpError(ctx.op, "stddev must be finite and >= 0, got ", b);
  if (kNormal && !std::isfinite(a)) return OpError(ctx.op, "mean must be finite, got ", a);
  if (!kNormal && !(std::isfinite(a) && std::isfinite(b)))
    return OpError(ctx.op, "lo and hi must be finite, got ", a, " and ", b);
  if (!kNormal && !(a <= b)) return OpError(ctx.op, "lo must be <= hi, got lo=", a, " hi=", b);
  return SpecList{TensorSpec(shape, dtype)};
}

#define DUET_RANDOM(var, name, normal, a, b)                                              \
  const OpDef& var = OpBuilder(name)                                                      \
                         .Outputs({"y"})                                                  \
                         .Attr("shape", AttrKind::kShape)                                 \
                         .Attr("dtype", AttrKind::kDType)                                 \
                         .Attr("seed", AttrKind::kInt)                                    \
                         .Attr("a", AttrKind::kFloat)                                     \
                         .Attr("b", AttrKind::kFloat)                                     \
                         .Traits(kStateful)                                               \
                         .Infer(InferRandom<normal>)                                      \
                         .KernelDTypeFrom(-1)                                             \
                         .NotDifferentiable()                                             \
                         .Doc("a = " a ", b = " b "; seed -1 draws from the global seed") \
                         .Build()

DUET_RANDOM(kRandomNormal, "random_normal", true, "mean", "stddev");
DUET_RANDOM(kRandomUniform, "random_uniform", false, "lo", "hi");
#undef DUET_RANDOM

// a, b: mean and stddev (normal) or lo and hi (uniform).
Attrs RandomAttrs(const OpDef& op, const Shape& shape, DType dtype, int64_t seed, float a,
                  float b) {
  return MakeAttrs(
      op, {{"shape", shape}, {"dtype", dtype}, {"seed", seed}, {"a", double{a}}, {"b", double{b}}});
}

}  // namespace

Tensor normal(const Shape& shape, float mean, float stddev, int64_t seed, DType dtype,
              const Loc& loc) {
  return Call(kRandomNormal, std::initializer_list<Tensor>{},
              RandomAttrs(kRandomNormal, shape, dtype, seed, mean, stddev), loc);
}

Tensor uniform(const Shape& shape, float lo, float hi, int64_t seed, DType dtype, const Loc& loc) {
  return Call(kRandomUniform, std::initializer_list<Tensor>{},
              RandomAttrs(kRandomUniform, shape, dtype, seed, lo, hi), loc);
}

void set_seed(int64_t seed) { SetGlobalSeed(seed); }

}  // namespace duet::random
