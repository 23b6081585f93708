// Crash safety of save_npy (issue 13): a process killed at any moment of a save leaves the
// previous .npy whole and loadable, and no temporary file once the next save ran.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/npy.h"
#include "runtime/test_dir.h"

namespace duet {
namespace {

Tensor Filled(float value, int64_t n) {
  Tensor t = Tensor::Empty({Shape{n}, DType::kFloat32});
  std::fill(t.mutable_data<float>(), t.mutable_data<float>() + n, value);
  return t;
}

// A child saves 1M floats of value 1, 2, 3, ... forever and is killed after a growing delay;
// the file then always loads as one uniform version.
TEST(NpyCrash, KilledSaveLeavesTheLastWholeFile) {
  const std::string dir = TestDir("npy_kill");
  const std::string path = dir + "/w.npy";
  const int64_t kN = 1 << 20;
  save_npy(Filled(0.f, kN), path);
  std::vector<float> seen;
  for (int round = 0; round < 10; ++round) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (float v = 1.f;; v += 1.f)
        if (!WriteNpy(Filled(v, kN), path).ok()) _exit(3);
    }
    usleep(2000 + round * round * 3000);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the saver failed on its own, status " << status;
    absl::StatusOr<Tensor> now = ReadNpy(path);
    ASSERT_TRUE(now.ok()) << "round " << round << ": " << now.status();
    ASSERT_EQ(now->num_elements(), kN);
    const float* p = now->data<float>();
    EXPECT_TRUE(std::all_of(p, p + kN, [&](float x) { return x == p[0]; }))
        << "round " << round << ": torn";
    if (std::find(seen.begin(), seen.end(), p[0]) == seen.end()) seen.push_back(p[0]);
  }
  EXPECT_GT(seen.size(), 1u) << "no child ever completed a save: the test tested nothing";
  save_npy(Filled(-1.f, 4), path);
  EXPECT_EQ(DirEntries(dir), std::vector<std::string>{"w.npy"});
  EXPECT_EQ(load_npy(path).to_vector<float>(), std::vector<float>(4, -1.f));
}

}  // namespace
}  // namespace duet
