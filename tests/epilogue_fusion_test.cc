// Contraction epilogues (issue 9): fuse-epilogue turns matmul/conv2d + bias adds + an
// activation into fused_matmul / fused_conv2d, which the CPU backend runs as one oneDNN
// primitive with post-ops. Compiled results must stay with eager's (oneDNN's fused primitive
// may block the product differently, and its tanh/sigmoid/exp are its own: a small tolerance),
// the fusion must show in the IR, survive a training step's backward (the gradient of relu reads
// its output, so the pre-activation has one use), and create its primitive once.
#include <cmath>
#include <string>
#include <vector>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "kernels/cpu/dnnl_context.h"

namespace duet {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

float MaxGap(const Tensor& a, const Tensor& b) { return reduce_max(abs(a - b)).item<float>(); }

struct DisabledPassesGuard {
  ~DisabledPassesGuard() { config::set_disabled_passes({}); }
};

Tensor Activation(const std::string& name, const Tensor& x) {
  if (name == "relu") return relu(x);
  if (name == "tanh") return tanh(x);
  if (name == "sigmoid") return sigmoid(x);
  if (name == "exp") return exp(x);
  return sqrt(x);
}

TEST(EpilogueFusion, DenseLayerWithEachActivationIsOneFusedMatmul) {
  Tensor x = random::uniform({32, 784}, 0.f, 1.f, 1);
  Tensor w = random::uniform({784, 128}, -0.05f, 0.05f, 2);
  Tensor b = random::uniform({128}, 0.f, 0.1f, 3);
  for (std::string act : {"relu", "tanh", "sigmoid", "exp", "sqrt"}) {
    SCOPED_TRACE(act);
    // sqrt needs a positive argument: |w| keeps the product of positive x positive.
    Tensor wa = act == "sqrt" ? abs(w) : w;
    auto dense = [&](Tensor xs) { return Activation(act, matmul(xs, wa) + b); };
    auto f = function(dense);
    Tensor eager = dense(x), compiled = f(x);
    EXPECT_LE(MaxGap(eager, compiled), 1e-5f * (1.f + reduce_max(abs(eager)).item<float>()));
    std::string ir = f.graph_text(x);
    EXPECT_EQ(Count(ir, "duet.fused_matmul"), 1u) << ir;
    EXPECT_NE(ir.find("epilogue = \"add," + act + "\""), std::string::npos) << ir;
    EXPECT_EQ(ir.find("duet." + act + " "), std::string::npos) << "the activation is fused:\n"
                                                               << ir;
  }
}

TEST(EpilogueFusion, BiasAndResidualAddsFuseInOrder) {
  Tensor x = random::uniform({64, 96}, -1.f, 1.f, 4);
  Tensor w = random::uniform({96, 64}, -0.2f, 0.2f, 5);
  Tensor b = random::uniform({1, 64}, -0.1f, 0.1f, 6);
  auto block = [&](Tensor xs) { return relu(b + matmul(xs, w) + slice(xs, {0, 0}, {64, 64})); };
  auto f = function(block);
  Tensor eager = block(x), compiled = f(x);
  EXPECT_LE(MaxGap(eager, compiled), 1e-5f);
  std::string ir = f.graph_text(x);
  EXPECT_NE(ir.find("epilogue = \"add,add,relu\""), std::string::npos) << ir;
}

TEST(EpilogueFusion, ThePrimitiveIsCreatedOnceAndReused) {
  Tensor x = random::uniform({32, 256}, -1.f, 1.f, 7);
  Tensor w = random::uniform({256, 64}, -0.1f, 0.1f, 8), b = zeros({64});
  auto f = function([&](Tensor xs) { return tanh(matmul(xs, w) + b); });
  f(x);
  const int64_t created = cpu::DnnlPrimitivesCreated();
  for (int i = 0; i < 5; ++i) f(x);
  EXPECT_EQ(cpu::DnnlPrimitivesCreated(), created);
}

TEST(EpilogueFusion, DisabledByNameRunsTheOpsApart) {
  DisabledPassesGuard guard;
  Tensor x = random::uniform({32, 128}, -1.f, 1.f, 9);
  Tensor w = random::uniform({128, 64}, -0.1f, 0.1f, 10), b = zeros({64});
  auto dense = [&](Tensor xs) { return relu(matmul(xs, w) + b); };
  config::set_disabled_passes({"fuse-epilogue"});
  auto f = function(dense);
  std::string ir = f.graph_text(x);
  EXPECT_EQ(ir.find("fused_matmul"), std::string::npos) << ir;
  EXPECT_LE(MaxGap(f(x), dense(x)), 0.f);
}

// Below oneDNN's size the fused op runs matmul and then the step kernels: eager's bits.
TEST(EpilogueFusion, SmallProductsRunTheUnfusedKernelsBitForBit) {
  Tensor x = random::uniform({4, 8}, -1.f, 1.f, 11);
  Tensor w = random::uniform({8, 3}, -1.f, 1.f, 12), b = random::uniform({3}, -1.f, 1.f, 13);
  auto dense = [&](Tensor xs) { return sigmoid(matmul(xs, w) + b); };
  auto f = function(dense);
  EXPECT_NE(f.graph_text(x).find("fused_matmul"), std::string::npos);
  EXPECT_LE(MaxGap(f(x), dense(x)), 0.f);
}

// The MLP of the benchmark (784-128 relu-10, softmax cross-entropy, SGD): compiled, both
// dense layers fuse even though the backward runs in the same graph, and ten steps stay with
// eager's.
struct Mlp {
  Variable w1{random::normal({784, 128}, 0.f, 0.05f, 1), "w1"}, b1{zeros({128}), "b1"};
  Variable w2{random::normal({128, 10}, 0.f, 0.05f, 2), "w2"}, b2{zeros({10}), "b2"};
  std::vector<Variable> vars() const { return {w1, b1, w2, b2}; }
  Tensor operator()(const Tensor& x) const { return matmul(relu(matmul(x, w1) + b1), w2) + b2; }
};

std::vector<Tensor> TenMlpSteps(bool compiled, std::string* ir) {
  Mlp model;
  optimizers::SGD opt(0.1);
  Tensor x = random::uniform({32, 784}, 0.f, 1.f, 21);
  Tensor y = cast(random::uniform({32}, 0.f, 10.f, 22), DType::kInt32);
  auto step = [&](Tensor xs, Tensor ys) {
    return opt.minimize([&] { return losses::sparse_softmax_cross_entropy(ys, model(xs)); },
                        model.vars());
  };
  auto f = function(step);
  for (int i = 0; i < 10; ++i) compiled ? f(x, y) : step(x, y);
  if (compiled) *ir = f.graph_text(x, y);
  std::vector<Tensor> out;
  for (const Variable& v : model.vars()) out.push_back(v.value());
  return out;
}

TEST(EpilogueFusion, AnMlpTrainingStepFusesBothLayersAndStaysWithEager) {
  std::string ir;
  std::vector<Tensor> eager = TenMlpSteps(false, nullptr), compiled = TenMlpSteps(true, &ir);
  EXPECT_NE(ir.find("epilogue = \"add,relu\""), std::string::npos) << ir;
  EXPECT_NE(ir.find("epilogue = \"add\""), std::string::npos) << ir;
  EXPECT_EQ(ir.find("duet.relu "), std::string::npos) << ir;
  for (size_t k = 0; k < eager.size(); ++k) EXPECT_LE(MaxGap(eager[k], compiled[k]), 1e-5f) << k;
}

// The conv model: both conv + bias + relu fuse into fused_conv2d in the training step.
TEST(EpilogueFusion, AConvTrainingStepFusesConvBiasRelu) {
  auto run = [](bool compiled, std::string* ir) {
    Variable k1(random::normal({3, 3, 1, 8}, 0.f, 0.2f, 3), "k1"), c1(zeros({8}), "c1");
    Variable k2(random::normal({3, 3, 8, 8}, 0.f, 0.1f, 4), "k2"), c2(zeros({8}), "c2");
    Variable w(random::normal({8, 10}, 0.f, 0.1f, 5), "w"), b(zeros({10}), "b");
    std::vector<Variable> vars = {k1, c1, k2, c2, w, b};
    optimizers::SGD opt(0.05);
    Tensor x = random::normal({8, 12, 12, 1}, 0.f, 1.f, 7);
    Tensor y = cast(random::uniform({8}, 0.f, 10.f, 8), DType::kInt32);
    auto step = [&](Tensor xs, Tensor ys) {
      return opt.minimize(
          [&] {
            Tensor h = relu(conv2d(xs, k1, {1, 1}, "VALID") + c1);
            h = relu(conv2d(h, k2, {1, 1}, "VALID") + c2);
            return losses::sparse_softmax_cross_entropy(ys, matmul(reduce_mean(h, {1, 2}), w) + b);
          },
          vars);
    };
    auto f = function(step);
    for (int i = 0; i < 5; ++i) compiled ? f(x, y) : step(x, y);
    if (compiled) *ir = f.graph_text(x, y);
    std::vector<Tensor> out;
    for (const Variable& v : vars) out.push_back(v.value());
    return out;
  };
  std::string ir;
  std::vector<Tensor> eager = run(false, nullptr), compiled = run(true, &ir);
  EXPECT_EQ(Count(ir, "duet.fused_conv2d"), 2u) << ir;
  for (size_t k = 0; k < eager.size(); ++k) EXPECT_LE(MaxGap(eager[k], compiled[k]), 1e-5f) << k;
}

}  // namespace
}  // namespace duet
