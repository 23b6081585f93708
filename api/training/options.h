// The vocabulary of the Keras-style loop: what Model::compile takes (optimizer, loss, metric
// names), what Model::fit takes (epochs, validation data, verbosity, hooks) and what it returns
// (History: one value per epoch for every logged quantity). Kept free of Model and Dataset so
// that the loop itself (trainer.h) is testable on its own and model.h can include this cheaply.
// Example:
//   model.compile({.optimizer = std::make_shared<optimizers::Adam>(0.001),
//                  .loss = losses::sparse_softmax_cross_entropy, .metrics = {"accuracy"}});
//   History h = model.fit(train_ds, {.epochs = 2, .validation_data = &test_ds});
//   h.history["val_accuracy"].back();
//   summary::FileWriter writer("logs/mlp");  model.fit(train_ds, {.epochs = 2, .writer = &writer});
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "api/optimizers.h"
#include "runtime/tensor.h"

namespace duet {

namespace data {
class Dataset;
}  // namespace data
namespace summary {
class FileWriter;
}  // namespace summary

// A loss of (y_true, y_pred): a plain function such as losses::sparse_softmax_cross_entropy
// (whose trailing Loc is defaulted) or any callable of two tensors.
class Loss {
 public:
  Loss() = default;
  template <class F>
  requires std::is_invocable_r_v<Tensor, F, const Tensor&, const Tensor&, const Loc&> Loss(
      F fn)  // NOLINT: losses::... converts
      : fn_([fn](const Tensor& y, const Tensor& p, const Loc& loc) { return fn(y, p, loc); }) {}
  template <class F>
  requires(std::is_invocable_r_v<Tensor, F, const Tensor&, const Tensor&> &&
           !std::is_invocable_r_v<Tensor, F, const Tensor&, const Tensor&, const Loc&>)
      Loss(F fn)  // NOLINT
      : fn_([fn](const Tensor& y, const Tensor& p, const Loc&) { return fn(y, p); }) {}

  Tensor operator()(const Tensor& y_true, const Tensor& y_pred, const Loc& loc) const {
    return fn_(y_true, y_pred, loc);
  }
  explicit operator bool() const { return static_cast<bool>(fn_); }

 private:
  std::function<Tensor(const Tensor&, const Tensor&, const Loc&)> fn_;
};

struct CompileOptions {
  std::shared_ptr<optimizers::Optimizer> optimizer;
  Loss loss;
  // Keras names: "accuracy" (or "acc": sparse or exact-match accuracy, from the labels' rank),
  // "sparse_categorical_accuracy".
  std::vector<std::string> metrics;
};

// Per-epoch values: history["loss"], history["accuracy"], history["val_loss"], ...
struct History {
  std::map<std::string, std::vector<float>> history;
  std::vector<int> epoch;    // 0-based epoch numbers that were (at least partly) run
  bool interrupted = false;  // SIGINT stopped fit early (the last epoch holds the steps it ran)
};

struct FitOptions {
  int epochs = 1;
  const data::Dataset* validation_data = nullptr;
  // 0 silent; 1 a progress bar per epoch on a terminal, one line per epoch otherwise; 2 one line.
  int verbose = 1;
  std::ostream* out = nullptr;       // where progress goes; null = std::cout
  std::optional<bool> progress_bar;  // default: whether `out` is std::cout on a terminal
  // Called after every training step (global step from 1, this step's loss); a test hook too.
  std::function<void(int64_t step, float loss)> on_batch_end;
  // Called after every epoch with the values logged for it (a summary::FileWriter can go here).
  std::function<void(int epoch, const std::map<std::string, float>& logs)> on_epoch_end;
  // TensorBoard logging (Keras' TensorBoard callback): after every epoch each logged value
  // ("loss", "accuracy", "val_loss", ...) as a scalar of that name at step = the 0-based epoch;
  // with log_every_n_steps > 0 also "batch_loss" at every n-th global step (from 1). fit flushes
  // the writer when it returns. Not owned; must outlive fit.
  summary::FileWriter* writer = nullptr;
  int64_t log_every_n_steps = 0;
};

}  // namespace duet
