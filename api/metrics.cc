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

Tensor Mean::result() const {
  return constant(count_ ? static_cast<float>(total_ / static_cast<double>(count_)) : 0.f);
}

Tensor Metric::result() const {
  return constant(
      count_ ? static_cast<float>(static_cast<double>(matches_) / static_cast<double>(count_))
             : 0.f);
}

void Accuracy::update_state(const Tensor& y_true, const Tensor& y_pred, const Loc& loc) {
  if (!y_true.defined() || !y_pred.defined())
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[metrics::Accuracy] ", y_true.defined() ? "y_pred" : "y_true",
                                " is an undefined tensor (e.g. a gradient that does not exist)")),
               loc);
  if (y_true.shape() != y_pred.shape())
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[metrics::Accuracy] y_true ", y_true.spec().to_string(),
                                " and y_pred ", y_pred.spec().to_string(), " differ in shape")),
               loc);
  std::vector<double> a = cast(y_true, DType::kFloat64, loc).to_vector<double>(loc);
  std::vector<double> b = cast(y_pred, DType::kFloat64, loc).to_vector<double>(loc);
  int64_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) matches += a[i] == b[i];
  Count(matches, static_cast<int64_t>(a.size()));
}

void SparseCategoricalAccuracy::update_state(const Tensor& labels, const Tensor& logits,
                                             const Loc& loc) {
  if (logits.rank() != 2 || labels.rank() != 1 || labels.shape()[0] != logits.shape()[0] ||
      !IsInteger(labels.dtype()))
    ThrowError(absl::InvalidArgumentError(absl::StrCat(
                   "[metrics::SparseCategoricalAccuracy] expects integer labels "
                   "(batch,) and logits (batch, classes), got labels ",
                   labels.spec().to_string(), " and logits ", logits.spec().to_string())),
               loc);
  std::vector<int64_t> want = cast(labels, DType::kInt64, loc).to_vector<int64_t>(loc);
  std::vector<int64_t> got = argmax(logits, -1, loc).to_vector<int64_t>(loc);
  int64_t matches = 0;
  for (size_t i = 0; i < want.size(); ++i) matches += want[i] == got[i];
  Count(matches, static_cast<int64_t>(want.size()));
}

std::unique_ptr<Metric> FromName(const std::string& name, bool sparse_labels) {
  if (name == "sparse_categorical_accuracy")
    return std::make_unique<SparseCategoricalAccuracy>(name);
  if (name == "accuracy" || name == "acc") {
    if (sparse_labels) return std::make_unique<SparseCategoricalAccuracy>("accuracy");
    return std::make_unique<Accuracy>("accuracy");
  }
  return nullptr;
}

}  // namespace duet::metrics
