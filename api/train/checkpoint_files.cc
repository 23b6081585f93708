#include "api/train/checkpoint_files.h"

#include <zlib.h>

#include "absl/strings/str_cat.h"
#include "api/train/read_file.h"
#include "api/train/safetensors.h"
#include "nlohmann/json.hpp"
#include "runtime/atomic_file.h"
#include "runtime/status_macros.h"

namespace duet::train {
namespace {

using Json = nlohmann::json;

constexpr char kFormat[] = "duet-checkpoint";
constexpr int kVersion = 1;
constexpr uint64_t kMaxStateBytes = 16 << 20;

absl::Status Corrupt(const std::string& file, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("[Checkpoint.restore] '", file, "': ", what));
}

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32_z(0L, Z_NULL, 0);
  return static_cast<uint32_t>(
      crc32_z(crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

bool IsUnsigned(const Json& j, const char* key) {
  return j.contains(key) && j[key].is_number_unsigned();
}

}  // namespace

CheckpointIndex MakeIndex(int64_t save_counter, std::string_view weights,
                          const std::vector<std::pair<std::string, TensorSpec>>& entries) {
  return {save_counter, weights.size(), Crc32(weights), entries};
}

std::string EncodeIndex(const CheckpointIndex& index) {
  Json entries = Json::array();
  for (const auto& [path, spec] : index.entries) {
    entries.push_back(
        {{"path", path}, {"dtype", SafetensorsCode(spec.dtype)}, {"shape", spec.shape.dims()}});
  }
  Json j = {{"format", kFormat},
            {"version", kVersion},
            {"save_counter", index.save_counter},
            {"weights_bytes", index.weights_bytes},
            {"weights_crc32", index.weights_crc32},
            {"entries", entries}};
  return j.dump(1) + "\n";
}

absl::StatusOr<CheckpointIndex> ParseIndex(std::string_view text, const std::string& file) {
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return Corrupt(file, "the index is not valid JSON (corrupt file?)");
  if (!j.contains("format") || j["format"] != kFormat)
    return Corrupt(file, "not a duet checkpoint index");
  if (!j.contains("version") || !j["version"].is_number_integer())
    return Corrupt(file, "the index has no integer version");
  if (j["version"] != kVersion)
    return Corrupt(file, absl::StrCat("index version ", j["version"].dump(),
                                      " is not supported (this duet reads ", kVersion, ")"));
  if (!IsUnsigned(j, "save_counter") || !IsUnsigned(j, "weights_bytes") ||
      !IsUnsigned(j, "weights_crc32") || !j.contains("entries") || !j["entries"].is_array())
    return Corrupt(file, "the index lacks save_counter, weights_bytes, weights_crc32 or entries");
  CheckpointIndex index;
  if (j["save_counter"].get<uint64_t>() > uint64_t{1} << 62 ||
      j["weights_crc32"].get<uint64_t>() > 0xffffffffu)
    return Corrupt(file, "the index holds an out-of-range save_counter or weights_crc32");
  index.save_counter = j["save_counter"].get<int64_t>();
  index.weights_bytes = j["weights_bytes"].get<uint64_t>();
  index.weights_crc32 = static_cast<uint32_t>(j["weights_crc32"].get<uint64_t>());
  for (const Json& e : j["entries"]) {
    if (!e.is_object() || !e.contains("path") || !e["path"].is_string() || !e.contains("dtype") ||
        !e["dtype"].is_string() || !e.contains("shape") || !e["shape"].is_array())
      return Corrupt(file, "an index entry is not {path, dtype, shape}");
    TensorSpec spec;
    std::optional<DType> known = DTypeOfSafetensorsCode(e["dtype"].get<std::string>());
    if (known) spec.dtype = *known;
    if (!known)
      return Corrupt(file,
                     absl::StrCat("index entry '", PrintableName(e["path"].get<std::string>()),
                                  "': unknown dtype"));
    std::vector<int64_t> dims;
    for (const Json& d : e["shape"]) {
      if (!d.is_number_unsigned() || d.get<uint64_t>() > uint64_t{1} << 62)
        return Corrupt(file,
                       absl::StrCat("index entry '", PrintableName(e["path"].get<std::string>()),
                                    "': bad dimension"));
      dims.push_back(d.get<int64_t>());
    }
    spec.shape = Shape(dims);
    index.entries.emplace_back(e["path"].get<std::string>(), spec);
  }
  return index;
}

absl::Status VerifyWeights(const CheckpointIndex& index, std::string_view weights,
                           const std::string& file) {
  if (weights.size() != index.weights_bytes)
    return Corrupt(file,
                   absl::StrCat("the weights file has ", weights.size(), " bytes, the index says ",
                                index.weights_bytes, " (truncated or replaced)"));
  uint32_t crc = Crc32(weights);
  if (crc != index.weights_crc32)
    return Corrupt(
        file, absl::StrCat("checksum mismatch: the weights' CRC32 is ", crc, ", the index says ",
                           index.weights_crc32, " (the file is corrupt)"));
  return absl::OkStatus();
}

std::string EncodeState(const CheckpointState& state) {
  Json j = {{"model_checkpoint_path", state.latest}, {"all_model_checkpoint_paths", state.all}};
  return j.dump(1) + "\n";
}

absl::StatusOr<CheckpointState> ParseState(std::string_view text, const std::string& file) {
  auto corrupt = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("[latest_checkpoint] '", file,
                     "': corrupt checkpoint state file (expected JSON "
                     "{\"model_checkpoint_path\": ..., "
                     "\"all_model_checkpoint_paths\": [...]})"));
  };
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("model_checkpoint_path") ||
      !j["model_checkpoint_path"].is_string() || !j.contains("all_model_checkpoint_paths") ||
      !j["all_model_checkpoint_paths"].is_array())
    return corrupt();
  CheckpointState state;
  state.latest = j["model_checkpoint_path"].get<std::string>();
  for (const Json& p : j["all_model_checkpoint_paths"]) {
    if (!p.is_string()) return corrupt();
    state.all.push_back(p.get<std::string>());
  }
  return state;
}

absl::StatusOr<CheckpointState> ReadState(const std::string& dir) {
  const std::string path = JoinPath(dir, "checkpoint");
  ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path, kMaxStateBytes, "latest_checkpoint"));
  return ParseState(text, path);
}

absl::Status WriteState(const std::string& dir, const CheckpointState& state) {
  const std::string text = EncodeState(state);
  return WriteFileAtomically(JoinPath(dir, "checkpoint"),
                             [&](FileSink& out) { return out.Write(text.data(), text.size()); });
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace duet::train
