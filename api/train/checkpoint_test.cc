// Checkpoint and CheckpointManager: the guide's example, object paths, numbering that survives a
// restore, deferred restoration, the one-error mismatch report, max_to_keep, latest_checkpoint.
#include "api/train/checkpoint.h"

#include <filesystem>
#include <fstream>

#include "api/duet.h"
#include "api/train/checkpoint_manager.h"
#include "api/train/safetensors.h"
#include "api/train/test_objects.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet::train {
namespace {

namespace fs = std::filesystem;

std::vector<float> Floats(const Variable& v) { return v.value().to_vector<float>(); }

TEST(Checkpoint, GuideExample) {
  const std::string dir = CheckpointDir("guide");
  Variable x(constant(10.f), "x");
  Checkpoint checkpoint({{"x", x}});
  x.assign(2.f);
  EXPECT_EQ(checkpoint.save(dir), dir + "ckpt-1");
  x.assign(11.f);
  EXPECT_TRUE(checkpoint.restore(latest_checkpoint(dir)));
  EXPECT_EQ(x.value().item<float>(), 2.f);
}

TEST(Checkpoint, SavesNestedObjectsByPathAsSafetensors) {
  const std::string dir = CheckpointDir("nested");
  TestModel model;
  model.Build(3);
  Variable step(constant(int64_t{7}, DType::kInt64), "step");
  Checkpoint ckpt({{"model", model}, {"step", step}});
  std::vector<std::string> paths;
  for (const auto& [path, v] : ckpt.variables()) paths.push_back(path);
  EXPECT_EQ(paths, (std::vector<std::string>{"model/dense1/kernel", "model/dense1/bias",
                                             "model/dense2/kernel", "model/dense2/bias", "step",
                                             "save_counter"}));

  model.dense1.bias.assign(constant({1.f, 2.f, 3.f, 4.f}));
  std::string path = ckpt.save(dir);
  EXPECT_EQ(DirEntries(dir),
            (std::vector<std::string>{"checkpoint", "ckpt-1.index", "ckpt-1.safetensors"}));
  NamedTensors file =
      load_safetensors(path + ".safetensors");  // readable by any safetensors reader
  ASSERT_EQ(file.size(), 6u);
  EXPECT_EQ(file[1].first, "model/dense1/bias");
  EXPECT_EQ(file[1].second.to_vector<float>(), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(file[5].first, "save_counter");
  EXPECT_EQ(file[5].second.item<int64_t>(), 1);

  model.dense1.bias.assign(zeros({4}));
  model.dense2.kernel.assign(zeros({4, 2}));
  step.assign(int64_t{99});
  ckpt.restore(path);
  EXPECT_EQ(Floats(model.dense1.bias), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(Floats(model.dense2.kernel), std::vector<float>(8, 0.5f));
  EXPECT_EQ(step.value().item<int64_t>(), 7);
}

TEST(Checkpoint, NumberingContinuesAfterARestore) {
  const std::string dir = CheckpointDir("numbering");
  Variable x(constant(1.f), "x");
  Checkpoint a({{"x", x}});
  EXPECT_EQ(a.save(dir), dir + "ckpt-1");
  EXPECT_EQ(a.save(dir), dir + "ckpt-2");
  EXPECT_EQ(a.save(dir + "model"), dir + "model-3");  // TF's form for a non-directory prefix
  Checkpoint b({{"x", x}});
  b.restore(dir + "ckpt-2");
  EXPECT_EQ(b.save_counter().value().item<int64_t>(), 2);
  EXPECT_EQ(b.save(dir), dir + "ckpt-3");
  EXPECT_EQ(latest_checkpoint(dir), dir + "ckpt-3");
  EXPECT_EQ(b.write(dir + "exact"), dir + "exact");  // write: no number, no state update
  EXPECT_TRUE(fs::exists(dir + "exact.index"));
  EXPECT_EQ(latest_checkpoint(dir), dir + "ckpt-3");
}

TEST(Checkpoint, RestoringIntoAnUnbuiltModelDefersUntilItsVariablesExist) {
  const std::string dir = CheckpointDir("deferred");
  TestModel trained;
  trained.Build(3);
  trained.dense1.kernel.assign(fill({3, 4}, 7.f));
  trained.dense2.bias.assign(constant({5.f, 6.f}));
  std::string path = Checkpoint({{"model", trained}}).save(dir);

  TestModel fresh;  // not built: no variables yet
  Checkpoint ckpt({{"model", fresh}});
  ckpt.restore(path);
  EXPECT_EQ(fresh.num_deferred(), 4u);
  fresh.Build(3);
  EXPECT_EQ(fresh.num_deferred(), 0u);
  EXPECT_EQ(fresh.dense1.num_deferred(), 0u);
  EXPECT_EQ(Floats(fresh.dense1.kernel), std::vector<float>(12, 7.f));
  EXPECT_EQ(Floats(fresh.dense2.bias), (std::vector<float>{5, 6}));
}

TEST(Checkpoint, AMismatchListsEveryProblemAndChangesNothing) {
  const std::string dir = CheckpointDir("mismatch");
  TestDense dense(4);
  dense.Build(3);
  Variable a(constant({1.f, 2.f}), "a"), b(constant(1.f), "b"), gone(constant(1.f), "gone");
  std::string path = Checkpoint({{"dense", dense}, {"a", a}, {"b", b}, {"gone", gone}}).save(dir);

  TestDense other(5);  // kernel (3, 5), bias (5)
  other.Build(3);
  Variable a2(constant({9.f, 9.f}), "a"), b2(constant(9.0), "b"), extra(constant(9.f), "extra");
  Checkpoint ckpt({{"dense", other}, {"a", a2}, {"b", b2}, {"extra", extra}});
  ExpectError([&] { ckpt.restore(path); },
              "[Checkpoint.restore] '" + path +
                  "': 5 problems, nothing was restored:\n"
                  "  mismatched dense/kernel: checkpoint float32(3, 4), variable float32(3, 5)\n"
                  "  mismatched dense/bias: checkpoint float32(4,), variable float32(5,)\n"
                  "  mismatched b: checkpoint float32(), variable float64()\n"
                  "  unexpected gone: float32()\n"
                  "  missing extra: float32()");
  EXPECT_EQ(Floats(a2), (std::vector<float>{9, 9}));  // matched, yet untouched
  EXPECT_EQ(ckpt.save_counter().value().item<int64_t>(), 0);
}

TEST(Checkpoint, RefusesBadObjectsAndMissingCheckpoints) {
  Variable x(constant(1.f), "x");
  ExpectError(
      [&] {
        Checkpoint({{"x", x}, {"x", x}});
      },
      "[Checkpoint] the name 'x' is given twice");
  ExpectError([&] { Checkpoint({{"save_counter", x}}); }, "'save_counter' is reserved");
  ExpectError([&] { Checkpoint({{"a/b", x}}); }, "contain no '/': got 'a/b'");
  ExpectError([&] { Checkpoint({{"e", Variable()}}); }, "'e' is an empty Variable");
  const std::string dir = CheckpointDir("missing");
  Checkpoint ckpt({{"x", x}});
  EXPECT_FALSE(ckpt.restore(""));  // latest_checkpoint found none: start from scratch
  EXPECT_EQ(latest_checkpoint(dir), "");
  ExpectError([&] { ckpt.restore(dir + "ckpt-9"); }, "no checkpoint at '" + dir + "ckpt-9'");
}

class Cyclic : public Trackable {
 public:
  std::vector<std::pair<std::string, Trackable*>> tracked_children() const override {
    return {{"self", const_cast<Cyclic*>(this)}};
  }
};

TEST(Checkpoint, ACycleOfObjectsIsAnError) {
  Cyclic c;
  Checkpoint ckpt({{"c", c}});
  ExpectError([&] { ckpt.save(CheckpointDir("cycle")); }, "'c/self' contains itself");
}

// Variables whose local names are paths, as an optimizer's slots ("m/dense/kernel").
class Slotted : public Trackable {
 public:
  explicit Slotted(std::string name) : name_(std::move(name)) {}
  std::vector<std::pair<std::string, Variable>> tracked_variables() const override {
    return {{name_, v}};
  }
  Variable v{constant({1.f, 2.f}), "v"};

 private:
  std::string name_;
};

TEST(Checkpoint, VariableNamesMayBePathsWithoutEmptySegments) {
  const std::string dir = CheckpointDir("slotted");
  Slotted a("m/dense/kernel");
  std::string path = Checkpoint({{"opt", a}}).save(dir);
  Slotted b("m/dense/kernel");
  b.v.assign(constant({0.f, 0.f}));
  Checkpoint({{"opt", b}}).restore(path);
  EXPECT_EQ(Floats(b.v), (std::vector<float>{1.f, 2.f}));
  for (const char* bad : {"m//kernel", "/m", "m/", ""}) {
    Slotted s(bad);
    ExpectError(
        [&] {
          Checkpoint({{"opt", s}}).save(dir);
        },
        std::string("variable names must be non-empty paths without empty segments: got '") + bad +
            "' in 'opt'");
  }
}

TEST(Checkpoint, LatestCheckpointReadsTheStateFile) {
  const std::string dir = CheckpointDir("state");
  Variable x(constant(1.f), "x");
  Checkpoint ckpt({{"x", x}});
  ckpt.save(dir);
  ckpt.save(dir);
  EXPECT_EQ(latest_checkpoint(dir), dir + "ckpt-2");
  EXPECT_EQ(latest_checkpoint(dir.substr(0, dir.size() - 1)),
            dir + "ckpt-2");  // with or without '/'
  fs::remove(dir + "ckpt-2.index");
  EXPECT_EQ(latest_checkpoint(dir), "");  // names a checkpoint that is gone
  std::ofstream(dir + "checkpoint") << "{not json";
  ExpectError([&] { latest_checkpoint(dir); },
              "[latest_checkpoint] '" + dir + "checkpoint': corrupt");
}

TEST(CheckpointManager, KeepsTheNewestAndResumesInARestartedRun) {
  const std::string dir = CheckpointDir("manager");
  Variable x(constant(0.f), "x");
  Checkpoint ckpt({{"x", x}});
  CheckpointManager mgr(ckpt, dir, /*max_to_keep=*/2);
  EXPECT_EQ(mgr.latest_checkpoint(), "");
  for (int i = 1; i <= 4; ++i) {
    x.assign(static_cast<float>(i));
    EXPECT_EQ(mgr.save(), dir + "ckpt-" + std::to_string(i));
  }
  EXPECT_EQ(DirEntries(dir),
            (std::vector<std::string>{"checkpoint", "ckpt-3.index", "ckpt-3.safetensors",
                                      "ckpt-4.index", "ckpt-4.safetensors"}));
  EXPECT_EQ(mgr.checkpoints(), (std::vector<std::string>{dir + "ckpt-3", dir + "ckpt-4"}));
  EXPECT_EQ(latest_checkpoint(dir), dir + "ckpt-4");

  // A new process: the manager finds the kept list, restore brings back the counter.
  Variable y(constant(0.f), "x");
  Checkpoint again({{"x", y}});
  CheckpointManager mgr2(again, dir, 2);
  EXPECT_EQ(mgr2.checkpoints(), mgr.checkpoints());
  again.restore(mgr2.latest_checkpoint());
  EXPECT_EQ(y.value().item<float>(), 4.f);
  EXPECT_EQ(mgr2.save(), dir + "ckpt-5");
  EXPECT_FALSE(fs::exists(dir + "ckpt-3.index"));
  EXPECT_EQ(DirEntries(dir).size(), 5u);
  ExpectError([&] { CheckpointManager(ckpt, dir, -1); }, "max_to_keep must be >= 0");
}

}  // namespace
}  // namespace duet::train
