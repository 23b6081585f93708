#include "api/training/trainer.h"

#include <unistd.h>

#include <chrono>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "api/function.h"
#include "api/summary/file_writer.h"
#include "api/training/interrupt.h"
#include "api/training/progress.h"
#include "eager/gradient_tape.h"

namespace duet::training {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void Fail(const std::string& message, const Loc& loc) {
  ThrowError(absl::InvalidArgumentError(message), loc);
}

std::map<std::string, float> ToMap(const Logs& logs) { return {logs.begin(), logs.end()}; }

}  // namespace

struct Trainer::Running {
  double loss_sum = 0;
  int64_t samples = 0, steps = 0;
  bool sparse = true;  // labels are class ids (rank of predictions - 1)
};

Trainer::Trainer(Forward forward, VariablesFn trainable_variables, CompileOptions options,
                 const Loc& loc)
    : forward_(std::move(forward)),
      trainable_variables_(std::move(trainable_variables)),
      options_(std::move(options)),
      loc_(loc) {
  if (!options_.optimizer)
    Fail("[compile] needs an optimizer (.optimizer = std::make_shared<optimizers::Adam>())", loc);
  if (!options_.loss)
    Fail("[compile] needs a loss (.loss = losses::sparse_softmax_cross_entropy)", loc);
  for (const std::string& name : options_.metrics) {
    auto sparse = metrics::FromName(name, true), dense = metrics::FromName(name, false);
    if (!sparse || !dense)
      Fail(absl::StrCat("[compile] unknown metric '", name,
                        "' (known: accuracy, acc, sparse_categorical_accuracy)"),
           loc);
    sparse_metrics_.push_back(std::move(sparse));
    dense_metrics_.push_back(std::move(dense));
  }
  auto train = function(
      [this](const Tensor& x, const Tensor& y) {
        Tensor pred, loss;
        std::vector<Variable> vars;
        std::vector<Tensor> grads;
        {  // the tape goes before the update, which may then happen in place
          GradientTape tape;
          pred = forward_(x, /*training=*/true);
          loss = options_.loss(y, pred, loc_);
          vars = trainable_variables_();  // after the forward: a first call builds the model
          grads = tape.gradient(loss, std::vector<GradSource>(vars.begin(), vars.end()), loc_);
        }
        options_.optimizer->apply_gradients(grads, vars, loc_);
        return std::vector<Tensor>{loss, pred};
      },
      FunctionOptions{.name = "train_step"});
  auto test = function(
      [this](const Tensor& x, const Tensor& y) {
        Tensor pred = forward_(x, /*training=*/false);
        return std::vector<Tensor>{options_.loss(y, pred, loc_), pred};
      },
      FunctionOptions{.name = "test_step"});
  train_step_ = [train](const Tensor& x, const Tensor& y) { return train(x, y); };
  test_step_ = [test](const Tensor& x, const Tensor& y) { return test(x, y); };
}

float Trainer::RunBatch(const std::vector<Tensor>& batch, bool train, Running& running,
                        const Loc& loc) {
  if (batch.size() != 2)
    Fail(absl::StrCat(train ? "[fit]" : "[evaluate]", " expects dataset elements (x, y), got ",
                      batch.size(), " components"),
         loc);
  std::vector<Tensor> out =
      train ? train_step_(batch[0], batch[1]) : test_step_(batch[0], batch[1]);
  const Tensor& y = batch[1];
  int64_t n = y.rank() > 0 ? y.shape()[0] : 1;
  float loss = out[0].item<float>(loc);
  running.loss_sum += static_cast<double>(loss) * static_cast<double>(n);
  running.samples += n;
  ++running.steps;
  running.sparse = y.rank() + 1 == out[1].rank();
  for (auto& m : running.sparse ? sparse_metrics_ : dense_metrics_) m->update_state(y, out[1], loc);
  return loss;
}

