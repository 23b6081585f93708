// Export -> load -> run equals the original, bit for bit: an MLP, a CNN and the 10-op chain, with
// -1 batch dims; the signature; variables by value; errors naming the call site.
#include "api/saved_model/saved_model.h"

#include <algorithm>
#include <sstream>

#include "api/saved_model/test_models.h"
#include "tests/expect_error.h"

namespace duet::saved_model {
namespace {

TEST(SavedModel, MlpRoundTripIsExact) {
  std::string dir = TestDir("mlp") + "/export";
  Sequential mlp = MakeMlp();
  save(mlp, dir, {TensorSpec({-1, 8}, DType::kFloat32)});
  LoadedModel m = load(dir);
  EXPECT_EQ(m.signature().to_string(), "(input_0: float32(-1, 8)) -> (output_0: float32(-1, 4))");
  for (int64_t batch : {1, 5}) {
    Tensor x = random::uniform({batch, 8}, -1.f, 1.f, /*seed=*/batch);
    ExpectBitEqual(m(x), mlp(x));
  }
  std::vector<std::string> files = DirEntries(dir);
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"module.mlir", "module.mlirbc", "saved_model.json",
                                             "variables.safetensors"}));
  // The weights are keyed by object path, readable by any safetensors reader.
  train::NamedTensors weights = train::load_safetensors(dir + "/variables.safetensors");
  ASSERT_EQ(weights.size(), 4u);
  EXPECT_NE(weights[0].first.find("model/"), std::string::npos) << weights[0].first;
}

TEST(SavedModel, CnnRoundTripIsExact) {
  std::string dir = TestDir("cnn") + "/export";
  Sequential cnn = MakeCnn();
  save(cnn, dir, {TensorSpec({-1, 12, 12, 1}, DType::kFloat32)});
  LoadedModel m = load(dir);
  Tensor x = random::uniform({3, 12, 12, 1}, 0.f, 1.f, /*seed=*/7);
  ExpectBitEqual(m(x), cnn(x));
  ExpectBitEqual(m.call({x})[0], cnn(x));
}

TEST(SavedModel, ChainFunctionRoundTripIsExactAgainstEagerAndCompiled) {
  std::string dir = TestDir("chain") + "/export";
  auto f = function([](Tensor x) { return bench::Chain10(x); });
  save(f, dir, {TensorSpec({-1, 3}, DType::kFloat32)});
  LoadedModel m = load(dir);
  Tensor x = random::uniform({4, 3}, -3.f, 3.f, /*seed=*/1);
  ExpectBitEqual(m(x), f(x));
  ExpectBitEqual(m(x), bench::Chain10(x));
}

TEST(SavedModel, SeveralInputsAndOutputs) {
  std::string dir = TestDir("multi") + "/export";
  Variable scale(constant(2.f), "scale");
  auto f = function([&](Tensor a, Tensor b) { return std::vector<Tensor>{a * scale, a + b}; });
  save(f, dir, {TensorSpec({2}, DType::kFloat32), TensorSpec({2}, DType::kFloat32)});
  LoadedModel m = load(dir);
  EXPECT_EQ(m.signature().to_string(),
            "(input_0: float32(2,), input_1: float32(2,)) -> (output_0: float32(2,), output_1: "
            "float32(2,))");
  std::vector<Tensor> out = m.call({constant({1.f, 2.f}), constant({10.f, 20.f})});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{2.f, 4.f}));
  EXPECT_EQ(out[1].to_vector<float>(), (std::vector<float>{11.f, 22.f}));
  std::ostringstream printed;
  printed << m.signature();
  EXPECT_EQ(printed.str(), m.signature().to_string());
  ExpectError([&] { m(constant({1.f, 2.f})); }, "m(x) is for one input and one output");
}

TEST(SavedModel, VariablesAreExportedByValue) {
  std::string dir = TestDir("byvalue") + "/export";
  Variable w(constant({1.f, 2.f}), "w");
  auto f = function([&](Tensor x) { return x * w; });
  save(f, dir, {TensorSpec({2}, DType::kFloat32)});
  w.assign(constant({100.f, 100.f}));
  LoadedModel m = load(dir);
  EXPECT_EQ(m(constant({1.f, 1.f})).to_vector<float>(), (std::vector<float>{1.f, 2.f}));
}

TEST(SavedModel, InputsAreCheckedNamingTheCallSite) {
  std::string dir = TestDir("inputs") + "/export";
  auto f = function([](Tensor x) { return x * 2.f; });
  save(f, dir, {TensorSpec({-1, 3}, DType::kFloat32)});
  LoadedModel m = load(dir);
  const std::string at =
      "(at api/saved_model/saved_model_test.cc:" + std::to_string(__LINE__ + 3) + ")";
  ExpectError(
      [&] {
        m(zeros({2, 4}));
      },
      "[saved_model] input 0 ('input_0') is float32(2, 4) but the signature wants float32(-1, 3) " +
          at);
  ExpectError(
      [&] {
        m(constant({{1, 2, 3}}));
      },
      "is int32(1, 3) but the signature wants float32(-1, 3)");
  ExpectError([&] { m.call({}); }, "the model takes 1 inputs (input_0: float32(-1, 3)), got 0");
}

TEST(SavedModel, HostFuncCannotBeSavedAndTheLineIsNamed) {
  std::string parent = TestDir("hostfn");
  std::string dir = parent + "/export";
  const int line = __LINE__ + 2;
  auto f = function([](Tensor x) {
    return host_func([](const std::vector<Tensor>& in) { return in; }, {x},
                     std::vector<DType>{DType::kFloat32})[0];
  });
  ExpectError([&] { save(f, dir, {TensorSpec({2}, DType::kFloat32)}); },
              "[saved_model.save] function 'main': it calls a host_func at "
              "api/saved_model/saved_model_test.cc:" +
                  std::to_string(line));
  EXPECT_TRUE(DirEntries(parent).empty());  // nothing written
}

TEST(SavedModel, SavingOverAnExportReplacesIt) {
  std::string parent = TestDir("replace");
  std::string dir = parent + "/export";
  auto f = function([](Tensor x) { return x + 1.f; });
  auto g = function([](Tensor x) { return x * 3.f; });
  save(f, dir, {TensorSpec({1}, DType::kFloat32)});
  save(g, dir, {TensorSpec({1}, DType::kFloat32)});
  EXPECT_EQ(load(dir)(constant({2.f})).to_vector<float>(), std::vector<float>{6.f});
  EXPECT_EQ(DirEntries(parent), std::vector<std::string>{"export"});  // no temporaries left
}

TEST(SavedModel, LoadOfAMissingDirectoryNamesIt) {
  ExpectError([] { load("/nonexistent/export"); },
              "[saved_model.load] '/nonexistent/export/saved_model.json'");
}

}  // namespace
}  // namespace duet::saved_model
