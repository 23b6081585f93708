// Crash safety of save: a writer killed at any moment leaves the previous export or the new one,
// whole and loadable, never a mix; after the next save no temporary is left. The children only
// run the directory write (with two exports' bytes prepared by the parent), since a forked
// child of a threaded process must not run ops.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "api/saved_model/atomic_dir.h"
#include "api/saved_model/manifest.h"
#include "api/saved_model/saved_model.h"
#include "api/saved_model/test_models.h"

namespace duet::saved_model {
namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

Files ReadExport(const std::string& dir) {
  Files files;
  for (const char* name : {kBytecodeFile, kTextFile, kWeightsFile, kManifestFile}) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files.emplace_back(name, ss.str());
  }
  return files;
}

std::vector<std::pair<std::string, std::string_view>> Views(const Files& files) {
  return {files.begin(), files.end()};
}

TEST(SavedModelKill, KillAtAnyMomentLeavesOneWholeExport) {
  std::string scratch = TestDir("kill_sources");
  Variable k(constant(2.f), "k");
  auto f = function([&](Tensor x) { return x * k; });
  save(f, scratch + "/a", {TensorSpec({1}, DType::kFloat32)});
  k.assign(constant(3.f));
  save(f, scratch + "/b", {TensorSpec({1}, DType::kFloat32)});
  const Files a = ReadExport(scratch + "/a"), b = ReadExport(scratch + "/b");

  std::string parent = TestDir("kill");
  const std::string dir = parent + "/export";
  ASSERT_TRUE(WriteDirectoryAtomically(dir, Views(a)).ok());
  std::set<float> seen;
  for (int round = 0; round < 12; ++round) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (int i = 0;; ++i)
        if (!WriteDirectoryAtomically(dir, Views(i % 2 ? a : b)).ok()) _exit(3);
    }
    usleep(2000 + round * round * 2500);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer failed on its own, status " << status;
    float y = load(dir)(constant({1.f})).to_vector<float>()[0];  // whole: it loads, all checks pass
    EXPECT_TRUE(y == 2.f || y == 3.f) << y;
    seen.insert(y);
    for (const std::string& e : DirEntries(parent)) EXPECT_EQ(e.rfind("export", 0), 0u) << e;
  }
  EXPECT_EQ(seen.size(), 2u) << "no child ever completed a save: the test tested nothing";
  save(f, dir, {TensorSpec({1}, DType::kFloat32)});  // removes what a killed save left
  EXPECT_EQ(DirEntries(parent), std::vector<std::string>{"export"});
}

}  // namespace
}  // namespace duet::saved_model
