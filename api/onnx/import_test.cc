// import_model: eager and traced runs agree with duet's own ops, gradients flow through an
// imported graph, the signature reports open dims as -1, and bad files or inputs give errors
// naming the file, node, op or input.
#include <fstream>

#include "api/duet.h"
#include "api/onnx/onnx_proto.h"
#include "api/onnx/tensor_proto.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

std::string TempPath(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

void AddValueInfo(::onnx::ValueInfoProto* v, const std::string& name, std::vector<int64_t> dims) {
  v->set_name(name);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(::onnx::TensorProto::FLOAT);
  for (int64_t d : dims) {
    auto* dim = tt->mutable_shape()->add_dim();
    if (d < 0)
      dim->set_dim_param("batch");
    else
      dim->set_dim_value(d);
  }
}

// y = relu(x @ W + b), x (batch, 3), W (3, 2).
std::string WriteMlp(const std::string& op = "Relu") {
  ::onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  auto* g = m.mutable_graph();
  g->set_name("mlp");
  AddValueInfo(g->add_input(), "x", {-1, 3});
  AddValueInfo(g->add_output(), "y", {-1, 2});
  EXPECT_TRUE(onnx::internal::TensorToProto(constant({{1.f, -1.f}, {0.5f, 2.f}, {-2.f, 1.f}}), "W",
                                            *g->add_initializer())
                  .ok());
  EXPECT_TRUE(
      onnx::internal::TensorToProto(constant({0.1f, -0.2f}), "b", *g->add_initializer()).ok());
  auto node = [&](const char* type, std::vector<std::string> in, std::string out) {
    auto* n = g->add_node();
    n->set_op_type(type);
    n->set_name(std::string(type) + "_node");
    for (auto& i : in) n->add_input(i);
    n->add_output(out);
  };
  node("MatMul", {"x", "W"}, "xw");
  node("Add", {"xw", "b"}, "z");
  node(op.c_str(), {"z"}, "y");
  std::string path = TempPath("mlp_" + op + ".onnx");
  std::ofstream(path, std::ios::binary) << m.SerializeAsString();
  return path;
}

Tensor Expected(const Tensor& x) {
  return relu(matmul(x, constant({{1.f, -1.f}, {0.5f, 2.f}, {-2.f, 1.f}})) +
              constant({0.1f, -0.2f}));
}

TEST(OnnxImport, EagerMatchesDuetOps) {
  auto g = onnx::import_model(WriteMlp());
  Tensor x = constant({{1.f, 2.f, 3.f}, {-1.f, 0.5f, 0.f}});
  EXPECT_EQ(g(x).to_vector<float>(), Expected(x).to_vector<float>());
  EXPECT_EQ(g.signature().to_string(), "inputs: x float32(-1, 3) -> outputs: y float32(-1, 2)");
}

TEST(OnnxImport, TracedInsideFunction) {
  auto g = onnx::import_model(WriteMlp());
  auto f = function([&](Tensor x) { return g(x) * 2.f; });
  Tensor x = constant({{1.f, 2.f, 3.f}, {-1.f, 0.5f, 0.f}});
  std::vector<float> got = f(x).to_vector<float>(), want = (Expected(x) * 2.f).to_vector<float>();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5);
  EXPECT_EQ(f.tracing_count(), 1);
  EXPECT_NE(f.graph_text(x).find("matmul"), std::string::npos);  // fused_matmul: bias fused
}

TEST(OnnxImport, Differentiable) {
  auto g = onnx::import_model(WriteMlp("Sigmoid"));
  Tensor x = constant({{1.f, 2.f, 3.f}});
  GradientTape tape;
  tape.watch(x);
  Tensor loss = reduce_sum(g(x));
  Tensor dx = tape.gradient(loss, x);
  ASSERT_TRUE(dx.defined());
  // d/dx sum(sigmoid(xW + b)) = (s * (1 - s)) @ W^T
  Tensor W = constant({{1.f, -1.f}, {0.5f, 2.f}, {-2.f, 1.f}});
  Tensor s = sigmoid(matmul(x, W) + constant({0.1f, -0.2f}));
  std::vector<float> want = matmul(s * (1.f - s), W, false, true).to_vector<float>();
  std::vector<float> got = dx.to_vector<float>();
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5);
}

TEST(OnnxImport, BadFilesAndInputs) {
  ExpectError([] { onnx::import_model(TempPath("missing.onnx")); }, "missing.onnx");
  std::string junk = TempPath("junk.onnx");
  std::ofstream(junk, std::ios::binary) << "\x08\xff\xff\xff\xff\x0f garbage";
  ExpectError([&] { onnx::import_model(junk); }, "does not parse");
  ExpectError([] { onnx::import_model(WriteMlp("Erf")); },
              "node 2 'Erf_node' (Erf): op Erf is not supported");
  auto g = onnx::import_model(WriteMlp());
  ExpectError(
      [&] {
        g(constant({{1, 2, 3}}));
      },
      "input 'x' must be float32(-1, 3), got int32(1, 3)");
  ExpectError(
      [&] {
        g(constant({{1.f, 2.f}}));
      },
      "input 'x' must be float32(-1, 3), got float32(1, 2)");
  ExpectError([&] { g.call({}); }, "expects 1 inputs");
}

}  // namespace
}  // namespace duet
