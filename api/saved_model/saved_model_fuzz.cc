// Fuzz entry for the saved-model loader: the input is the four files joined by a separator line
// (manifest, bytecode, text, weights; see corpus/saved_model_fuzz/), loaded without the CRC
// checks so mutations reach the manifest, safetensors and MLIR parsers and the IR checks. It
// must return an error or a model, never crash. (It does not run what it loaded: a fuzzed
// graph may legitimately loop forever.)
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/saved_model/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using duet::saved_model::internal::LoadFromFiles;
  constexpr std::string_view kSeparator = "\n--duet-saved-model-file--\n";
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view parts[4];
  for (int i = 0; i < 3; ++i) {
    size_t at = input.find(kSeparator);
    if (at == std::string_view::npos) return 0;
    parts[i] = input.substr(0, at);
    input.remove_prefix(at + kSeparator.size());
  }
  parts[3] = input;
  auto state =
      LoadFromFiles({parts[0], parts[1], parts[2], parts[3]}, "fuzz", /*check_integrity=*/false);
  if (state.ok() && !(*state)->program) abort();  // a loaded model always has its program
  return 0;
}
