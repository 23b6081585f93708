// export_model: the exported MLP (Dense layers), CNN (Conv2D/MaxPool2D/Dense) and the 10-op chain
// pass onnx::checker (C++, and Debian's python3-onnx as /usr/bin/python3), ONNX Runtime (node,
// onnxruntime-node) and import_model reproduce duet's outputs, -1 dims become dim_params, the
// written graph is the optimized one (folded, CSE'd, DCE'd: counted against the raw trace) and
// unexportable graphs fail naming the op and the line. export_registry coverage: every registry op
// declares a mapping or none.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "api/duet.h"
#include "api/onnx/export_registry.h"
#include "api/onnx/graph_writer.h"
#include "api/onnx/onnx_proto.h"
#include "api/onnx/tensor_proto.h"
#include "gtest/gtest.h"
#include "onnx/checker.h"
#include "runtime/op_registry.h"
#include "tests/expect_error.h"
#include "tools/bench/chain10.h"

namespace duet {
namespace {

namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

::onnx::ModelProto ReadModel(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ::onnx::ModelProto m;
  EXPECT_TRUE(m.ParseFromString(bytes)) << path;
  return m;
}

void WriteFloats(const Tensor& t, const std::string& path) {
  std::vector<float> v = t.to_vector<float>();
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

std::string Dims(const Tensor& t) {
  std::string s;
  for (int64_t d : t.shape().dims()) s += (s.empty() ? "" : ",") + std::to_string(d);
  return s;
}

// node_modules of third_party/npm (resolved through the runfiles symlink to the source tree).
std::string NodeModules() {
  return (fs::canonical("third_party/npm/package.json").parent_path() / "node_modules").string();
}

// Every check an exported model gets: both checkers, ONNX Runtime, and import -> run.
void CheckExported(const std::string& path, const Tensor& x, const Tensor& want) {
  ::onnx::ModelProto model = ReadModel(path);
  EXPECT_NO_THROW(::onnx::checker::check_model(model));
  std::string py =
      "/usr/bin/python3 -c 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), "
      "full_check=True)' " +
      path;
  EXPECT_EQ(std::system(py.c_str()), 0) << py;

  WriteFloats(x, path + ".in");
  WriteFloats(want, path + ".want");
  std::string ort = "node api/onnx/ort_run.js " + NodeModules() + " " + path + " " + path + ".in " +
                    Dims(x) + " " + path + ".want";
  EXPECT_EQ(std::system(ort.c_str()), 0) << ort;

  auto back = onnx::import_model(path);
  std::vector<float> got = back(x).to_vector<float>(), w = want.to_vector<float>();
  ASSERT_EQ(got.size(), w.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], w[i], 1e-4 + 1e-4 * std::abs(w[i])) << i;
}

TEST(OnnxExport, Mlp) {
  Sequential mlp({layers::Dense(16, Activation::kRelu), layers::Dense(4)});
  Tensor x = random::normal({5, 8}, 0.f, 1.f, 1);
  Tensor want = mlp(x);
  std::string path = TempPath("mlp.onnx");
  onnx::export_model(mlp, path, {TensorSpec({-1, 8}, DType::kFloat32)});
  CheckExported(path, x, want);
  ::onnx::ModelProto m = ReadModel(path);
  EXPECT_EQ(m.opset_import(0).version(), 14);
  EXPECT_FALSE(m.graph().input(0).type().tensor_type().shape().dim(0).dim_param().empty());
  EXPECT_EQ(m.graph().input(0).type().tensor_type().shape().dim(1).dim_value(), 8);
  EXPECT_EQ(m.graph().initializer_size(), 4);  // two kernels, two biases
}

TEST(OnnxExport, Cnn) {
  Sequential cnn({layers::Conv2D(4, {3, 3}, Activation::kRelu, {1, 1}, "SAME"),
                  layers::MaxPool2D({2, 2}), layers::Conv2D(6, {3, 3}, Activation::kRelu),
                  layers::Flatten(), layers::Dense(3, Activation::kSoftmax)});
  Tensor x = random::normal({2, 9, 9, 1}, 0.f, 1.f, 2);
  Tensor want = cnn(x);
  std::string path = TempPath("cnn.onnx");
  onnx::export_model(cnn, path, {TensorSpec({-1, 9, 9, 1}, DType::kFloat32)});
  CheckExported(path, x, want);
}

TEST(OnnxExport, Chain10AndPools) {
  Tensor x = random::normal({4, 4}, 0.f, 2.f, 3);
  auto g = function([](Tensor x) { return bench::Chain10(x); });
  std::string path = TempPath("chain10.onnx");
  onnx::export_model(g, path, {TensorSpec({-1, 4}, DType::kFloat32)});
  CheckExported(path, x, g(x));
  auto pools = function([](Tensor x) {
    Tensor a = avg_pool2d(x, {3, 3}, {2, 2}, "SAME"), m = max_pool2d(x, {2, 2}, {1, 1}, "SAME");
    return reduce_mean(a, {1, 2}) + reduce_max(m, {1, 2}) + reduce_sum(softmax(x), {1, 2});
  });
  Tensor img = random::normal({2, 5, 5, 3}, 0.f, 1.f, 4);
  std::string ppath = TempPath("pools.onnx");
  onnx::export_model(pools, ppath, {TensorSpec({2, 5, 5, 3}, DType::kFloat32)});
  CheckExported(ppath, img, pools(img));
}

std::map<std::string, int> OpTypes(const ::onnx::ModelProto& m) {
  std::map<std::string, int> count;
  for (const auto& n : m.graph().node()) ++count[n.op_type()];
  return count;
}

// The trace as it was recorded, through the same writer (what export_model wrote before it
// optimized).
::onnx::ModelProto RawModel(const graph::Trace& trace) {
  ::onnx::ModelProto m;
  EXPECT_TRUE(onnx::internal::GraphWriter(trace).Write(*m.mutable_graph()).ok());
  return m;
}

TEST(OnnxExport, WritesTheOptimizedGraph) {
  auto f = function([](Tensor x) {
    Tensor k = constant(2.f) * constant(3.f);  // folds to one constant
    Tensor unused = tanh(x);                   // dead
    (void)unused;
    return x * k + exp(x) * exp(x);  // one exp after CSE
  });
  std::vector<TensorSpec> specs = {TensorSpec({-1, 3}, DType::kFloat32)};
  using Counts = std::map<std::string, int>;
  ::onnx::ModelProto raw = RawModel(*f.trace_for(specs));
  EXPECT_EQ(OpTypes(raw),
            (Counts{{"Add", 1}, {"Exp", 2}, {"Identity", 1}, {"Mul", 3}, {"Tanh", 1}}));
  EXPECT_EQ(raw.graph().initializer_size(), 2);

  std::string path = TempPath("optimized.onnx");
  onnx::export_model(f, path, specs);
  ::onnx::ModelProto m = ReadModel(path);
  EXPECT_EQ(OpTypes(m), (Counts{{"Add", 1}, {"Exp", 1}, {"Identity", 1}, {"Mul", 2}}));
  ASSERT_EQ(m.graph().initializer_size(), 1);
  Tensor folded = onnx::internal::TensorFromProto(m.graph().initializer(0)).value();
  EXPECT_EQ(folded.to_vector<float>(), std::vector<float>{6.f});
  EXPECT_FALSE(m.graph().input(0).type().tensor_type().shape().dim(0).dim_param().empty());
  Tensor x = random::normal({4, 3}, 0.f, 1.f, 5);
  CheckExported(path, x, f(x));
}

// A variable read twice is one initializer, valued when exported.
TEST(OnnxExport, VariablesAreInitializersOfTheirExportValue) {
  Variable w(constant({1.f, 2.f, 3.f}), "w");
  auto f = function([&](Tensor x) { return x * w.value() + x * w.value(); });
  w.assign(constant({4.f, 5.f, 6.f}));
  std::string path = TempPath("variable.onnx");
  onnx::export_model(f, path, {TensorSpec({-1, 3}, DType::kFloat32)});
  w.assign(constant({0.f, 0.f, 0.f}));
  ::onnx::ModelProto m = ReadModel(path);
  ASSERT_EQ(m.graph().initializer_size(), 1);
  EXPECT_EQ(m.graph().initializer(0).name(), "w");
  EXPECT_EQ(onnx::internal::TensorFromProto(m.graph().initializer(0)).value().to_vector<float>(),
            (std::vector<float>{4.f, 5.f, 6.f}));
  Tensor x = constant({{1.f, 1.f, 1.f}, {2.f, 2.f, 2.f}});
  CheckExported(path, x, constant({{8.f, 10.f, 12.f}, {16.f, 20.f, 24.f}}));
}

// DCE runs before the writer: an unmapped op whose result is unused does not block the export.
TEST(OnnxExport, DeadUnmappedOpsAreNotExported) {
  auto f = function([](Tensor x) {
    Tensor unused = scatter_add(x, constant({0, 1}), 0, 3);
    (void)unused;
    return relu(x);
  });
  std::string path = TempPath("dead.onnx");
  onnx::export_model(f, path, {TensorSpec({2, 2}, DType::kFloat32)});
  EXPECT_EQ(OpTypes(ReadModel(path)), (std::map<std::string, int>{{"Identity", 1}, {"Relu", 1}}));
}

TEST(OnnxExport, UnexportableGraphsNameOpAndLine) {
  Variable v(constant({1.f}), "v");
  auto assigns = function([&](Tensor x) {
    v.assign(x);
    return x;
  });
  ExpectError(
      [&] { onnx::export_model(assigns, TempPath("a.onnx"), {TensorSpec({1}, DType::kFloat32)}); },
      "a variable assignment cannot be exported to ONNX (at api/onnx/export_test.cc:");
  // The lines are those of the user's calls, though the writer sees the optimized graph.
  const std::string here = "(at api/onnx/export_test.cc:";
  int line = __LINE__ + 1;
  auto scatter = function([](Tensor x) { return scatter_add(x, constant({0, 1}), 0, 3); });
  ExpectError(
      [&] {
        onnx::export_model(scatter, TempPath("s.onnx"), {TensorSpec({2, 2}, DType::kFloat32)});
      },
      "op 'scatter_add' has no ONNX mapping");
  ExpectError(
      [&] {
        onnx::export_model(scatter, TempPath("s.onnx"), {TensorSpec({2, 2}, DType::kFloat32)});
      },
      here + std::to_string(line) + ")");
  EXPECT_FALSE(fs::exists(TempPath("s.onnx")));
  line = __LINE__ + 2;
  auto loop = function([](Tensor x) {
    return while_loop([](const std::vector<Tensor>& v) { return reduce_sum(v[0], {0}) < 10.f; },
                      [](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0] * 2.f}; },
                      {x})[0];
  });
  ExpectError(
      [&] { onnx::export_model(loop, TempPath("w.onnx"), {TensorSpec({-1}, DType::kFloat32)}); },
      "while_loop cannot be exported to ONNX " + here + std::to_string(line) + ")");
}

TEST(OnnxExport, EveryRegistryOpDeclaresItsMapping) {
  std::vector<std::string> missing;
  for (const OpDef* op : OpRegistry::Get().ops())
    if (!onnx::internal::FindExporter(op->name)) missing.push_back(op->name);
  EXPECT_TRUE(missing.empty()) << "ops with neither DUET_ONNX_EXPORT nor DUET_ONNX_NO_EXPORT: "
                               << ::testing::PrintToString(missing);
}

}  // namespace
}  // namespace duet
