// Replays the IDX fuzz seeds (corpus/idx_fuzz) through the fuzz entry, so CI runs it without
// libFuzzer, and checks their meaning: ok_* files parse, bad_* files are refused; others (crash
// reproducers) only have to be survived.
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
  const std::string dir = "api/data/corpus/idx_fuzz";
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0);
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
