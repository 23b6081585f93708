// train::CheckpointManager: numbered checkpoints in one directory, keeping the newest
// max_to_keep (0 keeps all), like tf.train.CheckpointManager. It picks up the list a previous
// run left in the directory's "checkpoint" state file, so a restarted job keeps deleting the
// oldest ones. Old checkpoints are deleted index first (a half-deleted one is simply absent).
// Example:
//   train::CheckpointManager mgr(ckpt, "ckpt/", /*max_to_keep=*/3);
//   ckpt.restore(mgr.latest_checkpoint());   // "" on the first run: nothing to restore
//   for (...) { train_steps(); mgr.save(); }  // ckpt/ckpt-1, -2, -3, -4 (ckpt-1 deleted)
#pragma once

#include <string>
#include <vector>

#include "api/train/checkpoint.h"
#include "runtime/error.h"

namespace duet::train {

class CheckpointManager {
 public:
  // `checkpoint` must outlive the manager.
  CheckpointManager(Checkpoint& checkpoint, std::string directory, int max_to_keep,
                    const Loc& loc = Loc::current());

  // ckpt.save(directory/), then deletes checkpoints beyond max_to_keep; returns the new path.
  std::string save(const Loc& loc = Loc::current());
  std::string latest_checkpoint() const { return kept_.empty() ? "" : kept_.back(); }
  const std::vector<std::string>& checkpoints() const { return kept_; }  // oldest first
  const std::string& directory() const { return directory_; }

 private:
  Checkpoint* checkpoint_;
  std::string directory_;
  int max_to_keep_;
  std::vector<std::string> kept_;  // paths
};

}  // namespace duet::train
