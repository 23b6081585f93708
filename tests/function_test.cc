// duet::function: tracing, caching, retrace explanations, variables, the eager toggle,
// control flow, host_func/print, gradients through functions, errors naming the user's line.
#include <cmath>

#include "api/duet.h"
#include "graph/trace_graph.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

struct EagerFlagGuard {
  ~EagerFlagGuard() { config::run_functions_eagerly(false); }
};

TEST(Function, TracesOncePerSignatureAndMatchesEager) {
  Tensor b = constant({1.f, 2.f});
  bool traced_eagerly = true;
  auto f = function([&](Tensor x, Tensor y) {
    traced_eagerly = executing_eagerly();
    return matmul(x, y) + b;
  });
  Tensor x = constant({{1.f, 2.f}, {3.f, 4.f}}), y = constant({{5.f, 6.f}, {7.f, 8.f}});
  Tensor z = f(x, y);
  EXPECT_FALSE(traced_eagerly);
  EXPECT_EQ(z.to_vector<float>(), (matmul(x, y) + b).to_vector<float>());
  f(x, y);
  EXPECT_EQ(f.tracing_count(), 1);
  f(constant({{1.f, 2.f, 3.f}}), constant({{1.f}, {2.f}, {3.f}}));
  EXPECT_EQ(f.tracing_count(), 2);
  std::string why = f.explain_retrace();
  EXPECT_NE(why.find("argument 0 changed shape from (2, 2) to (1, 3)"), std::string::npos) << why;
  // matmul + b: one duet.fused_matmul {epilogue = "add"} (fuse-epilogue).
  EXPECT_NE(f.graph_text(x, y).find("matmul"), std::string::npos);
}

TEST(Function, NonTensorArgumentsAreBakedInAndKeyTheCache) {
  auto f = function([](Tensor x, int k) { return x * static_cast<float>(k); });
  Tensor x = constant({1.f, 2.f});
  EXPECT_EQ(f(x, 2).to_vector<float>(), (std::vector<float>{2.f, 4.f}));
  EXPECT_EQ(f(x, 3).to_vector<float>(), (std::vector<float>{3.f, 6.f}));
  EXPECT_EQ(f.tracing_count(), 2);
  EXPECT_NE(f.explain_retrace().find("argument 1 (not a tensor) changed value from 2 to 3"),
            std::string::npos)
      << f.explain_retrace();
}

TEST(Function, NumbersKeyByValueAndOtherValuesByText) {
  auto f = function([](Tensor x, double k, std::string tag) {
    return x * static_cast<float>(k) + static_cast<float>(tag.size());
  });
  Tensor x = constant({1.f});
  EXPECT_EQ(f(x, 0.5, std::string("a")).item<float>(), 1.5f);
  EXPECT_EQ(f(x, 0.5, std::string("a")).item<float>(), 1.5f);
  EXPECT_EQ(f.tracing_count(), 1);
  EXPECT_EQ(f(x, 0.25, std::string("a")).item<float>(), 1.25f);
  EXPECT_EQ(f.tracing_count(), 2);
  EXPECT_NE(f.explain_retrace().find("argument 1 (not a tensor) changed value from 0.5 to 0.25"),
            std::string::npos)
      << f.explain_retrace();
  EXPECT_EQ(f(x, 0.25, std::string("bb")).item<float>(), 2.25f);
  EXPECT_EQ(f.tracing_count(), 3);
  EXPECT_NE(f.explain_retrace().find("changed value from a to bb"), std::string::npos)
      << f.explain_retrace();
  // A number keys as its text did: 2 (int) and 2.0 (double) share one trace.
  auto g = function([](Tensor x, auto k) { return x * static_cast<float>(k); });
  EXPECT_EQ(g(x, 2).item<float>(), 2.f);
  EXPECT_EQ(g(x, 2.0).item<float>(), 2.f);
  EXPECT_EQ(g.tracing_count(), 1);
  EXPECT_NE(g.explain_retrace().find("value 2"), std::string::npos) << g.explain_retrace();
  Variable v(constant(1.f)), w(constant(1.f));
  auto h = function([](Tensor x, Variable u) { return x * u; });
  h(x, v);
  h(x, v);
  h(x, w);
  EXPECT_EQ(h.tracing_count(), 2);
  EXPECT_NE(h.explain_retrace().find("changed value from variable@0x"), std::string::npos)
      << h.explain_retrace();
}

