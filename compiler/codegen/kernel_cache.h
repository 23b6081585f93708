// The on-disk cache of compiled kernels, so a second process starts warm: one file per key
// (the kernel's IR text, the host CPU and LLVM version), named by the key's stable hash.
// Every entry is untrusted when read: a truncated, corrupted, foreign or colliding file reads as
// a miss (and is rewritten by the next compile); it never crashes or loads wrong code.
// Directory: $DUET_KERNEL_CACHE, else $XDG_CACHE_HOME/duet/kernels, else ~/.cache/duet/kernels;
// DUET_KERNEL_CACHE=off disables it.
// Example: if (auto object = cache.Read(key)) ...; else cache.Write(key, compiled);
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace duet::codegen {

class KernelDiskCache {
 public:
  explicit KernelDiskCache(std::string directory) : directory_(std::move(directory)) {}
  static KernelDiskCache& Default();  // from the environment, read once

  bool enabled() const { return !directory_.empty(); }
  const std::string& directory() const { return directory_; }
  std::string PathFor(std::string_view key) const;

  // The object stored under `key`, or nullopt (absent, unreadable or invalid).
  std::optional<std::string> Read(std::string_view key) const;
  // Stores atomically (runtime/atomic_file.h); creates the directory.
  absl::Status Write(std::string_view key, std::string_view object) const;

 private:
  std::string directory_;
};

}  // namespace duet::codegen
