#include "api/train/checkpoint.h"

#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "api/train/checkpoint_files.h"
#include "api/train/object_graph.h"
#include "api/train/read_file.h"
#include "api/train/safetensors.h"
#include "runtime/atomic_file.h"
#include "runtime/status_macros.h"
#include "runtime/tensor_factory.h"

namespace duet::train {
namespace {

constexpr char kSaveCounter[] = "save_counter";
constexpr uint64_t kMaxIndexBytes = 64 << 20;
constexpr uint64_t kMaxWeightsBytes = uint64_t{1} << 40;

std::vector<GraphRoot> Roots(const std::vector<Checkpoint::Item>& items, const Variable& counter) {
  std::vector<GraphRoot> roots;
  for (const Checkpoint::Item& item : items)
    roots.push_back({item.name, item.object, item.variable});
  roots.push_back({kSaveCounter, nullptr, counter});
  return roots;
}

absl::Status CheckItems(const std::vector<Checkpoint::Item>& items) {
  std::set<std::string> names;
  for (const Checkpoint::Item& item : items) {
    if (item.name == kSaveCounter)
      return absl::InvalidArgumentError(
          "[Checkpoint] 'save_counter' is reserved for the checkpoint's own counter");
    if (item.name.empty() || item.name.find('/') != std::string::npos)
      return absl::InvalidArgumentError(absl::StrCat(
          "[Checkpoint] object names must be non-empty and contain no '/': got '", item.name, "'"));
    if (!names.insert(item.name).second)
      return absl::InvalidArgumentError(
          absl::StrCat("[Checkpoint] the name '", item.name, "' is given twice"));
    if (!item.object && !item.variable.defined())
      return absl::InvalidArgumentError(
          absl::StrCat("[Checkpoint] '", item.name, "' is an empty Variable"));
  }
  return absl::OkStatus();
}

absl::Status MakeDirs(const std::string& dir, const std::string& what) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return absl::InternalError(
        absl::StrCat("[", what, "] cannot create the directory '", dir, "': ", ec.message()));
  return absl::OkStatus();
}

absl::Status WriteBytes(const std::string& path, std::string_view bytes) {
  absl::Status s = WriteFileAtomically(
      path, [&](FileSink& out) { return out.Write(bytes.data(), bytes.size()); });
  if (!s.ok()) return absl::Status(s.code(), absl::StrCat("[Checkpoint.save] ", s.message()));
  return absl::OkStatus();
}

absl::Status Write(const std::vector<GraphRoot>& roots, int64_t counter, const std::string& path) {
  ASSIGN_OR_RETURN(ObjectGraph graph, WalkObjects(roots, "Checkpoint.save"));
  NamedTensors tensors;
  std::vector<std::pair<std::string, TensorSpec>> specs;
  for (const auto& [name, v] : graph.variables) {
    tensors.emplace_back(name, v.value());
    specs.emplace_back(name, tensors.back().second.spec());
  }
  const std::string weights_path = path + ".safetensors", index_path = path + ".index";
  ASSIGN_OR_RETURN(std::string weights,
                   EncodeSafetensors(tensors, {{"format", "duet-checkpoint"}}, weights_path));
  RETURN_IF_ERROR(MakeDirs(DirName(path), "Checkpoint.save"));
  // Overwriting: drop the old index first, so a crash below leaves no index over new weights.
  std::error_code ec;
  if (std::filesystem::remove(index_path, ec)) RETURN_IF_ERROR(SyncDirectory(DirName(path)));
  RETURN_IF_ERROR(WriteBytes(weights_path, weights));
  return WriteBytes(index_path, EncodeIndex(MakeIndex(counter, weights, specs)));
}

// Reads and checks both files; the entries in the index must be those of the weights.
absl::StatusOr<NamedTensors> Read(const std::string& path) {
  const std::string index_path = path + ".index", weights_path = path + ".safetensors";
  absl::StatusOr<std::string> index_text =
      ReadWholeFile(index_path, kMaxIndexBytes, "Checkpoint.restore");
  if (absl::IsNotFound(index_text.status()))
    return absl::NotFoundError(absl::StrCat("[Checkpoint.restore] no checkpoint at '", path, "' (",
                                            index_path, " does not exist)"));
  RETURN_IF_ERROR(index_text.status());
  ASSIGN_OR_RETURN(CheckpointIndex index, ParseIndex(*index_text, index_path));
  ASSIGN_OR_RETURN(std::string weights,
                   ReadWholeFile(weights_path, kMaxWeightsBytes, "Checkpoint.restore"));
  RETURN_IF_ERROR(VerifyWeights(index, weights, weights_path));
  ASSIGN_OR_RETURN(SafetensorsContents contents,
                   ParseSafetensors(weights, weights_path, "Checkpoint.restore"));
  bool same = contents.tensors.size() == index.entries.size();
  for (size_t i = 0; same && i < index.entries.size(); ++i)
    same = index.entries[i].first == contents.tensors[i].first &&
           index.entries[i].second == contents.tensors[i].second.spec();
  if (!same)
    return absl::InvalidArgumentError(
        absl::StrCat("[Checkpoint.restore] '", index_path,
                     "': the index lists other entries than the weights file holds"));
  return std::move(contents.tensors);
}

// Records `path` as the latest checkpoint of its directory (keeping the list of older ones).
absl::Status UpdateState(const std::string& path) {
  const std::string dir = DirName(path), name = BaseName(path);
  absl::StatusOr<CheckpointState> old = ReadState(dir);
  CheckpointState state = old.ok() ? *old : CheckpointState{};
  std::erase(state.all, name);
  state.all.push_back(name);
  state.latest = name;
  return WriteState(dir, state);
}

std::string NumberedPath(const std::string& prefix, int64_t n) {
  if (prefix.empty() || prefix.back() == '/') return absl::StrCat(prefix, "ckpt-", n);
  return absl::StrCat(prefix, "-", n);
}

}  // namespace

