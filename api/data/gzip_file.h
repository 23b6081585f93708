// Reading possibly gzip'd files with zlib, bounded: the compressed file and its decompressed
// size are both capped, since a small corrupt or hostile file can claim any size.
// Example:
//   absl::StatusOr<std::string> bytes = ReadMaybeGzipFile("/x/train-images-idx3-ubyte.gz", 1 <<
//   30);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace duet::data {

// Inflates gzip data (one or more members); errors say truncated, corrupt or too large.
absl::StatusOr<std::string> Gunzip(std::string_view compressed, size_t max_output_bytes);
// The file's bytes, inflated when they start with the gzip magic (1f 8b). NotFound if missing;
// every error names the path.
absl::StatusOr<std::string> ReadMaybeGzipFile(const std::string& path, size_t max_output_bytes);

}  // namespace duet::data
