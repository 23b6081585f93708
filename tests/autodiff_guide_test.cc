// The eager guide's autodiff examples, in C++, with the guide's results.
#include <cmath>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

TEST(Guide, GradientOfWTimesW) {
  Variable w(constant({{1.f}}));
  GradientTape tape;
  Tensor loss = w * w;
  Tensor grad = tape.gradient(loss, w);
  EXPECT_EQ(grad.shape(), (Shape{1, 1}));
  EXPECT_EQ(grad.to_vector<float>(), (std::vector<float>{2.f}));
}

TEST(Guide, LinearRegressionToy) {
  const int n = 1000;
  Tensor inputs = random::normal({n}, 0.f, 1.f, 1);
  Tensor noise = random::normal({n}, 0.f, 1.f, 2);
  Tensor outputs = inputs * 3.f + 2.f + noise;
  Variable W(constant(5.f), "weight"), B(constant(10.f), "bias");
  auto loss = [&] { return reduce_mean(square(W * inputs + B - outputs)); };
  float initial = loss().item<float>();
  for (int step = 0; step < 200; ++step) {
    GradientTape tape;
    Tensor l = loss();
    std::vector<Tensor> g = tape.gradient(l, {W, B});
    W.assign_sub(g[0] * 0.01f);
    B.assign_sub(g[1] * 0.01f);
  }
  float final_loss = loss().item<float>();
  EXPECT_GT(initial, 50.f);
  EXPECT_NEAR(W.value().item<float>(), 3.f, 0.15f);
  EXPECT_NEAR(B.value().item<float>(), 2.f, 0.25f);
  EXPECT_NEAR(final_loss, 1.f, 0.15f);
}

TEST(Guide, HigherOrderGradientsOfSquare) {
  auto f = [](Tensor x) { return x * x; };
  auto grad = gradients_function(f);
  auto gradgrad = gradients_function([&](Tensor x) { return grad(x)[0]; });
  auto gradgradgrad = gradients_function([&](Tensor x) { return gradgrad(x)[0]; });
  EXPECT_EQ(grad(constant(3.f))[0].item<float>(), 6.f);
  EXPECT_EQ(gradgrad(constant(3.f))[0].item<float>(), 2.f);
  EXPECT_FALSE(gradgradgrad(constant(3.f))[0].defined());  // like TF's None
}

TEST(Guide, AbsWrittenWithCppControlFlow) {
  auto abs_fn = [](Tensor x) { return bool(x > 0.f) ? x : -x; };
  auto grad = gradients_function(abs_fn);
  EXPECT_EQ(grad(constant(3.f))[0].item<float>(), 1.f);
  EXPECT_EQ(grad(constant(-3.f))[0].item<float>(), -1.f);
}

TEST(Guide, CustomGradientFixesLog1pexpAt100) {
  auto naive = [](Tensor x) { return log(1.f + exp(x)); };
  auto grad_naive = gradients_function(naive);
  EXPECT_EQ(grad_naive(constant(0.f))[0].item<float>(), 0.5f);
  EXPECT_TRUE(std::isnan(grad_naive(constant(100.f))[0].item<float>()));

  auto log1pexp = custom_gradient([](Tensor x) {
    Tensor e = exp(x);
    return std::make_pair(log(1 + e),
                          [e](Tensor dy) { return std::vector<Tensor>{dy * (1 - 1 / (1 + e))}; });
  });
  auto grad = gradients_function([&](Tensor x) { return log1pexp(x); });
  EXPECT_EQ(grad(constant(0.f))[0].item<float>(), 0.5f);
  EXPECT_EQ(grad(constant(100.f))[0].item<float>(), 1.f);
}

TEST(Guide, BacktrackingLineSearch) {
  auto fn = [](Tensor x) { return reduce_sum(x * x); };
  Tensor init_x = constant({1.f, -2.f});
  float rate = 1.f;
  GradientTape tape;
  tape.watch(init_x);
  Tensor value = fn(init_x);
  Tensor grad = tape.gradient(value, init_x);
  Tensor grad_norm = reduce_sum(grad * grad);
  Tensor init_value = value, x = init_x;
  int steps = 0;
  while (bool(value > init_value - rate * grad_norm) && steps < 50) {
    x = init_x - rate * grad;
    value = fn(x);
    rate /= 2.f;
    ++steps;
  }
  EXPECT_GT(steps, 0);
  EXPECT_LT(value.item<float>(), init_value.item<float>());
}

}  // namespace
}  // namespace duet
