#include "runtime/debug_dump.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace duet {
namespace {

FILE* DumpStream() {
  static FILE* stream = []() -> FILE* {
    const char* v = std::getenv("DUET_DUMP");
    if (!v || !*v || std::strcmp(v, "0") == 0) return nullptr;
    if (std::strcmp(v, "1") == 0) return stderr;
    FILE* f = std::fopen(v, "a");
    return f ? f : stderr;
  }();
  return stream;
}

}  // namespace

bool DumpEnabled() {
  static const bool enabled = DumpStream() != nullptr;
  return enabled;
}

void DumpLine(std::string_view line) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  std::fprintf(DumpStream(), "%.*s\n", static_cast<int>(line.size()), line.data());
  std::fflush(DumpStream());
}

}  // namespace duet
