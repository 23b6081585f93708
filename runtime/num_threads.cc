#include "runtime/num_threads.h"

#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"

namespace duet {
namespace {

int DefaultNumThreads() {
  if (const char* env = std::getenv("DUET_NUM_THREADS")) {
    absl::StatusOr<int> n = ParseNumThreads(env);
    if (n.ok()) return *n;
    std::fprintf(stderr, "duet: ignoring DUET_NUM_THREADS: %s\n",
                 std::string(n.status().message()).c_str());
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw < 8 ? hw : 8);
}

std::atomic<int>& Setting() {
  static std::atomic<int> n{DefaultNumThreads()};
  return n;
}

}  // namespace

absl::StatusOr<int> ParseNumThreads(const char* text) {
  int n = 0;
  const char* end = text + std::strlen(text);
  auto [ptr, ec] = std::from_chars(text, end, n);
  if (ec != std::errc() || ptr != end || n < 1 || n > kMaxThreads)
    return absl::InvalidArgumentError(absl::StrCat("[DUET_NUM_THREADS] must be an integer in [1, ",
                                                   kMaxThreads, "], got '", text, "'"));
  return n;
}

namespace config {

void set_num_threads(int n, const Loc& loc) {
  if (n < 1 || n > kMaxThreads)
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[set_num_threads] n must be in [1, ", kMaxThreads, "], got ", n)),
               loc);
  Setting().store(n, std::memory_order_relaxed);
}

int num_threads() { return Setting().load(std::memory_order_relaxed); }

}  // namespace config
}  // namespace duet
