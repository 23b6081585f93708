// duet-run: runs a saved model (saved_model::save) on .npy files, with no user code.
//   duet-run DIR in.npy [in.npy...] -o out.npy [-o out.npy...]   one .npy per input / output
//   duet-run --info DIR                                           prints the signature
//   duet-run --bench N DIR in.npy [...] [-o ...]                  N timed runs: the median latency
// Exit codes, as a Unix tool: 0 success; 1 a bad export directory or input file, or a failed
// run (the message names the file); 2 a usage error (usage on stderr).
// Example: duet-run /tmp/mlp_export x.npy -o y.npy
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "api/saved_model/saved_model.h"
#include "runtime/npy.h"

namespace {

constexpr const char* kUsage =
    "usage: duet-run DIR IN.npy [IN.npy...] -o OUT.npy [-o OUT.npy...]\n"
    "       duet-run --info DIR\n"
    "       duet-run --bench N DIR IN.npy [IN.npy...] [-o OUT.npy...]\n"
    "Runs the saved model in DIR (written by duet::saved_model::save) on NumPy .npy inputs, one\n"
    "file per input in signature order, and writes one .npy per output.\n"
    "  --info     print the model's signature and exit\n"
    "  --bench N  run N times after one warm-up and print the median latency\n";

struct Args {
  bool info = false;
  int bench = 0;
  std::string dir;
  std::vector<std::string> inputs, outputs;
};

[[noreturn]] void Usage(const std::string& why) {
  std::cerr << "duet-run: " << why << "\n" << kUsage;
  std::exit(2);
}

[[noreturn]] void Fail(const std::string& why) {
  std::cerr << "duet-run: " << why << "\n";
  std::exit(1);
}

Args Parse(int argc, char** argv) {
  Args a;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "-h" || s == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (s == "--info") {
      a.info = true;
    } else if (s == "-o" || s == "--bench") {
      if (i + 1 >= argc) Usage(s + " needs a value");
      std::string v = argv[++i];
      if (s == "-o") {
        a.outputs.push_back(v);
      } else {
        char* end = nullptr;
        long n = std::strtol(v.c_str(), &end, 10);
        if (*end || n < 1 || n > 1000000)
          Usage("--bench wants a count from 1 to 1000000, got '" + v + "'");
        a.bench = static_cast<int>(n);
      }
    } else if (s.size() > 1 && s[0] == '-') {
      Usage("unknown option '" + s + "'");
    } else {
      positional.push_back(s);
    }
  }
  if (positional.empty()) Usage("no export directory given");
  a.dir = positional[0];
  a.inputs.assign(positional.begin() + 1, positional.end());
  if (a.info && (!a.inputs.empty() || !a.outputs.empty() || a.bench))
    Usage("--info takes only DIR");
  if (!a.info && a.outputs.empty() && !a.bench) Usage("no output given (-o OUT.npy)");
  return a;
}

double MedianMs(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  size_t n = ms.size();
  return n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace duet;
  Args args = Parse(argc, argv);
  std::optional<saved_model::LoadedModel> model;
  try {
    model.emplace(saved_model::load(args.dir));
  } catch (const Error& e) {
    Fail(e.what());
  }
  const saved_model::Signature& sig = model->signature();
  if (args.info) {
    std::cout << sig << "\n";
    return 0;
  }
  if (args.inputs.size() != sig.inputs.size())
    Usage("the model takes " + std::to_string(sig.inputs.size()) + " inputs " + sig.to_string() +
          ", got " + std::to_string(args.inputs.size()) + " .npy files");
  if (!args.outputs.empty() && args.outputs.size() != sig.outputs.size())
    Usage("the model has " + std::to_string(sig.outputs.size()) + " outputs, got " +
          std::to_string(args.outputs.size()) + " -o");
  std::vector<Tensor> inputs;
  for (const std::string& path : args.inputs) {
    absl::StatusOr<Tensor> t = ReadNpy(path);
    if (!t.ok()) Fail(std::string(t.status().message()));
    inputs.push_back(*t);
  }
  std::vector<Tensor> outputs;
  try {
    outputs = model->call(inputs);
    if (args.bench) {
      std::vector<double> ms;
      for (int i = 0; i < args.bench; ++i) {
        auto start = std::chrono::steady_clock::now();
        outputs = model->call(inputs);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
      }
      std::cout << "median latency: " << MedianMs(ms) << " ms over " << args.bench << " runs\n";
    }
  } catch (const Error& e) {
    Fail(e.what());
  }
  for (size_t i = 0; i < args.outputs.size(); ++i)
    if (absl::Status s = WriteNpy(outputs[i], args.outputs[i]); !s.ok())
      Fail(std::string(s.message()));
  return 0;
}