TEST(Function, DeclaredSpecsAcceptAnySizeWithoutRetracing) {
  auto f =
      function([](Tensor x) { return reduce_sum(x, {1}); }, {TensorSpec({-1, 3}, DType::kFloat32)});
  EXPECT_EQ(f(zeros({2, 3})).shape(), (Shape{2}));
  EXPECT_EQ(f(ones({5, 3})).to_vector<float>(), (std::vector<float>{3, 3, 3, 3, 3}));
  EXPECT_EQ(f.tracing_count(), 1);
  EXPECT_ERROR(f(zeros({2, 4})), "[function function] argument 0 is float32(2, 4)");
}

TEST(Function, VariablesAreCapturedByReference) {
  Variable v(constant(2.f));
  auto f = function([&](Tensor x) { return x * v; });
  EXPECT_EQ(f(constant(3.f)).item<float>(), 6.f);
  v.assign(10.f);
  EXPECT_EQ(f(constant(3.f)).item<float>(), 30.f);
  EXPECT_EQ(f.tracing_count(), 1);
  auto step = function([&](Tensor x) {
    v.assign_add(x);
    return v.value();
  });
  EXPECT_EQ(step(constant(1.f)).item<float>(), 11.f);
  EXPECT_EQ(step(constant(1.f)).item<float>(), 12.f);
  EXPECT_EQ(v.value().item<float>(), 12.f);
}

TEST(Function, ReadingAValueWhileTracingNamesTheLine) {
  auto f = function([](Tensor x) {
    float v = x.item<float>();  // not allowed while tracing
    return x * v;
  });
  try {
    f(constant(2.f));
    FAIL();
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("function_test.cc:"), std::string::npos) << m;
    EXPECT_NE(m.find("run_functions_eagerly"), std::string::npos) << m;
  }
}

// The guide's sqrt example: bisection whose intermediate values a host vector collects.
TEST(Function, RunFunctionsEagerlyForDebugging) {
  EagerFlagGuard guard;
  std::vector<float> seen;
  auto bisect_sqrt2 = function([&](Tensor lo, Tensor hi) {
    for (int i = 0; i < 10; ++i) {
      Tensor mid = (lo + hi) / 2.f;
      seen.push_back(mid.item<float>());
      Tensor too_big = mid * mid > 2.f;
      hi = where(too_big, mid, hi);
      lo = where(too_big, lo, mid);
    }
    return (lo + hi) / 2.f;
  });
  config::run_functions_eagerly(true);
  Tensor r = bisect_sqrt2(constant(1.f), constant(2.f));
  ASSERT_EQ(seen.size(), 10u);
  EXPECT_EQ(seen[0], 1.5f);
  EXPECT_EQ(seen[1], 1.25f);
  EXPECT_EQ(seen[2], 1.375f);
  EXPECT_NEAR(r.item<float>(), std::sqrt(2.f), 1e-3f);
  config::run_functions_eagerly(false);
  EXPECT_ERROR(bisect_sqrt2(constant(1.f), constant(2.f)),
               "[item] cannot read the value of symbolic");
}

TEST(Function, FlippingTheFlagMidProgramGivesTheSameResults) {
  EagerFlagGuard guard;
  Variable w(constant({{0.5f, -1.f}, {2.f, 0.25f}}));
  auto f = function([&](Tensor x) { return reduce_sum(relu(matmul(x, w)) * 3.f - x, {1}); });
  Tensor x = random::normal({4, 2}, 0.f, 1.f, 5);
  std::vector<float> traced = f(x).to_vector<float>();
  config::run_functions_eagerly(true);
  std::vector<float> eager = f(x).to_vector<float>();
  config::run_functions_eagerly(false);
  std::vector<float> again = f(x).to_vector<float>();
  EXPECT_EQ(traced, eager);
  EXPECT_EQ(traced, again);
  EXPECT_EQ(f.tracing_count(), 1);
}

