// Gradients of traced functions are graphs built from the forward's nodes: the forward's
// effects (assigns, random draws, print, host_func) happen once, while_loop gradients read the
// stacked iterations, -1 dims work, and the backward's ops carry the forward op's line.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

std::string DumpPath() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/duet_function_gradient_dump.txt";
}

// Set before main(): the flag is read once, at the first op.
const bool kDump = (setenv("DUET_DUMP", DumpPath().c_str(), 1), true);

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(FunctionGradient, AFunctionThatAssignsAVariableAssignsItOnce) {
  Variable w(constant(3.f));
  Variable calls(constant(0.f), "calls", /*trainable=*/false);
  auto f = function([&](Tensor x) {
    calls.assign_add(1.f);
    return x * x * w;
  });
  Tensor x = constant(2.f);
  GradientTape tape;
  tape.watch(x);
  Tensor y = f(x);
  std::vector<Tensor> g = tape.gradient(y, {GradSource(x), GradSource(w)});
  EXPECT_EQ(y.item<float>(), 12.f);
  EXPECT_EQ(g[0].item<float>(), 12.f);  // 2 x w
  EXPECT_EQ(g[1].item<float>(), 4.f);   // x^2
  EXPECT_EQ(calls.value().item<float>(), 1.f);
}

TEST(FunctionGradient, TheBackwardUsesTheForwardsRandomDraw) {
  auto f = function([](Tensor x) { return x * random::uniform({4}, 1.f, 2.f); });
  Tensor x = constant({2.f, 2.f, 2.f, 2.f});
  GradientTape tape;
  tape.watch(x);
  Tensor y = f(x);
  std::vector<float> g = tape.gradient(reduce_sum(y), x).to_vector<float>();
  std::vector<float> drawn = y.to_vector<float>();
  for (size_t i = 0; i < g.size(); ++i) EXPECT_EQ(g[i], drawn[i] / 2.f) << i;  // d(x r)/dx = r
}

TEST(FunctionGradient, PrintAndHostFuncRunOnceForAGradient) {
  int calls = 0;
  auto f = function([&](Tensor x) {
    Tensor h = host_func(
        [&](const std::vector<Tensor>& in) {
          ++calls;
          return std::vector<Tensor>{in[0] * 2.f};
        },
        {x}, std::vector<DType>{DType::kFloat32})[0];
    print(x, "gradient-test-x=");
    return h * x;  // the host's result is a constant to autodiff: d/dx = h = 2x
  });
  testing::internal::CaptureStdout();
  Tensor g = gradients_function([&](Tensor x) { return f(x); })(constant(3.f))[0];
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(g.item<float>(), 6.f);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Count(out, "gradient-test-x="), 1u) << out;
}

// v <- sin(v) * x + v, five times.
std::vector<Tensor> SinLoop(const Tensor& x) {
  return while_loop([](const std::vector<Tensor>& v) { return v[1] < 5; },
                    [x](const std::vector<Tensor>& v) {
                      return std::vector<Tensor>{sin(v[0]) * x + v[0], v[1] + 1};
                    },
                    {x, constant(0)});
}

TEST(FunctionGradient, WhileLoopGradientEqualsTheEagerAndTheUnrolledOne) {
  auto traced = function([](Tensor x) { return SinLoop(x)[0]; });
  auto unrolled = [](Tensor x) {
    Tensor v = x;
    for (int i = 0; i < 5; ++i) v = sin(v) * x + v;
    return v;
  };
  for (float xv : {0.3f, -0.7f, 1.1f}) {
    float g_traced =
        gradients_function([&](Tensor x) { return traced(x); })(constant(xv))[0].item<float>();
    float g_eager =
        gradients_function([](Tensor x) { return SinLoop(x)[0]; })(constant(xv))[0].item<float>();
    float g_unrolled = gradients_function(unrolled)(constant(xv))[0].item<float>();
    EXPECT_NEAR(g_traced, g_eager, 1e-5f * std::abs(g_eager) + 1e-6f) << xv;
    EXPECT_NEAR(g_traced, g_unrolled, 1e-5f * std::abs(g_unrolled) + 1e-6f) << xv;
  }
  EXPECT_EQ(traced.tracing_count(), 1);
}

