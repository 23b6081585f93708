// Replays the IDX fuzz seeds (testdata/idx_corpus) through the fuzz entry, so CI runs it
// without libFuzzer, and checks the valid seeds still parse and the broken ones still fail.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/data/gzip_file.h"
#include "api/data/idx.h"
#include "gtest/gtest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace duet::data {
namespace {

TEST(IdxCorpusTest, EverySeedRunsAndKeepsItsVerdict) {
  const std::string dir = "api/data/testdata/idx_corpus";
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0);
    absl::StatusOr<std::string> raw = ReadMaybeGzipFile(entry.path().string(), 1 << 20);
    // ok_* seeds are valid IDX files (some gzip'd), bad_* ones are each broken in one way.
    const bool valid = entry.path().filename().string().rfind("ok_", 0) == 0;
    EXPECT_EQ(raw.ok() && ParseIdx(*raw, {.dtype = DType::kFloat64}).ok(), valid) << entry.path();
    ++seeds;
  }
  EXPECT_GE(seeds, 18);
}

}  // namespace
}  // namespace duet::data
