// Scratch directories for file tests: a fresh, empty directory under TEST_TMPDIR and its
// listing, so a test can check that a write left exactly the files it should (no temporaries).
// One testonly library (//runtime:test_dir) for every package's file tests.
// Example: std::string dir = TestDir("kill"); ... EXPECT_EQ(DirEntries(dir), {"w.npy"});
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "gtest/gtest.h"

namespace duet {

// "<TEST_TMPDIR>/<name>" (no trailing '/'), emptied and created.
inline std::string TestDir(const std::string& name) {
  const char* d = std::getenv("TEST_TMPDIR");
  std::string dir = std::string(d ? d : "/tmp") + "/" + name;
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  EXPECT_FALSE(ec) << "removing " << dir << ": " << ec.message();
  std::filesystem::create_directories(dir, ec);
  EXPECT_FALSE(ec) << "creating " << dir << ": " << ec.message();
  return dir;
}

// The names in `dir`, sorted, without "." and ".."; empty when `dir` does not exist.
inline std::vector<std::string> DirEntries(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace duet