TEST(FunctionGradient, AWhileBodyThatAssignsAndReadsAVariableDifferentiates) {
  // w is read in the body (a gradient target) and a non-trainable counter is assigned there.
  Variable w(constant(1.5f));
  Variable trips(constant(0.f), "trips", /*trainable=*/false);
  auto body = [&](Tensor x) {
    return while_loop([](const std::vector<Tensor>& v) { return v[1] < 3; },
                      [&](const std::vector<Tensor>& v) {
                        trips.assign_add(1.f);
                        return std::vector<Tensor>{v[0] * w, v[1] + 1};
                      },
                      {x, constant(0)})[0];
  };
  auto f = function(body);
  Tensor x = constant(2.f);
  GradientTape tape;
  tape.watch(x);
  Tensor y = f(x);  // x w^3
  std::vector<Tensor> g = tape.gradient(y, {GradSource(x), GradSource(w)});
  EXPECT_EQ(y.item<float>(), 2.f * 1.5f * 1.5f * 1.5f);
  EXPECT_FLOAT_EQ(g[0].item<float>(), 1.5f * 1.5f * 1.5f);
  EXPECT_FLOAT_EQ(g[1].item<float>(), 3.f * 2.f * 1.5f * 1.5f);
  EXPECT_EQ(trips.value().item<float>(), 3.f);  // the forward's three trips only
}

TEST(FunctionGradient, UnknownDimsDifferentiateWithOneBackwardTrace) {
  // y gets no gradient (zeros of a shape known only at run time); the cond's branches keep
  // values whose first dim is unknown.
  auto f = function(
      [](Tensor x, Tensor y) {
        Tensor s = reduce_sum(x * x);
        return cond(
            s > 10.f, [&] { return s * 2.f; }, [&] { return s * 3.f; });
      },
      {TensorSpec({-1, 3}, DType::kFloat32), TensorSpec({-1, 3}, DType::kFloat32)});
  for (int64_t rows : {1, 4}) {
    Tensor x = ones({rows, 3}), y = ones({rows, 3});
    GradientTape tape;
    tape.watch(x);
    tape.watch(y);
    Tensor out = f(x, y);
    std::vector<Tensor> g = tape.gradient(out, {GradSource(x), GradSource(y)});
    float scale = rows * 3 > 10 ? 2.f : 3.f;
    EXPECT_EQ(g[0].to_vector<float>(),
              std::vector<float>(static_cast<size_t>(rows * 3), 2.f * scale))
        << rows;
    ASSERT_TRUE(g[1].defined());
    EXPECT_EQ(g[1].shape(), (Shape{rows, 3}));
    EXPECT_EQ(g[1].to_vector<float>(), std::vector<float>(static_cast<size_t>(rows * 3), 0.f))
        << rows;
  }
  EXPECT_EQ(f.tracing_count(), 1);
}

TEST(FunctionGradient, ALoopOverValuesOfUnknownShapeRunsButItsGradientIsRefused) {
  // Its per-iteration values have a -1 dim: they cannot be stacked (no ragged stacks yet).
  auto f = function(
      [](Tensor x) {
        return reduce_sum(while_loop([](const std::vector<Tensor>& v) { return v[1] < 2; },
                                     [](const std::vector<Tensor>& v) {
                                       return std::vector<Tensor>{v[0] * 2.f, v[1] + 1};
                                     },
                                     {x, constant(0)})[0]);
      },
      {TensorSpec({-1, 3}, DType::kFloat32)});
  Tensor x = ones({2, 3});
  GradientTape tape;
  tape.watch(x);
  Tensor y = f(x);
  EXPECT_EQ(y.item<float>(), 24.f);
  try {
    tape.gradient(y, x);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("[while_loop] gradients need the body's values per iteration"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("function_gradient_test.cc:"), std::string::npos) << m;
  }
}

TEST(FunctionGradient, BackwardOpsCarryTheForwardOpsLine) {
  int exp_line = 0;
  auto f = function(
      [&](Tensor x) {
        exp_line = __LINE__ + 1;  // the next line's: formatting keeps statements apart
        return exp(x) * 2.f;
      },
      {}, {.name = "located"});
  gradients_function([&](Tensor x) { return f(x); })(constant(1.f));
  std::ifstream in(DumpPath());
  std::stringstream text;
  text << in.rdbuf();
  std::string log = text.str();
  size_t start = log.find("function 'located_grad'");
  ASSERT_NE(start, std::string::npos) << log;
  size_t end = log.find("// -----", start);
  std::string backward =
      log.substr(start, end == std::string::npos ? std::string::npos : end - start);
  EXPECT_NE(backward.find("duet.mul"), std::string::npos) << backward;  // exp's rule: dy * exp(x)
  EXPECT_NE(backward.find("function_gradient_test.cc\":" + std::to_string(exp_line) + ":"),
            std::string::npos)
      << backward;
  EXPECT_EQ(backward.find("unary_ops.cc"), std::string::npos)
      << "rule ops are located at the forward op\n"
      << backward;
}

}  // namespace
}  // namespace duet
