// WriteDirectoryAtomically: a directory of files that appears whole or not at all. The files go
// to a fresh "<dir>.tmp-XXXXXX" sibling (each written with WriteFileAtomically, so fsynced),
// that directory is fsynced, then it takes `dir`'s place in one rename: renameat2's
// RENAME_EXCHANGE when `dir` exists (the old one is then deleted), a plain rename otherwise; the
// parent is fsynced. A process killed at any moment leaves `dir` old or new, whole; it may leave
// a "<dir>.tmp-*" (or, after the exchange, the old copy under that name), which the next write
// of `dir` removes and readers never look at.
// Example:
//   RETURN_IF_ERROR(WriteDirectoryAtomically("export", {{"a.json", text}, {"w.bin", bytes}}));
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace duet::saved_model {

absl::Status WriteDirectoryAtomically(
    const std::string& dir, const std::vector<std::pair<std::string, std::string_view>>& files);

// Removes "<dir>.tmp-*" siblings left by killed writers.
void RemoveStaleTemporaries(const std::string& dir);

}  // namespace duet::saved_model
