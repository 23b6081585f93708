// A duet-run-style loader built outside the Bazel workspace: loads a saved model directory
// (saved_model::load: the registered dialect, verifier and compiler inside libduet.so), runs it
// on one .npy input and writes the output as .npy.
// Example: run_saved_model /tmp/mlp /tmp/mlp.x.npy /tmp/y.npy
#include <iostream>

#include "api/duet.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: run_saved_model DIR IN.npy OUT.npy\n";
    return 2;
  }
  try {
    auto model = duet::saved_model::load(argv[1]);
    std::cout << model.signature() << "\n";
    duet::save_npy(model(duet::load_npy(argv[2])), argv[3]);
  } catch (const duet::Error& e) {
    std::cerr << "run_saved_model: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
