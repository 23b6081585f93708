#include "api/layers/dropout.h"

#include "absl/strings/str_cat.h"
#include "kernels/cast_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/operators.h"
#include "kernels/random_ops.h"
#include "runtime/context.h"

namespace duet::layers {
namespace {

int64_t MixSeed(int64_t seed, int64_t n) {
  uint64_t z = static_cast<uint64_t>(seed) * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(n);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return static_cast<int64_t>((z ^ (z >> 31)) >> 1);  // non-negative: -1 means "unseeded"
}

}  // namespace

Dropout::Dropout(double rate, int64_t seed, LayerOptions options, const Loc& loc)
    : Layer("dropout", std::move(options)), rate_(rate), mask_seed_(seed) {
  if (!(rate >= 0.0 && rate < 1.0))
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[", name(), "] rate must be in [0, 1), got ", rate)),
               loc);
}

Tensor Dropout::call(const Tensor& x, bool training) {
  if (!training || rate_ == 0.0) return x;
  if (!IsFloating(x.dtype()))
    Fail(absl::StrCat("input must be floating point, got ", DTypeName(x.dtype())));
  if (!x.shape().fully_defined())
    Fail(absl::StrCat("needs a fully known input shape to draw a mask, got ",
                      x.shape().to_string()));
  int64_t seed = -1;
  if (mask_seed_ >= 0 && executing_eagerly()) seed = MixSeed(mask_seed_, calls_++);
  DType draw = x.dtype() == DType::kFloat64 ? DType::kFloat64 : DType::kFloat32;
  Tensor keep = random::uniform(x.shape(), 0.f, 1.f, seed, draw, call_loc()) >= rate_;
  return where(keep, x * (1.0 / (1.0 - rate_)), 0.0, call_loc());
}

}  // namespace duet::layers