Checkpoint::Checkpoint(std::initializer_list<Item> items, const Loc& loc)
    : Checkpoint(std::vector<Item>(items), loc) {}

Checkpoint::Checkpoint(std::vector<Item> items, const Loc& loc)
    : items_(std::move(items)),
      save_counter_(zeros({}, DType::kInt64), kSaveCounter, /*trainable=*/false) {
  ThrowIfError(CheckItems(items_), loc);
}

std::vector<std::pair<std::string, Variable>> Checkpoint::variables(const Loc& loc) const {
  return ValueOrThrow(WalkObjects(Roots(items_, save_counter_), "Checkpoint"), loc).variables;
}

std::string Checkpoint::save(const std::string& prefix, const Loc& loc) {
  const int64_t n = save_counter_.value().item<int64_t>() + 1;
  const std::string path = NumberedPath(prefix, n);
  save_counter_.assign(n);  // saved as n
  absl::Status s = Write(Roots(items_, save_counter_), n, path);
  if (s.ok()) s = UpdateState(path);
  if (!s.ok()) {
    save_counter_.assign(n - 1);
    ThrowError(s, loc);
  }
  return path;
}

std::string Checkpoint::write(const std::string& path, const Loc& loc) {
  ThrowIfError(Write(Roots(items_, save_counter_), save_counter_.value().item<int64_t>(), path),
               loc);
  return path;
}

bool Checkpoint::restore(const std::string& path, const Loc& loc) {
  if (path.empty()) return false;
  NamedTensors saved = ValueOrThrow(Read(path), loc);
  ObjectGraph graph =
      ValueOrThrow(WalkObjects(Roots(items_, save_counter_), "Checkpoint.restore"), loc);
  RestorePlan plan = ValueOrThrow(PlanRestore(graph, saved, path), loc);
  ApplyRestore(plan);
  return true;
}

std::string latest_checkpoint(const std::string& dir, const Loc& loc) {
  absl::StatusOr<CheckpointState> state = ReadState(dir);
  if (absl::IsNotFound(state.status())) return "";
  ThrowIfError(state.status(), loc);
  if (state->latest.empty()) return "";
  const std::string path = JoinPath(dir, state->latest);
  std::error_code ec;
  return std::filesystem::exists(path + ".index", ec) ? path : "";
}

}  // namespace duet::train
