#include "api/saved_model/manifest.h"

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "zlib.h"

namespace duet::saved_model {
namespace {

using Json = nlohmann::json;

constexpr int64_t kMaxRank = 32;
constexpr size_t kMaxEntries = 100000;

absl::Status Corrupt(const std::string& file, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("[saved_model.load] '", file, "': ", what));
}

Json SpecsJson(const std::vector<NamedSpec>& specs, bool with_trainable) {
  Json list = Json::array();
  for (const NamedSpec& s : specs) {
    Json e = {{"name", s.name}, {"dtype", DTypeName(s.spec.dtype)}, {"shape", Json::array()}};
    for (int d = 0; d < s.spec.shape.rank(); ++d) e["shape"].push_back(s.spec.shape[d]);
    if (with_trainable) e["trainable"] = s.trainable;
    list.push_back(std::move(e));
  }
  return list;
}

std::optional<DType> DTypeNamed(const std::string& name) {
  for (int i = 0; i < kNumDTypes; ++i)
    if (name == DTypeName(static_cast<DType>(i))) return static_cast<DType>(i);
  return std::nullopt;
}

absl::StatusOr<std::vector<NamedSpec>> ParseSpecs(const Json& list, const std::string& what,
                                                  bool dynamic_ok, const std::string& file) {
  if (!list.is_array() || list.size() > kMaxEntries)
    return Corrupt(file, absl::StrCat("'", what, "' must be a list"));
  std::vector<NamedSpec> out;
  for (const Json& e : list) {
    if (!e.is_object() || !e.contains("name") || !e["name"].is_string() || !e.contains("dtype") ||
        !e["dtype"].is_string() || !e.contains("shape") || !e["shape"].is_array())
      return Corrupt(
          file, absl::StrCat("an entry of '", what, "' lacks a string name, a dtype or a shape"));
    NamedSpec s;
    s.name = e["name"].get<std::string>();
    std::optional<DType> dtype = DTypeNamed(e["dtype"].get<std::string>());
    if (!dtype)
      return Corrupt(file, absl::StrCat("'", what, "' entry '", s.name, "' has an unknown dtype"));
    if (e["shape"].size() > kMaxRank)
      return Corrupt(file, absl::StrCat("'", what, "' entry '", s.name, "' has too many dims"));
    std::vector<int64_t> dims;
    for (const Json& d : e["shape"]) {
      if (!d.is_number_integer() || d.get<int64_t>() < (dynamic_ok ? -1 : 0))
        return Corrupt(file, absl::StrCat("'", what, "' entry '", s.name,
                                          "' has a bad dim (want an integer >= ",
                                          dynamic_ok ? "-1" : "0", ")"));
      dims.push_back(d.get<int64_t>());
    }
    s.spec = TensorSpec(Shape(dims), *dtype);
    if (e.contains("trainable")) {
      if (!e["trainable"].is_boolean()) return Corrupt(file, "'trainable' must be true or false");
      s.trainable = e["trainable"].get<bool>();
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32_z(0L, Z_NULL, 0);
  return static_cast<uint32_t>(
      crc32_z(crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

FileEntry EntryOf(std::string_view bytes) { return {bytes.size(), Crc32(bytes)}; }

std::string EncodeManifest(const Manifest& m) {
  Json files = Json::object();
  for (const auto& [name, entry] : m.files)
    files[name] = {{"bytes", entry.bytes}, {"crc32", entry.crc32}};
  Json j = {{"format", "duet-saved-model"},
            {"format_version", m.format_version},
            {"producer", m.producer},
            {"signature",
             {{"inputs", SpecsJson(m.inputs, false)}, {"outputs", SpecsJson(m.outputs, false)}}},
            {"variables", SpecsJson(m.variables, true)},
            {"files", files}};
  return j.dump(2) + "\n";
}

absl::StatusOr<Manifest> ParseManifest(std::string_view text, const std::string& file) {
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return Corrupt(file, "not a JSON object (corrupt or truncated)");
  if (!j.contains("format") || j["format"] != "duet-saved-model")
    return Corrupt(file,
                   "not a duet saved model manifest (its \"format\" is not \"duet-saved-model\")");
  if (!j.contains("format_version") || !j["format_version"].is_number_integer())
    return Corrupt(file, "the manifest lacks an integer format_version");
  Manifest m;
  int64_t version = j["format_version"].get<int64_t>();
  std::string producer =
      j.contains("producer") && j["producer"].is_string() ? j["producer"].get<std::string>() : "?";
  if (version > kFormatVersion)
    return absl::FailedPreconditionError(
        absl::StrCat("[saved_model.load] '", file, "': format version ", version, " (written by ",
                     producer, ") is newer than this reader's format version ", kFormatVersion,
                     " (", kProducer, "); use a newer duet"));
  if (version < 1)
    return Corrupt(file, absl::StrCat("format version ", version, " is not a version"));
  m.format_version = static_cast<int>(version);
  m.producer = producer;
  if (!j.contains("signature") || !j["signature"].is_object() ||
      !j["signature"].contains("inputs") || !j["signature"].contains("outputs") ||
      !j.contains("variables") || !j.contains("files") || !j["files"].is_object())
    return Corrupt(file,
                   "the manifest lacks signature.inputs, signature.outputs, variables or files");
  auto specs = [&](const Json& list, const char* what, bool dynamic_ok,
                   std::vector<NamedSpec>& into) {
    absl::StatusOr<std::vector<NamedSpec>> parsed = ParseSpecs(list, what, dynamic_ok, file);
    if (parsed.ok()) into = *std::move(parsed);
    return parsed.status();
  };
  if (absl::Status s = specs(j["signature"]["inputs"], "inputs", true, m.inputs); !s.ok()) return s;
  if (absl::Status s = specs(j["signature"]["outputs"], "outputs", true, m.outputs); !s.ok())
    return s;
  if (absl::Status s = specs(j["variables"], "variables", false, m.variables); !s.ok()) return s;
  for (const char* name : {kBytecodeFile, kTextFile, kWeightsFile}) {
    const Json& files = j["files"];
    if (!files.contains(name) || !files[name].is_object() || !files[name].contains("bytes") ||
        !files[name]["bytes"].is_number_unsigned() || !files[name].contains("crc32") ||
        !files[name]["crc32"].is_number_unsigned())
      return Corrupt(file, absl::StrCat("files.", name, " lacks bytes or crc32"));
    FileEntry e{files[name]["bytes"].get<uint64_t>(), 0};
    uint64_t crc = files[name]["crc32"].get<uint64_t>();
    if (e.bytes > kMaxFileBytes || crc > 0xffffffffu)
      return Corrupt(file, absl::StrCat("files.", name, " has an out-of-range size or crc32"));
    e.crc32 = static_cast<uint32_t>(crc);
    m.files[name] = e;
  }
  return m;
}

}  // namespace duet::saved_model
