#include "api/metrics.h"

#include "absl/strings/str_cat.h"
#include "kernels/cast_ops.h"
#include "kernels/reduce_ops.h"
#include "runtime/tensor_factory.h"

namespace duet::metrics {
namespace {

double SumAsDouble(const Tensor& t, const Loc& loc) {
  return reduce_sum(cast(t, DType::kFloat64, loc), {}, false, loc).item<double>(loc);
}

}  // namespace

void Mean::update_state(const Operand& values, const Loc& loc) {
  Tensor t = ValueOrThrow(values.ToTensor("metrics::Mean"), loc);
  total_ += SumAsDouble(t, loc);
  count_ += t.num_elements();
}

Tensor Mean::result() const { return constant(count_ ? static_cast<float>(total_ / static_cast<double>(count_)) : 0.f); }

void Accuracy::update_state(const Tensor& y_true, const Tensor& y_pred, const Loc& loc) {
  if (!y_true.defined() || !y_pred.defined())
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[metrics::Accuracy] ", y_true.defined() ? "y_pred" : "y_true",
                                                       " is an undefined tensor (e.g. a gradient that does not exist)")),
               loc);
  if (y_true.shape() != y_pred.shape())
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[metrics::Accuracy] y_true ", y_true.spec().to_string(),
                                                       " and y_pred ", y_pred.spec().to_string(), " differ in shape")),
               loc);
  std::vector<double> a = cast(y_true, DType::kFloat64, loc).to_vector<double>(loc);
  std::vector<double> b = cast(y_pred, DType::kFloat64, loc).to_vector<double>(loc);
  for (size_t i = 0; i < a.size(); ++i) matches_ += a[i] == b[i];
  count_ += static_cast<int64_t>(a.size());
}

Tensor Accuracy::result() const {
  return constant(count_ ? static_cast<float>(static_cast<double>(matches_) / static_cast<double>(count_)) : 0.f);
}

}  // namespace duet::metrics
