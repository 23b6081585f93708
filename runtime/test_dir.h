// Scratch directories for file tests: a fresh directory under TEST_TMPDIR and its listing, so
// a test can check that a write left exactly the files it should (no temporaries).
// Example: std::string dir = TestDir("kill"); ... EXPECT_EQ(DirEntries(dir), {"w.npy"});
#pragma once

#include <dirent.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace duet {

inline std::string TestDir(const std::string& name) {
  const char* d = std::getenv("TEST_TMPDIR");
  std::string dir = std::string(d ? d : "/tmp") + "/" + name;
  EXPECT_EQ(std::system(("rm -rf '" + dir + "' && mkdir -p '" + dir + "'").c_str()), 0);
  return dir;
}

// The names in `dir`, without "." and "..".
inline std::vector<std::string> DirEntries(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (!d) return names;
  while (dirent* e = readdir(d))
    if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") names.push_back(e->d_name);
  closedir(d);
  return names;
}

}  // namespace duet
