// The IDX fuzz entry: any bytes, gzip'd (1f 8b) or not, through Gunzip and ParseIdx with the
// options the Fashion-MNIST loader uses. Both must return a status, never crash, hang or
// allocate beyond their caps. Seeds: corpus/idx_fuzz (valid files of every element type and
// the corruptions idx_test checks), replayed by idx_fuzz_corpus_test.
// Example: ./dev fuzz //api/data:idx_fuzz 600
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/data/gzip_file.h"
#include "api/data/idx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace duet;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string inflated;
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
    absl::StatusOr<std::string> out = data::Gunzip(bytes, size_t{1} << 24);
    if (!out.ok()) return 0;
    inflated = *std::move(out);
    bytes = inflated;
  }
  (void)data::ParseIdx(bytes);
  (void)data::ParseIdx(
      bytes, {.dtype = DType::kFloat32, .scale = 1 / 255.0, .expected_dims = {-1, 28, 28}});
  (void)data::ParseIdx(bytes, {.dtype = DType::kFloat64});
  return 0;
}
