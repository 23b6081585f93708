#include "tools/examples/fashion_mnist/experiment.h"

#include <chrono>
#include <memory>

#include "tools/examples/fashion_mnist/models.h"

namespace duet::examples {
namespace {

using Clock = std::chrono::steady_clock;

// Restores run_functions_eagerly's previous value when a run ends, also by an exception.
class EagerScope {
 public:
  explicit EagerScope(bool eager) : before_(config::functions_run_eagerly()) {
    config::run_functions_eagerly(eager);
  }
  ~EagerScope() { config::run_functions_eagerly(before_); }
  EagerScope(const EagerScope&) = delete;
  EagerScope& operator=(const EagerScope&) = delete;

 private:
  bool before_;
};

CompileOptions Adam(const RunOptions& options) {
  return {.optimizer = std::make_shared<optimizers::Adam>(options.learning_rate),
          .loss = losses::sparse_softmax_cross_entropy,
          .metrics = {"accuracy"}};
}

}  // namespace

Data LoadData(const std::string& dir) {
  auto [train_images, train_labels] = data::fashion_mnist::load_train(dir);
  auto [test_images, test_labels] = data::fashion_mnist::load_test(dir);
  return {train_images, train_labels, test_images, test_labels};
}

Result TrainAndRestore(const RunOptions& options, const Data& d) {
  EagerScope eager(options.eager);
  Result r{.model = options.model, .mode = options.eager ? "eager" : "compiled"};
  const std::string name = r.model + "_" + r.mode;
  r.logdir = options.out_dir + "/logs/" + name;
  auto train = data::Dataset::from_tensor_slices({d.train_images, d.train_labels})
                   .shuffle(60000, /*seed=*/1)
                   .batch(options.batch_size)
                   .prefetch(2);
  auto test = data::Dataset::from_tensor_slices({d.test_images, d.test_labels}).batch(1000);

  Sequential model = MakeModel(options.model, /*seed=*/1);
  CompileOptions compile = Adam(options);
  std::shared_ptr<optimizers::Optimizer> optimizer = compile.optimizer;
  model.compile(std::move(compile));
  summary::FileWriter writer(r.logdir);
  Clock::time_point epoch_start = Clock::now();
  History h = model.fit(train, {.epochs = options.epochs,
                                .validation_data = &test,
                                .verbose = options.verbose,
                                .on_epoch_end =
                                    [&](int, const std::map<std::string, float>&) {
                                      Clock::time_point now = Clock::now();
                                      r.epoch_seconds.push_back(
                                          std::chrono::duration<double>(now - epoch_start).count());
                                      epoch_start = now;
                                    },
                                .writer = &writer,
                                .log_every_n_steps = 100});
  r.val_accuracy = h.history["val_accuracy"];
  std::map<std::string, float> trained = model.evaluate(test);
  r.test_accuracy = trained["accuracy"];
  r.test_loss = trained["loss"];
  r.checkpoint = train::Checkpoint({{"model", model}, {"optimizer", *optimizer}})
                     .save(options.out_dir + "/checkpoints/" + name + "/");

  // A fresh model with other initial weights: restore first (deferred: it has no variables
  // yet), then the first call builds it and the saved values are assigned.
  Sequential fresh = MakeModel(options.model, /*seed=*/1000);
  CompileOptions fresh_compile = Adam(options);
  train::Checkpoint({{"model", fresh}, {"optimizer", *fresh_compile.optimizer}})
      .restore(r.checkpoint);
  fresh(zeros({1, 28, 28, 1}));
  fresh.compile(std::move(fresh_compile));
  std::map<std::string, float> restored = fresh.evaluate(test);
  r.restored_accuracy = restored["accuracy"];
  r.restored_loss = restored["loss"];
  return r;
}

}  // namespace duet::examples
