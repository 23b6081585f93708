// libFuzzer target for the checkpoint readers: the input bytes go to ParseSafetensors (the
// weights), ParseIndex and ParseState (the JSON side files). None may crash; errors must carry
// their "[...]" prefix and no NUL byte; a parsed weights file must re-encode to bytes that parse
// to the same tensors (names, specs, data). Seeds: corpus/safetensors_fuzz/.
// Example: ./dev fuzz //api/train:safetensors_fuzz 600
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "api/train/checkpoint_files.h"
#include "api/train/safetensors.h"

namespace {

[[noreturn]] void Broken(const char* what, const std::string& detail) {
  std::fprintf(stderr, "safetensors_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

void CheckError(const absl::Status& s, const char* prefix) {
  const std::string msg(s.message());
  if (msg.rfind(prefix, 0) != 0) Broken("error without its prefix", msg);
  if (msg.find('\0') != std::string::npos) Broken("NUL byte in the error message", msg);
}

bool Same(const duet::Tensor& a, const duet::Tensor& b) {
  return a.spec() == b.spec() &&
         (a.num_bytes() == 0 || std::memcmp(a.raw_data(), b.raw_data(), a.num_bytes()) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<duet::train::SafetensorsContents> st =
      duet::train::ParseSafetensors(bytes, "fuzz");
  if (!st.ok()) {
    CheckError(st.status(), "[load_safetensors] 'fuzz': ");
  } else {
    absl::StatusOr<std::string> again = duet::train::EncodeSafetensors(st->tensors, st->metadata);
    if (!again.ok())
      Broken("a parsed file does not re-encode", std::string(again.status().message()));
    absl::StatusOr<duet::train::SafetensorsContents> back =
        duet::train::ParseSafetensors(*again, "again");
    if (!back.ok())
      Broken("a re-encoded file does not parse", std::string(back.status().message()));
    if (back->tensors.size() != st->tensors.size() || back->metadata != st->metadata)
      Broken("the round trip changed the entries", "");
    for (size_t i = 0; i < st->tensors.size(); ++i)
      if (back->tensors[i].first != st->tensors[i].first ||
          !Same(back->tensors[i].second, st->tensors[i].second))
        Broken("the round trip changed a tensor", st->tensors[i].first);
  }
  absl::StatusOr<duet::train::CheckpointIndex> index = duet::train::ParseIndex(bytes, "fuzz");
  if (!index.ok()) CheckError(index.status(), "[Checkpoint.restore] 'fuzz': ");
  absl::StatusOr<duet::train::CheckpointState> state = duet::train::ParseState(bytes, "fuzz");
  if (!state.ok()) CheckError(state.status(), "[latest_checkpoint] 'fuzz': ");
  return 0;
}
