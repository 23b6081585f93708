// Model::compile / fit / evaluate (declared in api/layers/model.h): the Trainer over the model's
// call and trainable variables, fed from data::Datasets of (x, y) batches.
#include "absl/strings/str_cat.h"
#include "api/data/dataset.h"
#include "api/layers/model.h"
#include "api/training/trainer.h"

namespace duet {
namespace {

training::BatchSource Batches(const data::Dataset& dataset, const char* op, const Loc& loc) {
  int64_t n = dataset.cardinality();
  if (n == data::kInfiniteCardinality)
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[", op,
                                "] the dataset is infinite (repeat() without a count); "
                                "bound it with take(n)")),
               loc);
  return training::BatchSource::Of(dataset, n);
}

}  // namespace

void Model::compile(CompileOptions options, const Loc& loc) {
  trainer_ = std::make_shared<training::Trainer>(
      [this](const Tensor& x, bool training) { return (*this)(x, training); },
      [this] { return trainable_variables(); }, std::move(options), loc);
}

training::Trainer& Model::CompiledTrainer(const char* op, const Loc& loc) const {
  if (!trainer_)
    ThrowError(absl::FailedPreconditionError(
                   absl::StrCat("[", op, "] call compile({.optimizer, .loss}) first")),
               loc);
  return *trainer_;
}

History Model::fit(const data::Dataset& dataset, const FitOptions& options, const Loc& loc) {
  training::Trainer& trainer = CompiledTrainer("fit", loc);
  training::BatchSource train = Batches(dataset, "fit", loc);
  std::optional<training::BatchSource> validation;
  if (options.validation_data) validation = Batches(*options.validation_data, "fit", loc);
  return trainer.Fit(train, options, validation ? &*validation : nullptr, loc);
}

std::map<std::string, float> Model::evaluate(const data::Dataset& dataset, const Loc& loc) {
  training::Trainer& trainer = CompiledTrainer("evaluate", loc);
  return trainer.Evaluate(Batches(dataset, "evaluate", loc), loc);
}

}  // namespace duet