TEST(Function, CondAndWhileLoopInBothModes) {
  EagerFlagGuard guard;
  auto f = function([](Tensor x) {
    Tensor y = cond(
        reduce_sum(x) > 0.f, [&] { return x * 2.f; }, [&] { return -x; });
    std::vector<Tensor> out = while_loop([](const std::vector<Tensor>& v) { return v[0] < 100.f; },
                                         [](const std::vector<Tensor>& v) {
                                           return std::vector<Tensor>{v[0] * 2.f, v[1] + 1};
                                         },
                                         {reduce_sum(abs(y)) + 1.f, constant(0)});
    return std::vector<Tensor>{y, out[0], out[1]};
  });
  for (bool eager : {false, true}) {
    config::run_functions_eagerly(eager);
    std::vector<Tensor> r = f(constant({1.f, 2.f}));
    EXPECT_EQ(r[0].to_vector<float>(), (std::vector<float>{2.f, 4.f}));
    EXPECT_EQ(r[1].item<float>(), 112.f);  // 7 -> 14 -> 28 -> 56 -> 112
    EXPECT_EQ(r[2].item<int32_t>(), 4);
    r = f(constant({-1.f, -2.f}));
    EXPECT_EQ(r[0].to_vector<float>(), (std::vector<float>{1.f, 2.f}));
  }
}

TEST(Function, HostFuncAndPrintRunAtRunTime) {
  int calls = 0;
  auto f = function([&](Tensor x) {
    std::vector<Tensor> y = host_func(
        [&](const std::vector<Tensor>& in) {
          ++calls;
          std::vector<float> v = in[0].to_vector<float>();
          for (float& e : v) e = e * 10.f;
          return std::vector<Tensor>{constant(v)};
        },
        {x}, std::vector<DType>{DType::kFloat32});
    print(y[0], "y = ");
    return y[0] + 1.f;
  });
  testing::internal::CaptureStdout();
  EXPECT_EQ(f(constant({1.f, 2.f})).to_vector<float>(), (std::vector<float>{11.f, 21.f}));
  EXPECT_EQ(f(constant({3.f, 4.f})).to_vector<float>(), (std::vector<float>{31.f, 41.f}));
  std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_EQ(calls, 2);
  // print runs each time the graph runs, with that run's values.
  size_t first = printed.find("y = "), second = printed.find("y = ", first + 1);
  ASSERT_NE(second, std::string::npos) << printed;
  EXPECT_EQ(printed.find("y = ", second + 1), std::string::npos) << printed;
  EXPECT_NE(printed.substr(first, second - first).find("[10. 20.]"), std::string::npos) << printed;
  EXPECT_NE(printed.substr(second).find("[30. 40.]"), std::string::npos) << printed;
}

TEST(Function, GradientTapeAcrossAFunctionCall) {
  Variable w(constant(3.f));
  auto f = function([&](Tensor x) { return x * x * w; });
  Tensor x = constant(2.f);
  GradientTape tape;
  tape.watch(x);
  Tensor y = f(x);
  std::vector<Tensor> g = tape.gradient(y, {GradSource(x), GradSource(w)});
  EXPECT_EQ(g[0].item<float>(), 12.f);  // 2 x w
  EXPECT_EQ(g[1].item<float>(), 4.f);   // x^2
  auto grad = gradients_function([&](Tensor x) { return f(x); });
  EXPECT_EQ(grad(constant(1.f))[0].item<float>(), 6.f);
}

TEST(Function, GradientOfATracedCond) {
  auto f = function([](Tensor x) {
    return cond(
        x > 0.f, [&] { return x * x; }, [&] { return x * 3.f; });
  });
  auto grad = gradients_function([&](Tensor x) { return f(x); });
  EXPECT_EQ(grad(constant(2.f))[0].item<float>(), 4.f);
  EXPECT_EQ(grad(constant(-2.f))[0].item<float>(), 3.f);
}

// v <- v * x until v >= 100, from v = x: the trip count depends on x, and x reaches the loop
// both as its initial value and as a capture of the body.
Tensor PowerPast100(Tensor x) {
  return while_loop([](const std::vector<Tensor>& v) { return v[0] < 100.f; },
                    [x](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0] * x}; },
                    {x})[0];
}

