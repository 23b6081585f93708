// Replays files through a fuzz target's LLVMFuzzerTestOneInput, one GoogleTest test per file:
// the seed-corpus test of every duet_fuzz_target (tools/fuzz/fuzz.bzl), and a way to reproduce
// a fuzzer's crash with the default gcc toolchain. Directories are walked recursively.
// Example: bazel run //runtime:npy_fuzz -- /tmp/duet-fuzz/npy_fuzz/crash-1f2e3d
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

std::vector<std::string> CollectFiles(int argc, char** argv) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path().string());
    } else {
      files.push_back(p.string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Runs one input the way libFuzzer does: an exactly sized heap copy, so ASan sees overreads.
void Replay(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot open " << path;
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto copy = std::make_unique<uint8_t[]>(bytes.size() + (bytes.empty() ? 1 : 0));
  std::copy(bytes.begin(), bytes.end(), copy.get());
  int rc = LLVMFuzzerTestOneInput(copy.get(), bytes.size());
  EXPECT_TRUE(rc == 0 || rc == -1) << path << ": LLVMFuzzerTestOneInput returned " << rc;
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::string> files = CollectFiles(argc, argv);
  if (files.empty()) {
    std::fprintf(stderr, "replay: no input files (usage: %s FILE_OR_DIR...)\n", argv[0]);
    return 1;
  }
  for (const std::string& f : files) {
    std::string name = std::filesystem::path(f).filename().string();
    testing::RegisterTest("Corpus", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [f]() -> testing::Test* {
                            struct One : testing::Test {
                              explicit One(std::string p) : path(std::move(p)) {}
                              void TestBody() override { Replay(path); }
                              std::string path;
                            };
                            return new One(f);
                          });
  }
  return RUN_ALL_TESTS();
}
