#include "api/training/progress.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace duet::training {
namespace {

constexpr int kBarWidth = 30;

std::string Bar(int64_t step, int64_t steps) {
  if (steps <= 0) return "";
  int filled = static_cast<int>(kBarWidth * std::min<int64_t>(step, steps) / steps);
  std::string bar(static_cast<size_t>(filled), '=');
  if (filled < kBarWidth) {
    if (filled > 0) bar.back() = '>';
    bar.append(static_cast<size_t>(kBarWidth - filled), '.');
  }
  return absl::StrCat(" [", bar, "]");
}

std::string PerStep(double elapsed, int64_t step) {
  double ms = step > 0 ? 1000.0 * elapsed / static_cast<double>(step) : 0.0;
  return absl::StrCat(FormatDuration(elapsed), " ", static_cast<int64_t>(std::lround(ms)),
                      "ms/step");
}

}  // namespace

std::string FormatLogs(const Logs& logs) {
  std::string s;
  for (const auto& [name, value] : logs) absl::StrAppendFormat(&s, " - %s: %.4f", name, value);
  return s;
}

std::string FormatDuration(double seconds) {
  if (seconds < 1) return absl::StrCat(static_cast<int64_t>(std::lround(seconds * 1000)), "ms");
  auto total = static_cast<int64_t>(std::lround(seconds));
  if (total < 60) return absl::StrCat(total, "s");
  if (total < 3600) return absl::StrFormat("%d:%02d", total / 60, total % 60);
  return absl::StrFormat("%d:%02d:%02d", total / 3600, (total / 60) % 60, total % 60);
}

ProgressPrinter::ProgressPrinter(std::ostream& out, bool bar, int epoch, int epochs)
    : out_(out), bar_(bar), epoch_(epoch), epochs_(epochs) {
  if (bar_) out_ << "Epoch " << epoch_ + 1 << "/" << epochs_ << "\n" << std::flush;
}

std::string ProgressPrinter::Counter(int64_t step, int64_t steps) const {
  return steps > 0 ? absl::StrCat(step, "/", steps) : absl::StrCat(step, "/Unknown");
}

void ProgressPrinter::Step(int64_t step, int64_t steps, double elapsed, const Logs& logs) {
  if (!bar_) return;
  std::string line =
      absl::StrCat(Counter(step, steps), Bar(step, steps), " - ", PerStep(elapsed, step));
  if (steps > 0 && step < steps)
    absl::StrAppend(
        &line, " - ETA: ",
        FormatDuration(elapsed / static_cast<double>(step) * static_cast<double>(steps - step)));
  absl::StrAppend(&line, FormatLogs(logs));
  size_t width = line.size();
  if (width < drawn_width_) line.append(drawn_width_ - width, ' ');
  drawn_width_ = width;
  out_ << "\r" << line << std::flush;
}

void ProgressPrinter::End(int64_t steps, double elapsed, const Logs& logs, bool interrupted) {
  std::string tail = absl::StrCat(" - ", PerStep(elapsed, steps), FormatLogs(logs),
                                  interrupted ? " - interrupted" : "");
  if (bar_) {
    std::string line = absl::StrCat(Counter(steps, steps), Bar(steps, steps), tail);
    if (line.size() < drawn_width_) line.append(drawn_width_ - line.size(), ' ');
    out_ << "\r" << line << "\n" << std::flush;
  } else {
    out_ << "Epoch " << epoch_ + 1 << "/" << epochs_ << " - " << steps << " steps" << tail << "\n"
         << std::flush;
  }
}

}  // namespace duet::training