TEST(Function, GradientOfATracedWhileLoopWithADataDependentTripCount) {
  EagerFlagGuard guard;
  int body_traces = 0;
  auto f = function([&](Tensor x) {
    ++body_traces;
    return PowerPast100(x);
  });
  auto grad = gradients_function([&](Tensor x) { return f(x); });
  // x = 3: 3, 9, 27, 81, 243 = x^5 (4 trips); d/dx = 5 x^4.
  EXPECT_EQ(f(constant(3.f)).item<float>(), 243.f);
  EXPECT_EQ(grad(constant(3.f))[0].item<float>(), 405.f);
  int traces_after_first = body_traces;
  // x = 2: 2, 4, ..., 128 = x^7 (6 trips); d/dx = 7 x^6. Same signature: no retrace of the
  // function nor of its backward, and the backward never calls the user's lambdas again.
  EXPECT_EQ(grad(constant(2.f))[0].item<float>(), 448.f);
  EXPECT_EQ(f.tracing_count(), 1);
  EXPECT_EQ(body_traces, traces_after_first);
  // The eager gradient (the tape differentiates the eager loop op by op) agrees.
  auto eager_grad = gradients_function([](Tensor x) { return PowerPast100(x); });
  EXPECT_EQ(eager_grad(constant(3.f))[0].item<float>(), 405.f);
  EXPECT_EQ(eager_grad(constant(2.f))[0].item<float>(), 448.f);
  config::run_functions_eagerly(true);
  EXPECT_EQ(grad(constant(3.f))[0].item<float>(), 405.f);
}

TEST(Function, SecondDerivativeThroughATracedWhileLoop) {
  // The backward is itself traced loops, so a tape around it differentiates again:
  // d2/dx2 x^5 = 20 x^3 = 540 at x = 3 (4 trips).
  auto f = function([](Tensor x) { return PowerPast100(x); });
  auto df = [&](Tensor x) { return gradients_function([&](Tensor y) { return f(y); })(x)[0]; };
  EXPECT_EQ(gradients_function(df)(constant(3.f))[0].item<float>(), 540.f);
}

TEST(Function, GradientOfATracedWhileLoopThatRunsZeroTimes) {
  // x = 200 >= 100: no trip, the loop is the identity. Scaled by 2 so that the function's
  // result is not its argument's own tensor (a separate FunctionCore::Call issue: such a
  // passthrough result currently gets its gradient counted twice).
  auto f = function([](Tensor x) { return PowerPast100(x) * 2.f; });
  auto grad = gradients_function([&](Tensor x) { return f(x); });
  EXPECT_EQ(grad(constant(200.f))[0].item<float>(), 2.f);
  EXPECT_EQ(grad(constant(3.f))[0].item<float>(), 810.f);
  EXPECT_EQ(f.tracing_count(), 1);
}

TEST(Function, GradientOfATracedWhileLoopWithAnIntCounter) {
  // y = x; repeat 3 times y = y * x: y = x^4, dy/dx = 4 x^3. The int32 counter carries no
  // adjoint; the float var still differentiates.
  auto f = function([](Tensor x) {
    std::vector<Tensor> out = while_loop([](const std::vector<Tensor>& v) { return v[1] < 3; },
                                         [x](const std::vector<Tensor>& v) {
                                           return std::vector<Tensor>{v[0] * x, v[1] + 1};
                                         },
                                         {x, constant(0)});
    return out[0];
  });
  auto grad = gradients_function([&](Tensor x) { return f(x); });
  EXPECT_EQ(grad(constant(2.f))[0].item<float>(), 32.f);
  EXPECT_NEAR(grad(constant(1.5))[0].item<double>(), 4 * 1.5 * 1.5 * 1.5, 1e-12);
  EXPECT_EQ(grad(constant(-1.f))[0].item<float>(), -4.f);
  EXPECT_EQ(f.tracing_count(), 2);  // float32 and float64
}

TEST(Function, GradientOfATracedWhileLoopReachesCapturedTensorsAndVariables) {
  // v <- v * w + 1 three times from x: v = w^3 x + w^2 + w + 1 (elementwise);
  // d/dx = w^3, d/dw = 3 w^2 x + 2 w + 1.
  auto f = function([](Tensor x, Tensor w) {
    std::vector<Tensor> out = while_loop([](const std::vector<Tensor>& v) { return v[1] < 3; },
                                         [w](const std::vector<Tensor>& v) {
                                           return std::vector<Tensor>{v[0] * w + 1.f, v[1] + 1};
                                         },
                                         {x, constant(0)});
    return reduce_sum(out[0]);
  });
  auto grad = gradients_function([&](Tensor x, Tensor w) { return f(x, w); });
  std::vector<Tensor> g = grad(constant({1.f, 2.f}), constant({3.f, 0.5f}));
  EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{27.f, 0.125f}));
  EXPECT_EQ(g[1].to_vector<float>(), (std::vector<float>{34.f, 3.5f}));

  // A trainable variable read in the body: v <- v * w until v >= 100, from x = 1 and w = 3:
  // 5 trips, v = x w^5; d/dx = w^5, d/dw = 5 x w^4.
  Variable w(constant(3.f));
  auto h = function([&](Tensor x) {
    return while_loop([](const std::vector<Tensor>& v) { return v[0] < 100.f; },
                      [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0] * w}; },
                      {x})[0];
  });
  Tensor x = constant(1.f);
  GradientTape tape;
  tape.watch(x);
  Tensor y = h(x);
  std::vector<Tensor> gh = tape.gradient(y, {GradSource(x), GradSource(w)});
  EXPECT_EQ(y.item<float>(), 243.f);
  EXPECT_EQ(gh[0].item<float>(), 243.f);
  EXPECT_EQ(gh[1].item<float>(), 405.f);
}

