// What fit prints with verbose >= 1: on a terminal a Keras-like bar per epoch, redrawn in place
// with '\r' ("12/32 [=======>......] - 1s 40ms/step - ETA: 1s - loss: 0.6931"), else one line
// per epoch ("Epoch 1/2 - 32/32 - 1s 40ms/step - loss: 0.6931 - val_loss: 0.6012"). Times are
// passed in, so the text is a pure function of its inputs.
// Example:
//   ProgressPrinter p(std::cout, /*bar=*/true, 0, 2);
//   p.Step(1, 32, 0.04, {{"loss", 0.69f}});  p.End(32, 1.3, {{"loss", 0.5f}});
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace duet::training {

using Logs = std::vector<std::pair<std::string, float>>;

// " - loss: 0.6931 - accuracy: 0.5000"
std::string FormatLogs(const Logs& logs);
// "950ms", "12s", "2:05", "1:02:05"
std::string FormatDuration(double seconds);

class ProgressPrinter {
 public:
  // epoch is 0-based; bar: draw the in-place bar (a terminal) rather than one line per epoch.
  ProgressPrinter(std::ostream& out, bool bar, int epoch, int epochs);
  // After step `step` (1-based) of `steps` (-1: unknown) with `elapsed` seconds into the epoch.
  void Step(int64_t step, int64_t steps, double elapsed, const Logs& logs);
  // The epoch's final values (validation included); ends the bar's line or prints the line.
  void End(int64_t steps, double elapsed, const Logs& logs, bool interrupted = false);

 private:
  std::string Counter(int64_t step, int64_t steps) const;
  std::ostream& out_;
  bool bar_;
  int epoch_, epochs_;
  size_t drawn_width_ = 0;  // of the last bar drawn, to blank leftovers of a longer line
};

}  // namespace duet::training
