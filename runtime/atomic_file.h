// Atomic file writes: the one way duet writes a file (.npy, checkpoints, saved models, kernel
// caches). The data goes to an unnamed file in the target's directory (O_TMPFILE), is fsynced,
// then gets a name and is renamed over the target, and the directory is fsynced. A crash or
// kill at any point leaves either the old file or the new one, whole, and no temp file (only
// the instant between naming and renaming can leave a "<path>.tmp*" file; the next write of
// the same path removes stale ones). Where O_TMPFILE is unsupported a named temp file is used.
// Example:
//   absl::Status s = WriteFileAtomically("/tmp/a.bin", [&](FileSink& out) {
//     return out.Write(bytes.data(), bytes.size());
//   });
#pragma once

#include <cstddef>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace duet {

// Where a WriteFileAtomically callback writes its bytes.
class FileSink {
 public:
  explicit FileSink(int fd) : fd_(fd) {}
  absl::Status Write(const void* data, size_t size);  // all of it, or an error with errno text

 private:
  int fd_;
};

// Writes `path` atomically with the bytes `fill` writes; permissions 0644. Errors name the path.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::FunctionRef<absl::Status(FileSink&)> fill);

// fsync of a directory, so a rename or unlink in it is durable.
absl::Status SyncDirectory(const std::string& dir);

}  // namespace duet
