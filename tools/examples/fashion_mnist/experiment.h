// One run of the Fashion-MNIST example: train a model (models.h) with Model::fit in one mode,
// log every epoch to TensorBoard, save a checkpoint, restore it into a fresh model (built after
// the restore, so the values arrive by deferred restoration) and evaluate both on the test set.
// Example:
//   examples::Data d = examples::LoadData();
//   examples::Result r = examples::TrainAndRestore({.model = "mlp", .eager = false, .epochs = 3},
//   d); r.restored_accuracy == r.test_accuracy;   // the checkpoint round trip is exact
#pragma once

#include <string>
#include <vector>

#include "api/duet.h"

namespace duet::examples {

struct Data {
  Tensor train_images, train_labels;  // (60000, 28, 28, 1) float32 in [0, 1], (60000,) int32
  Tensor test_images, test_labels;    // (10000, 28, 28, 1), (10000,)
};
Data LoadData(const std::string& dir = data::fashion_mnist::kDefaultDir);

struct RunOptions {
  std::string model = "mlp";  // "mlp" or "cnn"
  bool eager = false;         // config::run_functions_eagerly(true) for the whole run
  int epochs = 3;
  int batch_size = 32;
  double learning_rate = 1e-3;  // Adam
  std::string out_dir =
      "/tmp/duet-fashion-mnist";  // logs/<model>_<mode>, checkpoints/<model>_<mode>/
  int verbose = 1;                // Model::fit's
};

struct Result {
  std::string model, mode;
  std::vector<double> epoch_seconds;       // wall time of each epoch, its validation pass included
  std::vector<float> val_accuracy;         // test accuracy after each epoch
  float test_accuracy = 0, test_loss = 0;  // the trained model, evaluate()
  float restored_accuracy = 0, restored_loss = 0;  // a fresh model restored from the checkpoint
  std::string checkpoint, logdir;
};

Result TrainAndRestore(const RunOptions& options, const Data& data);

}  // namespace duet::examples
