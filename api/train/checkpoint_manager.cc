#include "api/train/checkpoint_manager.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "api/train/checkpoint_files.h"
#include "runtime/atomic_file.h"
#include "runtime/status_macros.h"

namespace duet::train {
namespace {

bool Exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path + ".index", ec);
}

absl::Status Delete(const std::string& path) {
  std::error_code ec;
  for (const char* ext : {".index", ".safetensors"}) {
    std::filesystem::remove(path + ext, ec);
    if (ec)
      return absl::InternalError(
          absl::StrCat("[CheckpointManager.save] cannot delete '", path, ext, "': ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

CheckpointManager::CheckpointManager(Checkpoint& checkpoint, std::string directory, int max_to_keep,
                                     const Loc& loc)
    : checkpoint_(&checkpoint), directory_(std::move(directory)), max_to_keep_(max_to_keep) {
  if (max_to_keep < 0)
    ThrowError(
        absl::InvalidArgumentError(absl::StrCat(
            "[CheckpointManager] max_to_keep must be >= 0 (0 keeps all), got ", max_to_keep)),
        loc);
  absl::StatusOr<CheckpointState> state = ReadState(directory_);
  if (absl::IsNotFound(state.status())) return;
  ThrowIfError(state.status(), loc);
  for (const std::string& name : state->all)
    if (Exists(JoinPath(directory_, name))) kept_.push_back(JoinPath(directory_, name));
}

std::string CheckpointManager::save(const Loc& loc) {
  const std::string dir =
      directory_.empty() || directory_.back() == '/' ? directory_ : directory_ + "/";
  std::string path = checkpoint_->save(dir, loc);
  std::erase(kept_, path);
  kept_.push_back(path);
  std::vector<std::string> old;
  while (max_to_keep_ > 0 && kept_.size() > static_cast<size_t>(max_to_keep_)) {
    old.push_back(kept_.front());
    kept_.erase(kept_.begin());
  }
  // The state stops naming a checkpoint before its files go.
  CheckpointState state{BaseName(path), {}};
  for (const std::string& p : kept_) state.all.push_back(BaseName(p));
  ThrowIfError(WriteState(DirName(path), state), loc);
  for (const std::string& p : old) ThrowIfError(Delete(p), loc);
  if (!old.empty()) ThrowIfError(SyncDirectory(DirName(path)), loc);
  return path;
}

}  // namespace duet::train
