// Registrations and CPU kernels of random_normal and random_uniform, and the global seed.
#include "kernels/random_ops.h"

#include <atomic>
#include <cmath>

#include "kernels/cpu/random_fill.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "runtime/op_registry.h"

namespace duet::random {
namespace {

constexpr int64_t kDefaultGlobalSeed = 87654321;
std::atomic<int64_t> global_seed{kDefaultGlobalSeed};
std::atomic<uint64_t> call_counter{0};

uint64_t SplitMix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The Philox key of one call: the explicit seed, or a fresh one from the global sequence.
uint64_t KeyFor(int64_t seed) {
  if (seed != -1) return static_cast<uint64_t>(seed);
  uint64_t n = call_counter.fetch_add(1, std::memory_order_relaxed);
  return SplitMix64(SplitMix64(static_cast<uint64_t>(global_seed.load(std::memory_order_relaxed))) +
                    n);
}

// Attrs: shape, dtype, seed, a, b (mean/stddev or lo/hi).
const Shape& ShapeAttr(const Attrs& attrs) { return std::get<Shape>(attrs[0]); }
DType DTypeAttr(const Attrs& attrs) { return std::get<DType>(attrs[1]); }
int64_t SeedAttr(const Attrs& attrs) { return std::get<int64_t>(attrs[2]); }
double AAttr(const Attrs& attrs) { return std::get<double>(attrs[3]); }
double BAttr(const Attrs& attrs) { return std::get<double>(attrs[4]); }

template <bool kNormal>
absl::StatusOr<SpecList> InferRandom(const InferContext& ctx) {
  const Shape& shape = ShapeAttr(ctx.attrs);
  DType dtype = DTypeAttr(ctx.attrs);
  for (int64_t d : shape)
    if (d < 0) return OpError(ctx.op, "shape ", shape.to_string(), " has a negative dimension");
  if (dtype != DType::kFloat32 && dtype != DType::kFloat64)
    return OpError(ctx.op, "dtype must be float32 or float64, got ", DTypeName(dtype));
  double a = AAttr(ctx.attrs), b = BAttr(ctx.attrs);
  if (kNormal && !(b >= 0 && std::isfinite(b)))
    return OpError(ctx.op, "stddev must be finite and >= 0, got ", b);
  if (kNormal && !std::isfinite(a)) return OpError(ctx.op, "mean must be finite, got ", a);
  if (!kNormal && !(std::isfinite(a) && std::isfinite(b)))
    return OpError(ctx.op, "lo and hi must be finite, got ", a, " and ", b);
  if (!kNormal && !(a <= b)) return OpError(ctx.op, "lo must be <= hi, got lo=", a, " hi=", b);
  return SpecList{TensorSpec(shape, dtype)};
}

template <bool kNormal>
absl::Status RandomKernel(KernelContext& ctx) {
  Tensor& out = ctx.outputs[0];
  uint64_t key = KeyFor(SeedAttr(ctx.attrs));
  double a = AAttr(ctx.attrs), b = BAttr(ctx.attrs);
  if (out.dtype() != DType::kFloat32 && out.dtype() != DType::kFloat64)
    return OpError(ctx.op, "no kernel for ", DTypeName(out.dtype()));
  if (kNormal)
    cpu::FillNormal(out, key, a, b);
  else
    cpu::FillUniform(out, key, a, b);
  return absl::OkStatus();
}

#define DUET_RANDOM(var, name, normal, a, b)                                                  \
  const OpDef& var =                                                                          \
      OpBuilder(name)                                                                         \
          .Outputs({"y"})                                                                     \
          .Attr("shape", AttrKind::kShape)                                                    \
          .Attr("dtype", AttrKind::kDType)                                                    \
          .Attr("seed", AttrKind::kInt)                                                       \
          .Attr("a", AttrKind::kFloat)                                                        \
          .Attr("b", AttrKind::kFloat)                                                        \
          .Traits(kStateful)                                                                  \
          .Infer(InferRandom<normal>)                                                         \
          .KernelDTypeFrom(-1)                                                                \
          .Kernel(DeviceType::kCPU, {DType::kFloat32, DType::kFloat64}, RandomKernel<normal>) \
          .NotDifferentiable()                                                                \
          .Doc("a = " a ", b = " b "; seed -1 draws from the global seed")                    \
          .Build()

DUET_RANDOM(kRandomNormal, "random_normal", true, "mean", "stddev");
DUET_RANDOM(kRandomUniform, "random_uniform", false, "lo", "hi");
#undef DUET_RANDOM

Attrs RandomAttrs(const Shape& shape, DType dtype, int64_t seed, float a, float b) {
  return Attrs{AttrValue(shape), AttrValue(dtype), AttrValue(seed), AttrValue(double{a}),
               AttrValue(double{b})};
}

}  // namespace

Tensor normal(const Shape& shape, float mean, float stddev, int64_t seed, DType dtype,
              const Loc& loc) {
  return Call(kRandomNormal, std::initializer_list<Tensor>{},
              RandomAttrs(shape, dtype, seed, mean, stddev), loc);
}

Tensor uniform(const Shape& shape, float lo, float hi, int64_t seed, DType dtype, const Loc& loc) {
  return Call(kRandomUniform, std::initializer_list<Tensor>{},
              RandomAttrs(shape, dtype, seed, lo, hi), loc);
}

void set_seed(int64_t seed) {
  global_seed.store(seed, std::memory_order_relaxed);
  call_counter.store(0, std::memory_order_relaxed);
}

}  // namespace duet::random
