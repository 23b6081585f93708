// ./dev demo fashion-mnist: trains the example's MLP and CNN (models.h) on Fashion-MNIST with
// Model::fit, eager (config::run_functions_eagerly) and compiled, each logged to TensorBoard,
// checkpointed and restored into a fresh model (experiment.h), then prints one table. The
// restored model's test accuracy must equal the trained one's, else the exit status is 1.
// Flags (a handful, parsed here rather than pulling in absl's flags libraries):
//   --epochs=N (3)  --model=mlp|cnn|all  --mode=eager|compiled|all  --batch_size=N (32)
//   --out_dir=DIR (/tmp/duet-fashion-mnist)  --data_dir=DIR  --verbose=0|1|2 (1)
// Example: ./dev demo fashion-mnist --model=mlp --mode=compiled --epochs=1
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "tools/examples/fashion_mnist/experiment.h"

namespace {

using duet::examples::Result;

// --name=value pairs; anything else is an error.
bool ParseFlags(int argc, char** argv, std::map<std::string, std::string>& flags) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos || !flags.count(arg.substr(2, eq - 2))) {
      std::cerr << "fashion_mnist: unknown argument '" << arg << "'; flags:";
      for (const auto& [name, value] : flags) std::cerr << " --" << name << "=" << value;
      std::cerr << "\n";
      return false;
    }
    flags[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
  }
  return true;
}

std::vector<std::string> Choices(const std::string& value, std::vector<std::string> all) {
  return value == "all" ? all : std::vector<std::string>{value};
}

void PrintTable(const std::vector<Result>& results) {
  std::printf(
      "\n| model | mode | s/epoch (mean) | test accuracy by epoch | test accuracy | restored |\n");
  std::printf("| --- | --- | --- | --- | --- | --- |\n");
  for (const Result& r : results) {
    double mean = std::accumulate(r.epoch_seconds.begin(), r.epoch_seconds.end(), 0.0) /
                  static_cast<double>(std::max<size_t>(r.epoch_seconds.size(), 1));
    std::string by_epoch;
    for (float a : r.val_accuracy) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.2f", a * 100);
      by_epoch += (by_epoch.empty() ? "" : ", ") + std::string(buf);
    }
    std::printf("| %s | %s | %.1f | %s | %.2f %% | %.2f %%%s |\n", r.model.c_str(), r.mode.c_str(),
                mean, by_epoch.c_str(), r.test_accuracy * 100, r.restored_accuracy * 100,
                r.restored_accuracy == r.test_accuracy ? "" : " (MISMATCH)");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags = {{"epochs", "3"},
                                              {"model", "all"},
                                              {"mode", "all"},
                                              {"batch_size", "32"},
                                              {"out_dir", "/tmp/duet-fashion-mnist"},
                                              {"data_dir", duet::data::fashion_mnist::kDefaultDir},
                                              {"verbose", "1"}};
  if (!ParseFlags(argc, argv, flags)) return 2;
  try {
    duet::examples::Data data = duet::examples::LoadData(flags["data_dir"]);
    std::vector<Result> results;
    for (const std::string& model : Choices(flags["model"], {"mlp", "cnn"}))
      for (const std::string& mode : Choices(flags["mode"], {"eager", "compiled"})) {
        if (mode != "eager" && mode != "compiled") {
          std::cerr << "fashion_mnist: --mode must be eager, compiled or all, got '" << mode
                    << "'\n";
          return 2;
        }
        std::cout << "\n=== " << model << ", " << mode << " ===\n";
        Result r = duet::examples::TrainAndRestore({.model = model,
                                                    .eager = mode == "eager",
                                                    .epochs = std::stoi(flags["epochs"]),
                                                    .batch_size = std::stoi(flags["batch_size"]),
                                                    .out_dir = flags["out_dir"],
                                                    .verbose = std::stoi(flags["verbose"])},
                                                   data);
        std::cout << "TensorBoard logs: " << r.logdir << "\ncheckpoint: " << r.checkpoint << "\n";
        results.push_back(r);
      }
    PrintTable(results);
    std::cout << "\nView the curves: tensorboard --logdir " << flags["out_dir"] << "/logs\n";
    for (const Result& r : results)
      if (r.restored_accuracy != r.test_accuracy) return 1;
  } catch (const std::exception& e) {  // duet::Error, or std::stoi on a bad number
    std::cerr << "fashion_mnist: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