TEST(Function, GradientOfATracedWhileLoopWhoseBodyCallsTheHost) {
  // The host callable returns 1 (a constant to autodiff); the backward reads its saved results.
  auto f = function([](Tensor x) {
    return while_loop([](const std::vector<Tensor>& v) { return v[0] < 100.f; },
                      [x](const std::vector<Tensor>& v) {
                        Tensor one = host_func(
                            [](const std::vector<Tensor>& in) {
                              return std::vector<Tensor>{ones(in[0].shape())};
                            },
                            {v[0]}, std::vector<DType>{DType::kFloat32})[0];
                        return std::vector<Tensor>{v[0] * x * one};
                      },
                      {x})[0];
  });
  auto grad = gradients_function([&](Tensor x) { return f(x); });
  EXPECT_EQ(grad(constant(3.f))[0].item<float>(), 405.f);
}

TEST(Function, GradientOfATracedWhileLoopThatAssignsAVariable) {
  // v doubles from x until >= 10; acc gains each v. The backward reads the stacked
  // iterations, so the body (and its assign) runs only in the forward.
  Variable acc(constant(0.f));
  auto f = function([&](Tensor x) {
    return while_loop([](const std::vector<Tensor>& v) { return v[0] < 10.f; },
                      [&](const std::vector<Tensor>& v) {
                        acc.assign_add(v[0]);
                        return std::vector<Tensor>{v[0] * 2.f};
                      },
                      {x})[0];
  });
  EXPECT_EQ(f(constant(1.f)).item<float>(), 16.f);  // 1 + 2 + 4 + 8 added
  EXPECT_EQ(acc.value().item<float>(), 15.f);
  EXPECT_EQ(gradients_function([&](Tensor x) { return f(x); })(constant(1.f))[0].item<float>(),
            16.f);
  EXPECT_EQ(acc.value().item<float>(), 30.f);  // assigned by the forward once, not by the backward
}

TEST(Function, GradientOfNestedTracedLoopsAndConds) {
  // Outer loop: 2 trips; each runs an inner loop multiplying by x three times, then a cond
  // that adds x when the value is small. From v = x = 2: 2 -> 16 -> 18 -> 144 -> 144.
  // As a function of x (near 2): ((x * x^3 + x) * x^3), derivative 7 x^6 + 4 x^3 = 480.
  auto body = [](Tensor x) {
    return while_loop([](const std::vector<Tensor>& v) { return v[1] < 2; },
                      [x](const std::vector<Tensor>& v) {
                        Tensor p = while_loop([](const std::vector<Tensor>& u) { return u[1] < 3; },
                                              [x](const std::vector<Tensor>& u) {
                                                return std::vector<Tensor>{u[0] * x, u[1] + 1};
                                              },
                                              {v[0], constant(0)})[0];
                        Tensor q = cond(
                            p < 50.f, [&] { return p + x; }, [&] { return p; });
                        return std::vector<Tensor>{q, v[1] + 1};
                      },
                      {x, constant(0)})[0];
  };
  auto f = function(body);
  auto grad = gradients_function([&](Tensor x) { return f(x); });
  EXPECT_EQ(f(constant(2.f)).item<float>(), 144.f);
  EXPECT_EQ(grad(constant(2.f))[0].item<float>(), 480.f);
  EXPECT_EQ(gradients_function(body)(constant(2.f))[0].item<float>(), 480.f);
}

TEST(Function, RunTimeErrorsNameTheUsersLine) {
  auto f = function([](Tensor x, Tensor i) { return gather(x, i); });
  try {
    f(constant({1.f, 2.f}), constant({5}));
    FAIL();
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("[gather]"), std::string::npos) << m;
    EXPECT_NE(m.find("function_test.cc:"), std::string::npos) << m;
  }
}

