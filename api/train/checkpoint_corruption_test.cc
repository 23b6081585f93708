// Corrupt checkpoints: every truncation of either file, every flipped byte of the weights, a
// lying header under a valid checksum, an index that disagrees with its weights, and a process
// killed mid-save. Each is an error naming the file, and a failed restore changes nothing.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "api/duet.h"
#include "api/train/checkpoint.h"
#include "api/train/checkpoint_files.h"
#include "api/train/read_file.h"
#include "api/train/safetensors.h"
#include "api/train/test_objects.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet::train {
namespace {

std::string ReadAll(const std::string& path) { return *ReadWholeFile(path, 1 << 30, "test"); }

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A saved checkpoint of w = [1, 2, 3] and n = 5; restores go into w2/n2 (set to 0).
struct Fixture {
  explicit Fixture(const std::string& name) : dir(CheckpointDir(name)) {
    Variable w(constant({1.f, 2.f, 3.f}), "w"), n(constant(int64_t{5}, DType::kInt64), "n");
    path = Checkpoint({{"w", w}, {"n", n}}).save(dir);
    weights = ReadAll(path + ".safetensors");
    index = ReadAll(path + ".index");
  }
  // Restoring must throw `want` and leave the variables as they were.
  void ExpectRestoreFails(const std::string& want) {
    Variable w2(zeros({3}), "w"), n2(constant(int64_t{0}, DType::kInt64), "n");
    Checkpoint ckpt({{"w", w2}, {"n", n2}});
    ExpectError([&] { ckpt.restore(path); }, want);
    EXPECT_EQ(w2.value().to_vector<float>(), std::vector<float>(3, 0.f));
    EXPECT_EQ(ckpt.save_counter().value().item<int64_t>(), 0);
  }
  std::string dir, path, weights, index;
};

TEST(CheckpointCorruption, EveryTruncatedWeightsFileIsDetected) {
  Fixture f("trunc_weights");
  for (size_t n = 0; n < f.weights.size(); ++n) {
    WriteAll(f.path + ".safetensors", f.weights.substr(0, n));
    f.ExpectRestoreFails("'" + f.path + ".safetensors': the weights file has " + std::to_string(n) +
                         " bytes");
  }
}

TEST(CheckpointCorruption, EveryTruncatedIndexIsDetected) {
  Fixture f("trunc_index");
  for (size_t n = 0; n + 1 < f.index.size(); ++n) {  // the last byte is the newline
    WriteAll(f.path + ".index", f.index.substr(0, n));
    f.ExpectRestoreFails("[Checkpoint.restore] '" + f.path + ".index': ");
  }
}

TEST(CheckpointCorruption, EveryFlippedByteFailsTheChecksum) {
  Fixture f("flip");
  for (size_t i = 0; i < f.weights.size(); ++i) {
    std::string bad = f.weights;
    bad[i] ^= 0x10;
    WriteAll(f.path + ".safetensors", bad);
    f.ExpectRestoreFails("'" + f.path + ".safetensors': checksum mismatch");
  }
}

TEST(CheckpointCorruption, ALyingHeaderUnderAValidChecksumIsRejected) {
  Fixture f("lying");
  std::string bad = f.weights;
  bad[6] = '\x01';  // header length 2^48 + ..., past the end of the file
  WriteAll(f.path + ".safetensors", bad);
  WriteAll(f.path + ".index", EncodeIndex(MakeIndex(1, bad, {})));
  f.ExpectRestoreFails("[Checkpoint.restore] '" + f.path +
                       ".safetensors': header length 2814749767");

  absl::StatusOr<std::string> other = EncodeSafetensors({{"w", constant({1.f, 2.f, 3.f})}}, {});
  ASSERT_TRUE(other.ok());
  WriteAll(f.path + ".safetensors", *other);
  WriteAll(f.path + ".index",
           EncodeIndex(MakeIndex(1, *other, {{"w", {Shape{4}, DType::kFloat32}}})));
  f.ExpectRestoreFails("the index lists other entries than the weights file holds");
}

TEST(CheckpointCorruption, MissingWeightsAndForeignIndexes) {
  Fixture f("missing_weights");
  std::filesystem::remove(f.path + ".safetensors");
  f.ExpectRestoreFails("'" + f.path + ".safetensors': cannot open");
  WriteAll(f.path + ".index", R"({"format": "duet-checkpoint", "version": 99})");
  f.ExpectRestoreFails("index version 99 is not supported");
  WriteAll(f.path + ".index", R"({"format": "something else"})");
  f.ExpectRestoreFails("not a duet checkpoint index");
}

// A child saves a 1 MB variable over and over and is killed at some moment of a save, eight
// times. Every checkpoint the state file names must restore whole (all of one round's value),
// and after one more save the directory holds no temporary file. The parent prepares the
// values, so the child only writes files.
TEST(CheckpointCorruption, AKillMidSaveLeavesTheLatestCheckpointWhole) {
  const std::string dir = CheckpointDir("kill");
  constexpr int64_t kSize = 1 << 18;
  for (int round = 1; round <= 8; ++round) {
    Variable big(zeros({kSize}), "big");
    Checkpoint ckpt({{"big", big}});
    ckpt.restore(latest_checkpoint(dir));  // numbering continues from the last whole save
    big.assign(fill({kSize}, round));
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0)
      for (;;) ckpt.save(dir);
    usleep(20000 + 15000 * round);  // a few saves; no assertion depends on how many
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);

    std::string latest = latest_checkpoint(dir);
    if (latest.empty()) continue;  // killed before any save finished
    Variable into(zeros({kSize}), "big");
    Checkpoint reader({{"big", into}});
    EXPECT_TRUE(reader.restore(latest)) << latest;
    std::vector<float> v = into.value().to_vector<float>();
    EXPECT_GE(v[0], 1.f);
    EXPECT_LE(v[0], round);
    EXPECT_EQ(std::count(v.begin(), v.end(), v[0]), kSize) << "a torn checkpoint: " << latest;
  }
  Variable x(zeros({kSize}), "big");
  Checkpoint ckpt({{"big", x}});
  ckpt.restore(latest_checkpoint(dir));
  ckpt.save(dir);
  for (const std::string& name : DirEntries(dir))
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
}

}  // namespace
}  // namespace duet::train
