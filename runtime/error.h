// duet::Error, the one exception the public API throws, and the bridge from internal
// absl::Status to it. Messages name the op (as "[op] ..."), shapes/dtypes, and the user's line.
// Example: ThrowIfError(status, loc);  // throws Error("[add] ... (at demo.cc:12)")
#pragma once

#include <source_location>
#include <stdexcept>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace duet {

using Loc = std::source_location;

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// "file.cc:12" for a user location ("" when unknown).
std::string FormatLoc(const Loc& loc);

// Throws duet::Error carrying the status message and "(at file:line)".
[[noreturn]] void ThrowError(const absl::Status& status, const Loc& loc);
inline void ThrowIfError(const absl::Status& status, const Loc& loc) {
  if (!status.ok()) [[unlikely]]
    ThrowError(status, loc);
}
template <class T>
T ValueOrThrow(absl::StatusOr<T> s, const Loc& loc) {
  if (!s.ok()) [[unlikely]]
    ThrowError(s.status(), loc);
  return *std::move(s);
}

}  // namespace duet
