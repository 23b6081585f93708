// safetensors (https://github.com/huggingface/safetensors): the weights format of checkpoints.
// A file is an 8-byte little-endian header length N, N bytes of JSON
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"key": "value"}}
// (padded with spaces to a multiple of 8), then the raw little-endian tensor bytes; offsets are
// relative to the end of the header. dtypes: F32 F64 I32 I64 BOOL F16 BF16.
//
// ParseSafetensors is a pure function over bytes (the fuzz target): every file is untrusted, so
// the header length is bounded by the size, the JSON is checked field by field, offsets must lie
// in the buffer and tile it without gaps or overlap (as the reference reader requires), and
// shape x dtype size must equal the span, computed without overflow. Errors are
// InvalidArgument "[<what>] '<file>': entry '<name>': ...".
// Example:
//   ASSIGN_OR_RETURN(std::string bytes, EncodeSafetensors({{"w", w}}, {{"format", "duet"}}));
//   ASSIGN_OR_RETURN(SafetensorsContents c, ParseSafetensors(bytes, "w.safetensors"));
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/error.h"
#include "runtime/tensor.h"

namespace duet::train {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

struct SafetensorsContents {
  NamedTensors tensors;  // in the order of their data in the file
  std::map<std::string, std::string> metadata;
};

// The dtype codes ("F32", "I64", "BOOL", ...); nullopt for codes duet does not read.
const char* SafetensorsCode(DType dtype);
std::optional<DType> DTypeOfSafetensorsCode(std::string_view code);

// An untrusted name as it may appear in an error: control bytes as \xNN, cut after 80 chars.
std::string PrintableName(std::string_view name);

// The file's bytes. Tensors must be defined, concrete (not symbolic), on the CPU, with
// distinct names other than "__metadata__". `file` only names the destination in errors.
absl::StatusOr<std::string> EncodeSafetensors(const NamedTensors& tensors,
                                              const std::map<std::string, std::string>& metadata,
                                              const std::string& file = "<memory>");

// `file` only names the source in errors; `what` is the "[...]" prefix of error messages.
absl::StatusOr<SafetensorsContents> ParseSafetensors(std::string_view bytes,
                                                     const std::string& file,
                                                     const std::string& what = "load_safetensors");

// Whole files (written atomically).
absl::Status WriteSafetensors(const std::string& path, const NamedTensors& tensors,
                              const std::map<std::string, std::string>& metadata = {});
absl::StatusOr<SafetensorsContents> ReadSafetensors(const std::string& path);

// The public versions: throw duet::Error naming the path.
void save_safetensors(const NamedTensors& tensors, const std::string& path,
                      const Loc& loc = Loc::current());
NamedTensors load_safetensors(const std::string& path, const Loc& loc = Loc::current());

}  // namespace duet::train