TEST(Function, OptimizedIrIsFoldedAndDeduplicated) {
  auto f = function([](Tensor x) {
    Tensor c = constant(2.f) * constant(3.f);  // folds to 6
    Tensor a = x * c, b = x * c;               // CSE: one mul
    Tensor unused = exp(x);                    // DCE
    return a + b;
  });
  Tensor x = constant({1.f});
  EXPECT_EQ(f(x).to_vector<float>(), (std::vector<float>{12.f}));
  std::string ir = f.graph_text(x);
  EXPECT_EQ(ir.find("duet.exp"), std::string::npos) << ir;
  size_t first = ir.find("= duet.mul %");
  ASSERT_NE(first, std::string::npos) << ir;
  EXPECT_EQ(ir.find("= duet.mul %", first + 1), std::string::npos) << ir;
  EXPECT_NE(ir.find("function_test.cc"), std::string::npos)
      << "ops carry the user's line as location";
}

TEST(Function, EnableEagerExecutionAfterAGraphThrows) {
  auto f = function([](Tensor x) { return x + 1.f; });
  f(constant(1.f));
  EXPECT_ERROR(enable_eager_execution({}), "[enable_eager_execution]");
}

}  // namespace
}  // namespace duet

namespace duet {
namespace {

TEST(Function, GradientOfAFunctionReturningItsArgumentIsOne) {
  auto f = function([](Tensor x) { return x; });
  auto grad = gradients_function([&](Tensor x) { return f(x); });
  EXPECT_EQ(grad(constant(3.f))[0].item<float>(), 1.f);
}

}  // namespace
}  // namespace duet

namespace duet {
namespace {

TEST(Function, TracedCondGivesGradientsToVariablesReadInItsBranches) {
  Variable w(constant(3.f));
  auto f = function([&](Tensor x) {
    return cond(
        x > 0.f, [&] { return x * w * w; }, [&] { return x + w; });
  });
  for (float xv : {2.f, -2.f}) {
    Tensor x = constant(xv);
    GradientTape tape;
    Tensor y = f(x);
    Tensor g = tape.gradient(y, w);
    ASSERT_TRUE(g.defined());
    EXPECT_EQ(g.item<float>(), xv > 0 ? 2.f * xv * 3.f : 1.f) << xv;
  }
}

}  // namespace
}  // namespace duet

