// The IDX fuzz seeds (corpus/idx_fuzz, replayed through the fuzz entry by idx_fuzz_corpus_test)
// keep their meaning: ok_* files parse, bad_* files are refused; others (crash reproducers)
// only have to be survived.
#include <filesystem>

#include "api/data/gzip_file.h"
#include "api/data/idx.h"
#include "gtest/gtest.h"

namespace duet::data {
namespace {

TEST(IdxCorpusTest, EverySeedKeepsItsVerdict) {
  const std::string dir = "api/data/corpus/idx_fuzz";
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    absl::StatusOr<std::string> raw = ReadMaybeGzipFile(entry.path().string(), 1 << 20);
    const std::string name = entry.path().filename().string();
    const bool parses = raw.ok() && ParseIdx(*raw, {.dtype = DType::kFloat64}).ok();
    if (name.rfind("ok_", 0) == 0) {
      EXPECT_TRUE(parses) << name;
    } else if (name.rfind("bad_", 0) == 0) {
      EXPECT_FALSE(parses) << name;
    }
    ++seeds;
  }
  EXPECT_GE(seeds, 18);
}

}  // namespace
}  // namespace duet::data
