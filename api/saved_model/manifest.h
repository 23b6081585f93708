// The manifest of a saved model directory, `saved_model.json`:
//   {"format": "duet-saved-model", "format_version": 1, "producer": "duet 0.1",
//    "signature": {"inputs": [{"name": "input_0", "dtype": "float32", "shape": [-1, 784]}],
//                  "outputs": [{"name": "output_0", "dtype": "float32", "shape": [-1, 10]}]},
//    "variables": [{"name": "model/dense/kernel", "dtype": "float32", "shape": [784, 10],
//                   "trainable": true}],
//    "files": {"module.mlirbc": {"bytes": 1234, "crc32": 5678}, "module.mlir": {...},
//              "variables.safetensors": {...}}}
// ParseManifest treats the text as untrusted: every field is checked, a newer format_version is
// refused naming both versions, and sizes are bounded before anyone allocates by them.
// Example:
//   ASSIGN_OR_RETURN(Manifest m, ParseManifest(text, "dir/saved_model.json"));
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/tensor.h"

namespace duet::saved_model {

inline constexpr int kFormatVersion = 1;
inline constexpr const char* kProducer = "duet 0.1";
inline constexpr const char* kManifestFile = "saved_model.json";
inline constexpr const char* kBytecodeFile = "module.mlirbc";
inline constexpr const char* kTextFile = "module.mlir";
inline constexpr const char* kWeightsFile = "variables.safetensors";
inline constexpr uint64_t kMaxManifestBytes = uint64_t{1} << 20;
inline constexpr uint64_t kMaxFileBytes = uint64_t{4} << 30;  // per file

struct NamedSpec {
  std::string name;
  TensorSpec spec;
  bool trainable = true;  // variables only
};

struct FileEntry {
  uint64_t bytes = 0;
  uint32_t crc32 = 0;
};

struct Manifest {
  int format_version = kFormatVersion;
  std::string producer = kProducer;
  std::vector<NamedSpec> inputs, outputs, variables;
  std::map<std::string, FileEntry> files;  // the three data files, by name
};

uint32_t Crc32(std::string_view bytes);
FileEntry EntryOf(std::string_view bytes);

std::string EncodeManifest(const Manifest& manifest);
// InvalidArgument "[saved_model.load] '<file>': ..." on anything malformed.
absl::StatusOr<Manifest> ParseManifest(std::string_view text, const std::string& file);

}  // namespace duet::saved_model
