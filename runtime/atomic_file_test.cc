// Crash safety: a process killed in the middle of WriteFileAtomically leaves the previous file
// whole and no temporary file; failed fills leave nothing either.
#include "runtime/atomic_file.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/test_dir.h"

namespace duet {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status WriteString(const std::string& path, const std::string& s) {
  return WriteFileAtomically(path, [&](FileSink& out) { return out.Write(s.data(), s.size()); });
}

TEST(AtomicFile, WritesAndReplaces) {
  std::string dir = TestDir("replace");
  ASSERT_TRUE(WriteString(dir + "/f", "one").ok());
  ASSERT_TRUE(WriteString(dir + "/f", "two!").ok());
  EXPECT_EQ(ReadAll(dir + "/f"), "two!");
  EXPECT_EQ(DirEntries(dir), std::vector<std::string>{"f"});
}

TEST(AtomicFile, FailedFillLeavesTheOldFileAndNoTemporary) {
  std::string dir = TestDir("failed");
  ASSERT_TRUE(WriteString(dir + "/f", "old").ok());
  absl::Status s = WriteFileAtomically(dir + "/f", [](FileSink& out) {
    EXPECT_TRUE(out.Write("partial", 7).ok());
    return absl::DataLossError("the producer gave up");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("the producer gave up"), std::string::npos) << s;
  EXPECT_NE(s.message().find(dir + "/f"), std::string::npos) << s;
  EXPECT_EQ(ReadAll(dir + "/f"), "old");
  EXPECT_EQ(DirEntries(dir), std::vector<std::string>{"f"});
}

TEST(AtomicFile, MissingDirectoryIsAnErrorNamingThePath) {
  absl::Status s = WriteString("/nonexistent-duet-dir/f", "x");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent-duet-dir/f"), std::string::npos) << s;
}

// Children rewrite the file with 4 MiB of one repeated letter, forever; each is killed after a
// different delay. Whatever the moment, the file holds exactly one whole version.
TEST(AtomicFile, KillAtAnyMomentLeavesOneWholeVersion) {
  std::string dir = TestDir("kill");
  const std::string path = dir + "/weights.bin";
  const size_t kSize = 4 << 20;
  ASSERT_TRUE(WriteString(path, std::string(kSize, 'a')).ok());
  std::string versions_seen;
  for (int round = 0; round < 12; ++round) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (char c = 'b';; c = c == 'z' ? 'b' : static_cast<char>(c + 1)) {
        std::string s(kSize, c);
        if (!WriteFileAtomically(path, [&](FileSink& out) {
               return out.Write(s.data(), s.size());
             }).ok())
          _exit(3);
      }
    }
    usleep(2000 + round * round * 2500);  // up to 0.3 s: some writes complete
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer failed on its own, status " << status;
    std::string now = ReadAll(path);
    ASSERT_EQ(now.size(), kSize) << "round " << round;
    EXPECT_EQ(now, std::string(kSize, now[0])) << "round " << round << ": a torn file";
    if (versions_seen.find(now[0]) == std::string::npos) versions_seen += now[0];
  }
  EXPECT_GT(versions_seen.size(), 1u) << "no child ever completed a write: the test tested nothing";
  // A temp file can only survive the instant between naming and renaming; the next write
  // clears it, so after one more write the directory holds just the file.
  ASSERT_TRUE(WriteString(path, "final").ok());
  EXPECT_EQ(DirEntries(dir), std::vector<std::string>{"weights.bin"});
}

}  // namespace
}  // namespace duet
