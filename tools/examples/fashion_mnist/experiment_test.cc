// The example's run end to end on a slice of Fashion-MNIST (3200 training, 1000 test images):
// both models train compiled, the restored model evaluates exactly like the trained one, the
// event file holds the epoch scalars and the checkpoint exists; the eager MLP run gives the
// compiled one's accuracy. The full-size targets are checked by running the example.
#include "tools/examples/fashion_mnist/experiment.h"

#include <filesystem>

#include "api/summary/event_reader_for_test.h"
#include "gtest/gtest.h"
#include "runtime/test_dir.h"
#include "tests/expect_error.h"
#include "tools/examples/fashion_mnist/models.h"

namespace duet::examples {
namespace {

const Data& Small() {
  static const Data d = [] {
    Data full = LoadData();
    auto rows = [](const Tensor& t, int64_t n) {
      std::vector<int64_t> begin(t.rank(), 0), size = t.shape().dims();
      size[0] = n;
      return slice(t, begin, size);
    };
    return Data{rows(full.train_images, 3200), rows(full.train_labels, 3200),
                rows(full.test_images, 1000), rows(full.test_labels, 1000)};
  }();
  return d;
}

std::vector<std::string> Tags(const std::string& logdir) {
  std::vector<std::string> files = DirEntries(logdir);
  EXPECT_EQ(files.size(), 1u) << logdir;
  std::vector<std::string> tags;
  if (files.empty()) return tags;
  for (const auto& e : summary::ReadEvents(logdir + "/" + files[0]))
    if (e.has_summary())
      tags.push_back(e.summary().value(0).tag() + "@" + std::to_string(e.step()));
  return tags;
}

TEST(FashionMnistExample, TrainsChecksPointsAndRestoresExactly) {
  const std::string out = TestDir("example");
  for (const char* model : {"mlp", "cnn"}) {
    Result r =
        TrainAndRestore({.model = model, .epochs = 1, .out_dir = out, .verbose = 0}, Small());
    EXPECT_EQ(r.mode, "compiled");
    EXPECT_GT(r.test_accuracy, 0.6f) << model;  // chance is 0.1
    EXPECT_EQ(r.restored_accuracy, r.test_accuracy) << model;
    EXPECT_EQ(r.restored_loss, r.test_loss) << model;
    ASSERT_EQ(r.val_accuracy.size(), 1u);
    EXPECT_EQ(r.val_accuracy[0], r.test_accuracy);
    EXPECT_EQ(r.epoch_seconds.size(), 1u);
    EXPECT_EQ(r.checkpoint, out + "/checkpoints/" + model + "_compiled/ckpt-1");
    EXPECT_TRUE(std::filesystem::exists(r.checkpoint + ".index"));
    EXPECT_EQ(Tags(r.logdir), (std::vector<std::string>{"batch_loss@100", "loss@0", "accuracy@0",
                                                        "val_accuracy@0", "val_loss@0"}));
  }
}

TEST(FashionMnistExample, EagerRunMatchesTheCompiledOne) {
  const std::string out = TestDir("example_modes");
  Result compiled =
      TrainAndRestore({.model = "mlp", .epochs = 1, .out_dir = out, .verbose = 0}, Small());
  Result eager = TrainAndRestore(
      {.model = "mlp", .eager = true, .epochs = 1, .out_dir = out, .verbose = 0}, Small());
  EXPECT_FALSE(config::functions_run_eagerly());  // the run restored the setting
  EXPECT_EQ(eager.logdir, out + "/logs/mlp_eager");
  EXPECT_NEAR(eager.test_accuracy, compiled.test_accuracy, 2e-3f);
  EXPECT_EQ(eager.restored_accuracy, eager.test_accuracy);
}

TEST(FashionMnistExample, UnknownModelIsAnError) {
  ExpectError([] { MakeModel("rnn", 1); }, "[fashion_mnist] unknown model 'rnn' (known: mlp, cnn)");
}

}  // namespace
}  // namespace duet::examples
