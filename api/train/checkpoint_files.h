// The files of a checkpoint besides its weights, and the weights' integrity check.
//
// A checkpoint at path P is two files, each written atomically:
//   P.safetensors  the variables by object path (written first)
//   P.index        JSON: {"format": "duet-checkpoint", "version": 1, "save_counter": 3,
//                  "weights_bytes": N, "weights_crc32": C, "entries": [{"path": "model/w",
//                  "dtype": "F32", "shape": [2, 3]}, ...]} (written last: a checkpoint without
//                  its index does not exist, so a crash between the two leaves only an orphan)
// A directory's "checkpoint" state file (JSON) names the latest checkpoint and those a
// CheckpointManager keeps, relative to the directory:
//   {"model_checkpoint_path": "ckpt-3", "all_model_checkpoint_paths": ["ckpt-2", "ckpt-3"]}
// Readers treat all of them as untrusted and return InvalidArgument errors naming the file.
// Example:
//   ASSIGN_OR_RETURN(CheckpointIndex index, ReadCheckpointIndex(path + ".index"));
//   RETURN_IF_ERROR(VerifyWeights(index, bytes, path + ".safetensors"));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/tensor.h"

namespace duet::train {

struct CheckpointIndex {
  int64_t save_counter = 0;
  uint64_t weights_bytes = 0;
  uint32_t weights_crc32 = 0;
  std::vector<std::pair<std::string, TensorSpec>> entries;  // in the weights file's order
};

struct CheckpointState {
  std::string latest;            // "" when none
  std::vector<std::string> all;  // oldest first
};

// The index describing `weights` (the .safetensors bytes).
CheckpointIndex MakeIndex(int64_t save_counter, std::string_view weights,
                          const std::vector<std::pair<std::string, TensorSpec>>& entries);
std::string EncodeIndex(const CheckpointIndex& index);
absl::StatusOr<CheckpointIndex> ParseIndex(std::string_view text, const std::string& file);
// Size and CRC32 of the weights file against the index: detects truncation and flipped bytes.
absl::Status VerifyWeights(const CheckpointIndex& index, std::string_view weights,
                           const std::string& file);

std::string EncodeState(const CheckpointState& state);
absl::StatusOr<CheckpointState> ParseState(std::string_view text, const std::string& file);

// "<dir>/checkpoint"; NotFound when it does not exist.
absl::StatusOr<CheckpointState> ReadState(const std::string& dir);
absl::Status WriteState(const std::string& dir, const CheckpointState& state);

// Path helpers. DirName("a/b/ckpt-1") == "a/b", BaseName(...) == "ckpt-1"; DirName("x") == ".".
std::string DirName(const std::string& path);
std::string BaseName(const std::string& path);
std::string JoinPath(const std::string& dir, const std::string& name);  // "ckpt/" + "a" == "ckpt/a"

}  // namespace duet::train