Logs Trainer::Results(const Running& running, const std::string& prefix) const {
  Logs logs{{prefix + "loss",
             running.samples
                 ? static_cast<float>(running.loss_sum / static_cast<double>(running.samples))
                 : 0.f}};
  for (const auto& m : running.sparse ? sparse_metrics_ : dense_metrics_)
    logs.emplace_back(prefix + m->name(), m->result().item<float>());
  return logs;
}

History Trainer::Fit(const BatchSource& train, const FitOptions& options,
                     const BatchSource* validation, const Loc& loc) {
  if (options.epochs < 0)
    Fail(absl::StrCat("[fit] epochs must be >= 0, got ", options.epochs), loc);
  if (options.log_every_n_steps < 0)
    Fail(absl::StrCat("[fit] log_every_n_steps must be >= 0, got ", options.log_every_n_steps),
         loc);
  std::ostream& out = options.out ? *options.out : std::cout;
  bool bar = options.verbose == 1 &&
             options.progress_bar.value_or(options.out == nullptr && isatty(STDOUT_FILENO) == 1);
  History history;
  InterruptGuard interrupt;
  int64_t steps = train.cardinality, global_step = 0;
  for (int epoch = 0; epoch < options.epochs && !history.interrupted; ++epoch) {
    for (auto* group : {&sparse_metrics_, &dense_metrics_})
      for (auto& m : *group) m->reset();
    Running running;
    std::optional<ProgressPrinter> printer;
    if (options.verbose > 0) printer.emplace(out, bar, epoch, options.epochs);
    Clock::time_point start = Clock::now();
    double last_draw = -1;
    train.for_each([&](const std::vector<Tensor>& batch) {
      float loss = RunBatch(batch, /*train=*/true, running, loc);
      ++global_step;
      if (options.on_batch_end) options.on_batch_end(global_step, loss);
      if (options.writer && options.log_every_n_steps > 0 &&
          global_step % options.log_every_n_steps == 0)
        options.writer->scalar("batch_loss", loss, global_step, loc);
      double elapsed = SecondsSince(start);
      if (printer && (running.steps == 1 || running.steps == steps || elapsed - last_draw >= 0.1)) {
        printer->Step(running.steps, steps, elapsed, Results(running, ""));
        last_draw = elapsed;
      }
      history.interrupted = interrupt.requested();
      return !history.interrupted;
    });
    if (running.steps == 0 && !history.interrupted)
      Fail("[fit] the training dataset yielded no batches", loc);
    if (steps < 0 && !history.interrupted) steps = running.steps;  // known from the first pass on
    Logs logs = Results(running, "");
    double elapsed = SecondsSince(start);
    if (validation && !history.interrupted) {
      std::map<std::string, float> r = Evaluate(*validation, loc);
      for (const auto& [name, value] : r) logs.emplace_back("val_" + name, value);
    }
    if (running.steps > 0) {
      history.epoch.push_back(epoch);
      for (const auto& [name, value] : logs) history.history[name].push_back(value);
    }
    if (printer) printer->End(running.steps, elapsed, logs, history.interrupted);
    if (options.writer && running.steps > 0)
      for (const auto& [name, value] : logs) options.writer->scalar(name, value, epoch, loc);
    if (options.on_epoch_end) options.on_epoch_end(epoch, ToMap(logs));
  }
  if (options.writer) options.writer->flush(loc);
  return history;
}

std::map<std::string, float> Trainer::Evaluate(const BatchSource& data, const Loc& loc) {
  for (auto* group : {&sparse_metrics_, &dense_metrics_})
    for (auto& m : *group) m->reset();
  Running running;
  data.for_each([&](const std::vector<Tensor>& batch) {
    RunBatch(batch, /*train=*/false, running, loc);
    return true;
  });
  if (running.steps == 0) Fail("[evaluate] the dataset yielded no batches", loc);
  return ToMap(Results(running, ""));
}

}  // namespace duet::training