namespace duet {
namespace {

// Bad or unsupported uses found in review: each is a clear error or a right answer, never a crash.
TEST(FunctionReview, CustomGradientInsideAFunction) {
  auto log1pexp = custom_gradient([](Tensor x) {
    Tensor e = exp(x);
    return std::make_pair(
        log(1.f + e), [e](Tensor dy) { return std::vector<Tensor>{dy * (1.f - 1.f / (1.f + e))}; });
  });
  auto f = function([&](Tensor x) { return log1pexp(x); });
  EXPECT_NEAR(f(constant(0.f)).item<float>(), std::log(2.f), 1e-6f);
}

TEST(FunctionReview, LoopVariablesMustKeepTheirShape) {
  auto f = function([](Tensor x) {
    return while_loop([](const std::vector<Tensor>& v) { return v[1] < 5; },
                      [](const std::vector<Tensor>& v) {
                        return std::vector<Tensor>{concat({v[0], v[0]}, 0), v[1] + 1};
                      },
                      {x, constant(0)})[0];
  });
  EXPECT_ERROR(f(constant({1.f, 2.f})), "[while_loop] loop variable 0 changed");
}

TEST(FunctionReview, NonFloatOutputsDoNotBreakTheBackward) {
  auto f = function([](Tensor x) { return std::make_pair(x * 2.f, x > 0.f); });
  Tensor x = constant({1.f, -1.f});
  GradientTape tape;
  tape.watch(x);
  auto [y, mask] = f(x);
  EXPECT_EQ(tape.gradient(reduce_sum(y), x).to_vector<float>(), (std::vector<float>{2.f, 2.f}));
}

TEST(FunctionReview, LeakedSymbolicTensorsAreAnError) {
  Tensor saved;
  auto f = function([&](Tensor x) {
    saved = x * 2.f;
    return saved;
  });
  f(constant(1.f));
  EXPECT_ERROR(saved + 1.f, "leaked out of a traced function");
  auto g = function([&](Tensor x) { return x + saved; });
  EXPECT_ERROR(g(constant(1.f)), "belongs to another traced function");
}

TEST(FunctionReview, GradientThroughSideEffectsRunsThemOnce) {
  Variable steps(constant(0.f));
  auto f = function([&](Tensor x) {
    steps.assign_add(1.f);
    return x * 3.f;
  });
  Tensor x = constant(1.f);
  GradientTape tape;
  tape.watch(x);
  Tensor y = f(x);
  EXPECT_EQ(tape.gradient(y, x).item<float>(), 3.f);
  EXPECT_EQ(steps.value().item<float>(), 1.f);
}

TEST(FunctionReview, StatefulOptimizersRunInsideAFunction) {
  Variable w(constant(1.f));
  optimizers::SGD momentum(0.1, 0.9);
  auto step = function([&] { return momentum.minimize([&] { return square(w); }, {w}); });
  step();  // v = -0.2, w = 0.8
  step();  // v = 0.9 * -0.2 - 0.16 = -0.34, w = 0.46
  EXPECT_NEAR(w.value().item<float>(), 0.46f, 1e-6f);
  EXPECT_EQ(momentum.iterations().value().item<int64_t>(), 2);
  EXPECT_EQ(step.tracing_count(), 1);
}

TEST(UserLine, ReadingASymbolicValueNamesWhereTheTensorWasMade) {
  int made = 0;
  for (int which = 0; which < 3; ++which) {
    auto f = function([&](Tensor x) {
      Tensor y = x * 2.f;
      made = __LINE__ - 1;
      if (which == 0) (void)y.item<float>();
      if (which == 1) (void)y.to_vector<float>();
      if (which == 2) (void)bool(y > 0.f);
      return y;
    });
    std::string op = which == 0 ? "[item]" : which == 1 ? "[to_vector]" : "[item]";
    try {
      f(constant(1.f));
      ADD_FAILURE() << "no error for case " << which;
    } catch (const Error& e) {
      std::string m = e.what();
      EXPECT_NE(m.find(op + " cannot read the value of symbolic tensor"), std::string::npos) << m;
      // bool(y > 0.f) reads the comparison, made on the line after y.
      int line = which == 2 ? made + 4 : made;
      EXPECT_NE(m.find("made at " + std::string(__FILE__) + ":" + std::to_string(line)),
                std::string::npos)
          << m;
    }
  }
}

TEST(UserLine, AVariableReadInTheIrIsLocatedAtTheUsersLine) {
  Variable w(constant(3.f), "w");
  auto f = function([&](Tensor x) {
    return x * w;  // w converts to a Tensor here: the read is located on this line
  });
  int line = __LINE__ - 2;
  std::shared_ptr<const graph::Trace> trace = f.trace_for({TensorSpec(Shape{}, DType::kFloat32)});
  int reads = 0;
  for (const graph::TraceNode& n : trace->body.nodes) {
    if (n.kind != graph::TraceNode::Kind::kReadVariable) continue;
    ++reads;
    EXPECT_EQ(std::string(n.loc.file_name()), std::string(__FILE__));
    EXPECT_EQ(n.loc.line(), static_cast<uint32_t>(line));
  }
  EXPECT_EQ(reads, 1);
  std::string ir = f.graph_text(constant(1.f));
  EXPECT_EQ(ir.find("variable.h"), std::string::npos) << ir;
  EXPECT_EQ(f(constant(2.f)).item<float>(), 6.f);
}

TEST(UserLine, AnArgumentNotMatchingItsTensorSpecNamesTheCallSite) {
  auto f = function([](Tensor x) { return x + 1.f; }, {TensorSpec({-1, 2}, DType::kFloat32)});
  const int call_line = __LINE__ + 2;
  try {
    f(zeros({3, 3}));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("[function function] argument 0 is float32(3, 3) but the function was "
                     "declared with TensorSpec"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("(at " + std::string(__FILE__) + ":" + std::to_string(call_line) + ")"),
              std::string::npos)
        << m;
  }
}

TEST(FunctionReview, EmptyVariableIsAnError) {
  Variable v;
  EXPECT_ERROR(v.name(), "[Variable::name] the Variable is empty");
  EXPECT_ERROR(v.value(), "[read_variable] the Variable is empty");
  GradientTape tape;
  EXPECT_ERROR(tape.watch(v), "the Variable is empty");
}

}  // namespace
}  // namespace duet
