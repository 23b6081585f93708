// ReadWholeFile: a file's bytes, for loaders of untrusted files (checkpoints, their index and
// state files). The size comes from fstat and is checked against a caller's limit before any
// allocation, so a huge or special file is an error instead of an out-of-memory crash.
// Example:
//   ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path, 1 << 20, "latest_checkpoint"));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace duet::train {

// NotFound when the file does not exist; InvalidArgument when it is not a regular file or is
// larger than max_bytes; errors read "[what] '<path>': ...".
absl::StatusOr<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes,
                                          const std::string& what);

}  // namespace duet::train
