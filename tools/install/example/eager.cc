// The installed library's smoke test, built outside the Bazel workspace: eager ops (registered
// by libduet.so's static initialisers), a GradientTape gradient, a duet::function (traced,
// optimized by the registered MLIR passes, run by the graph executor) and an ONNX round trip
// (export and import mappings are registered statically too). Exits 1 on any mismatch.
// Example: eager /tmp/scratch   (writes /tmp/scratch/f.onnx)
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "api/duet.h"

using namespace duet;

namespace {

int failures = 0;

void Check(const std::string& what, const std::vector<float>& got, const std::vector<float>& want) {
  bool ok = got.size() == want.size();
  for (size_t i = 0; ok && i < got.size(); ++i) ok = std::fabs(got[i] - want[i]) <= 1e-5f;
  std::cout << (ok ? "ok   " : "FAIL ") << what << ": {";
  for (size_t i = 0; i < got.size(); ++i) std::cout << (i ? ", " : "") << got[i];
  std::cout << "}\n";
  if (!ok) ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: eager SCRATCH_DIR\n";
    return 2;
  }
  try {
    Tensor a = constant({{1.f, 2.f}, {3.f, 4.f}});
    std::cout << matmul(a, a) << "\n";
    Check("matmul(a, a)", matmul(a, a).to_vector<float>(), {7, 10, 15, 22});
    Check("relu(a - 2) + 1", (relu(a - 2.f) + 1.f).to_vector<float>(), {1, 1, 2, 3});
    Check("reduce_sum(a)", {reduce_sum(a).item<float>()}, {10});

    Variable w(constant({1.f, -2.f}), "w");
    GradientTape tape;
    Tensor loss = reduce_sum(square(w) * 3.f);
    Check("d/dw sum(3 w^2)", tape.gradient(loss, w).to_vector<float>(), {6, -12});

    auto f = function([&](Tensor x) { return relu(matmul(x, a) + w); });
    Tensor x = constant({{1.f, 1.f}});
    Check("function f(x)", f(x).to_vector<float>(), {5, 4});
    Check("function f(x) again", f(x).to_vector<float>(), {5, 4});
    Check("tracing_count", {static_cast<float>(f.tracing_count())}, {1});

    const std::string path = std::string(argv[1]) + "/f.onnx";
    onnx::export_model(f, path, {TensorSpec({-1, 2}, DType::kFloat32)});
    Check("onnx round trip", onnx::import_model(path)(x).to_vector<float>(), {5, 4});

    try {
      matmul(a, constant({1.f, 2.f, 3.f}));
      std::cout << "FAIL a bad matmul did not throw\n";
      ++failures;
    } catch (const Error& e) {
      bool named = std::string(e.what()).find("[matmul]") != std::string::npos;
      std::cout << (named ? "ok   " : "FAIL ") << "duet::Error: " << e.what() << "\n";
      if (!named) ++failures;
    }
  } catch (const Error& e) {
    std::cerr << "FAIL duet::Error: " << e.what() << "\n";
    return 1;
  }
  std::cout << (failures ? "FAILED\n" : "PASSED\n");
  return failures ? 1 : 0;
}
