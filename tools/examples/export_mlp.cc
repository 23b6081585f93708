// The README's worked example: builds a small MLP for Fashion-MNIST-shaped inputs, exports it
// with saved_model::save, and writes a sample batch and the model's output on it as .npy files,
// so `duet-run` can be checked against the in-process result.
// Example: export_mlp /tmp/mlp_export   (writes /tmp/mlp_export, /tmp/mlp_export.x.npy, .y.npy)
#include <iostream>

#include "api/duet.h"

int main(int argc, char** argv) {
  using namespace duet;
  if (argc != 2) {
    std::cerr << "usage: export_mlp DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  try {
    Sequential model({layers::Dense(64, Activation::kRelu), layers::Dense(10)});
    saved_model::save(model, dir, {TensorSpec({-1, 784}, DType::kFloat32)});
    Tensor x = random::uniform({3, 784}, 0.f, 1.f, /*seed=*/1);
    save_npy(x, dir + ".x.npy");
    save_npy(model(x), dir + ".y.npy");
    std::cout << "exported " << dir << ": " << saved_model::load(dir).signature() << "\n";
  } catch (const Error& e) {
    std::cerr << "export_mlp: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
