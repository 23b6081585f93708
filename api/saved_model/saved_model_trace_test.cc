// A loaded saved model inside a duet::function and under a GradientTape: traced calls equal
// eager ones (the trace reads the loaded variables by reference), and the gradient of a loaded
// MLP w.r.t. its input equals the original model's, bit for bit (the same kernels op by op),
// under an eager tape and inside a function; input errors inside a trace name the line.
#include "api/saved_model/saved_model.h"
#include "api/saved_model/test_models.h"
#include "tests/expect_error.h"

namespace duet::saved_model {
namespace {

LoadedModel SaveAndLoad(Sequential& mlp, const std::string& name) {
  std::string dir = TestDir(name) + "/export";
  save(mlp, dir, {TensorSpec({-1, 8}, DType::kFloat32)});
  return load(dir);
}

// An MLP and its export, loaded back.
struct Loaded {
  explicit Loaded(const std::string& name) : m(SaveAndLoad(mlp, name)) {}
  Sequential mlp = MakeMlp();
  LoadedModel m;
};

TEST(SavedModelTrace, CallsInsideAFunctionAreTraced) {
  Loaded l("traced");
  auto f = function([&](Tensor x) { return l.m(x) * 2.f; });
  Tensor x = random::uniform({3, 8}, -1.f, 1.f, /*seed=*/2);
  ExpectBitEqual(f(x), l.mlp(x) * 2.f);
  EXPECT_EQ(f.tracing_count(), 1);
  std::string ir = f.graph_text(x);
  EXPECT_NE(ir.find("duet.read_variable"), std::string::npos)
      << ir;                                              // weights, not baked constants
  EXPECT_NE(ir.find("matmul"), std::string::npos) << ir;  // duet.fused_matmul: bias, relu fused
}

TEST(SavedModelTrace, InputGradientUnderATapeEqualsTheOriginal) {
  Loaded l("tape");
  Tensor x = random::uniform({4, 8}, -1.f, 1.f, /*seed=*/3);
  auto input_grad = [&](auto&& model) {
    GradientTape tape;
    tape.watch(x);
    return tape.gradient(reduce_sum(square(model(x))), x);
  };
  Tensor want = input_grad(l.mlp), got = input_grad(l.m);
  ASSERT_TRUE(got.defined());
  ExpectBitEqual(got, want);
  EXPECT_GT(reduce_sum(abs(got)).item<float>(), 0.f);
  ExpectBitEqual(l.m(x), l.mlp(x));  // the eager, untaped call still runs the compiled program
}

TEST(SavedModelTrace, GradientInsideAFunctionEqualsTheOriginal) {
  Loaded l("fn_grad");
  auto input_grad = [](auto& model) {
    return function([&model](Tensor x) {
      GradientTape tape;
      tape.watch(x);
      return tape.gradient(reduce_sum(model(x)), x);
    });
  };
  auto want = input_grad(l.mlp);
  auto got = input_grad(l.m);
  Tensor x = random::uniform({2, 8}, -1.f, 1.f, /*seed=*/4);
  Tensor g = got(x);
  ExpectBitEqual(g, want(x));
  EXPECT_GT(reduce_sum(abs(g)).item<float>(), 0.f);  // not an all-zero (undefined) gradient
}

TEST(SavedModelTrace, InputErrorsInsideATraceNameTheLine) {
  Loaded l("trace_errors");
  const int line = __LINE__ + 1;
  auto f = function([&](Tensor x) { return l.m(x); });
  ExpectError(
      [&] {
        f(zeros({2, 5}));
      },
      "[saved_model] input 0 ('input_0') is float32(2, 5) but the signature wants "
      "float32(-1, 8) (at api/saved_model/saved_model_trace_test.cc:" +
          std::to_string(line) + ")");
}

}  // namespace
}  // namespace duet::saved_model
