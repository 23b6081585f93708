// Focused tests of the gradients of matmul, softmax, log_softmax, conv2d, max_pool2d and
// avg_pool2d through GradientTape, and of their gradient ops (nn_grad_ops.h) through the public
// functions: hand-computed values, float32 (oneDNN) against float64 (loops) on a small conv
// net's shapes, second-order gradients through nested tapes, and backward primitive caching.
// Finite-difference checks of every rule are the gradient sweep's (tests/opinfo).
#include <cmath>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "kernels/cpu/dnnl_context.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

template <class T>
void ExpectNear(const std::vector<T>& got, const std::vector<T>& want, double tol = 1e-5) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

// The gradients of <f(sources...), seed> w.r.t. sources.
template <class Fn>
std::vector<Tensor> Grads(const std::vector<Tensor>& sources, const Tensor& seed, Fn fn) {
  GradientTape tape;
  for (const Tensor& s : sources) tape.watch(s);
  Tensor y = fn();
  return tape.gradient(y, std::vector<GradSource>(sources.begin(), sources.end()), seed);
}

std::vector<double> AsDoubles(const Tensor& t) {
  return cast(t, DType::kFloat64).to_vector<double>();
}

// ---- matmul ---------------------------------------------------------------------------------

TEST(MatmulGrad, HandComputedForEveryTranspose) {
  Tensor a = constant({{1.f, 2.f}, {3.f, 4.f}}), b = constant({{5.f, 6.f}, {7.f, 8.f}});
  Tensor seed =
      constant({{1.f, 0.f}, {0.f, 0.f}});  // picks C[0][0] = sum_k op(A)[0][k] op(B)[k][0]
  // C[0][0] = A[0][0] B[0][0] + A[0][1] B[1][0] with no transposes: dA = [[5, 7], [0, 0]], dB =
  // [[1, 0], [2, 0]].
  std::vector<Tensor> g = Grads({a, b}, seed, [&] { return matmul(a, b); });
  EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{5, 7, 0, 0}));
  EXPECT_EQ(g[1].to_vector<float>(), (std::vector<float>{1, 0, 2, 0}));
  // transpose_a: C[0][0] = A[0][0] B[0][0] + A[1][0] B[1][0].
  g = Grads({a, b}, seed, [&] { return matmul(a, b, true, false); });
  EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{5, 0, 7, 0}));
  EXPECT_EQ(g[1].to_vector<float>(), (std::vector<float>{1, 0, 3, 0}));
  // transpose_b: C[0][0] = A[0][0] B[0][0] + A[0][1] B[0][1].
  g = Grads({a, b}, seed, [&] { return matmul(a, b, false, true); });
  EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{5, 6, 0, 0}));
  EXPECT_EQ(g[1].to_vector<float>(), (std::vector<float>{1, 2, 0, 0}));
  // both: C[0][0] = A[0][0] B[0][0] + A[1][0] B[0][1].
  g = Grads({a, b}, seed, [&] { return matmul(a, b, true, true); });
  EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{5, 0, 6, 0}));
  EXPECT_EQ(g[1].to_vector<float>(), (std::vector<float>{1, 3, 0, 0}));
}

TEST(MatmulGrad, BroadcastBatchDimsAreSummed) {
  // (4, 3, 5) x (5, 2): every entry of dB sums over 4 batches x 3 rows of ones.
  Tensor a = ones({4, 3, 5}), b = ones({5, 2});
  std::vector<Tensor> g = Grads({a, b}, ones({4, 3, 2}), [&] { return matmul(a, b); });
  EXPECT_EQ(g[0].shape(), (Shape{4, 3, 5}));
  EXPECT_EQ(g[1].shape(), (Shape{5, 2}));
  for (float v : g[0].to_vector<float>()) EXPECT_EQ(v, 2.f);
  for (float v : g[1].to_vector<float>()) EXPECT_EQ(v, 12.f);
  Tensor bt = ones({2, 5});
  g = Grads({a, bt}, ones({4, 3, 2}), [&] { return matmul(a, bt, false, true); });
  EXPECT_EQ(g[1].shape(), (Shape{2, 5}));
  for (float v : g[1].to_vector<float>()) EXPECT_EQ(v, 12.f);
  // (2, 1, 3, 4) x (5, 4, 2): a broadcasts over 5, b over 2.
  Tensor a4 = ones({2, 1, 3, 4}), b3 = ones({5, 4, 2});
  g = Grads({a4, b3}, ones({2, 5, 3, 2}), [&] { return matmul(a4, b3); });
  EXPECT_EQ(g[0].shape(), (Shape{2, 1, 3, 4}));
  EXPECT_EQ(g[1].shape(), (Shape{5, 4, 2}));
  for (float v : g[0].to_vector<float>()) EXPECT_EQ(v, 10.f);  // 5 batches x 2 columns
  for (float v : g[1].to_vector<float>()) EXPECT_EQ(v, 6.f);   // 2 batches x 3 rows
}

// ---- softmax / log_softmax ------------------------------------------------------------------

TEST(SoftmaxGrad, HandComputed) {
  Tensor x = constant({0.f, 0.f});
  // d log_softmax(x)[0] / dx = onehot(0) - softmax(x) = [0.5, -0.5].
  ExpectNear(Grads({x}, constant({1.f, 0.f}), [&] { return log_softmax(x); })[0].to_vector<float>(),
             {0.5f, -0.5f});
  // d softmax(x)[0] / dx = p0 (onehot(0) - p) = [0.25, -0.25].
  ExpectNear(Grads({x}, constant({1.f, 0.f}), [&] { return softmax(x); })[0].to_vector<float>(),
             {0.25f, -0.25f});
  // softmax sums to 1 along its axis: a constant seed along the axis has zero gradient.
  Tensor m = constant({{1.f, 2.f}, {3.f, 5.f}});
  ExpectNear(Grads({m}, constant({{2.f, 7.f}, {2.f, 7.f}}), [&] { return softmax(m, 0); })[0]
                 .to_vector<float>(),
             {0.f, 0.f, 0.f, 0.f});
}

// ---- conv2d ---------------------------------------------------------------------------------

// The float32 gradients (oneDNN) match the float64 ones (loops) on the shapes of a small conv
// net: 28x28x1 -> 16 3x3 -> 16 3x3, VALID, and strided/dilated SAME variants.
TEST(Conv2DGrad, Float32MatchesFloat64) {
  struct Case {
    Shape x, f;
    std::array<int, 2> strides;
    const char* padding;
    std::array<int, 2> dilations;
  };
  for (const Case& c : {Case{{4, 28, 28, 1}, {3, 3, 1, 16}, {1, 1}, "VALID", {1, 1}},
                        Case{{4, 26, 26, 16}, {3, 3, 16, 16}, {1, 1}, "VALID", {1, 1}},
                        Case{{2, 13, 12, 8}, {3, 3, 8, 4}, {2, 2}, "SAME", {1, 1}},
                        Case{{2, 11, 12, 3}, {2, 3, 3, 5}, {1, 2}, "SAME", {2, 1}}}) {
    SCOPED_TRACE(c.x.to_string());
    Tensor x = random::uniform(c.x, -1, 1, 1, DType::kFloat32),
           f = random::uniform(c.f, -1, 1, 2, DType::kFloat32);
    Tensor y = conv2d(x, f, c.strides, c.padding, c.dilations);
    Tensor dy = random::uniform(y.shape(), -1, 1, 3, DType::kFloat32);
    std::vector<Tensor> g32 =
        Grads({x, f}, dy, [&] { return conv2d(x, f, c.strides, c.padding, c.dilations); });
    Tensor x64 = cast(x, DType::kFloat64), f64 = cast(f, DType::kFloat64);
    std::vector<Tensor> g64 = Grads({x64, f64}, cast(dy, DType::kFloat64), [&] {
      return conv2d(x64, f64, c.strides, c.padding, c.dilations);
    });
    ExpectNear(AsDoubles(g32[0]), g64[0].to_vector<double>(), 1e-4);
    ExpectNear(AsDoubles(g32[1]), g64[1].to_vector<double>(), 2e-3);  // sums over batch x pixels
  }
}

TEST(Conv2DGrad, BackwardPrimitivesAreCached) {
  Tensor x = ones({2, 9, 11, 3}), f = ones({3, 3, 3, 5});  // shapes no other test uses
  auto step = [&] {
    return Grads({x, f}, ones({2, 9, 11, 5}), [&] { return conv2d(x, f, {1, 1}, "SAME"); });
  };
  step();
  int64_t after_first = cpu::DnnlPrimitivesCreated();
  std::vector<Tensor> g;
  for (int i = 0; i < 3; ++i) g = step();
  EXPECT_EQ(cpu::DnnlPrimitivesCreated(), after_first);
  EXPECT_EQ(g[0].to_vector<float>()[(11 + 1) * 3], 45.f);  // interior pixel: 3x3 taps x 5 outputs
  EXPECT_EQ(g[1].to_vector<float>()[0], 2.f * 8 * 10);     // tap (0, 0) sees 8x10 pixels per image
}

// d/df <d/dx <conv2d(x, f), r>, s> = conv2d_backprop_filter(s, f.shape(), r): through the rule
// of conv2d_backprop_input, recorded by an outer tape (seeds stand in for the inner products).
TEST(Conv2DGrad, SecondOrderThroughNestedTapes) {
  Tensor x = random::uniform({1, 6, 5, 2}, -1, 1, 4, DType::kFloat64);
  Tensor f = random::uniform({3, 2, 2, 3}, -1, 1, 5, DType::kFloat64);
  Tensor r = random::uniform({1, 3, 3, 3}, -1, 1, 6, DType::kFloat64);
  Tensor s = random::uniform({1, 6, 5, 2}, -1, 1, 7, DType::kFloat64);
  GradientTape outer;
  outer.watch(f);
  Tensor gx;
  {
    GradientTape inner;
    inner.watch(x);
    gx = inner.gradient(conv2d(x, f, {2, 2}, "SAME"), {x}, r)[0];
  }
  Tensor df = outer.gradient(gx, {f}, s)[0];
  ExpectNear(df.to_vector<double>(),
             conv2d_backprop_filter(s, f.shape(), r, {2, 2}, "SAME").to_vector<double>(), 1e-12);
}

TEST(Conv2DGrad, GradientOpsCheckTheirShapes) {
  try {
    conv2d_backprop_input({1, 5, 5, 3}, ones({3, 3, 3, 2}), ones({1, 4, 5, 2}), {1, 1}, "SAME");
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "[conv2d_backprop_input] dy has shape (1, 4, 5, 2) but conv2d of input "
                  "(1, 5, 5, 3) and filters (3, 3, 3, 2) gives (1, 5, 5, 2)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_ERROR(
      conv2d_backprop_filter(ones({1, 5, 5, 3}), {3, 3, 3}, ones({1, 5, 5, 2}), {1, 1}, "SAME"),
      "[conv2d_backprop_filter]");
}

// ---- pools ----------------------------------------------------------------------------------

TEST(MaxPool2DGrad, FirstMaximumTakesTheGradient) {
  Tensor x = constant(std::vector<float>{1, 3, 3, 2}, Shape{1, 2, 2, 1});
  EXPECT_EQ(Grads({x}, ones({1, 1, 1, 1}),
                  [&] {
                    return max_pool2d(x, {2, 2}, {2, 2}, "VALID");
                  })[0]
                .to_vector<float>(),
            (std::vector<float>{0, 1, 0, 0}));
  // Overlapping windows (stride 1) add up on a shared maximum.
  Tensor z = constant(std::vector<float>{0, 0, 0, 0, 9, 0, 0, 0, 0}, Shape{1, 3, 3, 1});
  EXPECT_EQ(Grads({z}, ones({1, 2, 2, 1}),
                  [&] {
                    return max_pool2d(z, {2, 2}, {1, 1}, "VALID");
                  })[0]
                .to_vector<float>(),
            (std::vector<float>{0, 0, 0, 0, 4, 0, 0, 0, 0}));
  Tensor y = max_pool2d(x, {2, 2}, {2, 2}, "VALID");
  Tensor ddx = constant(std::vector<float>{10, 20, 30, 40}, Shape{1, 2, 2, 1});
  EXPECT_EQ(max_pool2d_grad_grad(x, y, ddx, {2, 2}, {2, 2}, "VALID").to_vector<float>(),
            std::vector<float>{20});
}

// d/dr <d/dx <max_pool2d(x), r>, s> = s at each window's argmax: through max_pool2d_grad's rule.
TEST(MaxPool2DGrad, SecondOrderThroughNestedTapes) {
  Tensor x = constant(std::vector<double>{1, 3, 3, 2, 5, 4, 0, 1}, Shape{1, 2, 4, 1});
  Tensor r = constant(std::vector<double>{1, 1}, Shape{1, 1, 2, 1});
  Tensor s = constant(std::vector<double>{10, 20, 30, 40, 50, 60, 70, 80}, Shape{1, 2, 4, 1});
  GradientTape outer;
  outer.watch(r);
  Tensor gx;
  {
    GradientTape inner;
    inner.watch(x);
    gx = inner.gradient(max_pool2d(x, {2, 2}, {2, 2}, "VALID"), {x}, r)[0];
  }
  // Rows [1 3 3 2] / [5 4 0 1]: the windows' maxima are 5 (s = 50) and 3 (s = 30).
  EXPECT_EQ(outer.gradient(gx, {r}, s)[0].to_vector<double>(), (std::vector<double>{50, 30}));
}

// SAME average pooling excludes padding: with k 2, s 1 over 3 pixels the last window holds one
// real pixel. Each dx is a[iy] * a[ix] with a = [1/2, 1/2 + 1/2, 1/2 + 1].
TEST(AvgPool2DGrad, SamePaddingIsExcluded) {
  std::vector<double> a = {0.5, 1.0, 1.5}, want;
  for (double u : a)
    for (double v : a) want.push_back(u * v);
  for (DType d : {DType::kFloat32, DType::kFloat64}) {
    Tensor x = ones({1, 3, 3, 1}, d);
    Tensor g = Grads({x}, ones({1, 3, 3, 1}, d), [&] {
      return avg_pool2d(x, {2, 2}, {1, 1}, "SAME");
    })[0];
    ExpectNear(AsDoubles(g), want, 1e-6);
    ExpectNear(
        AsDoubles(avg_pool2d_grad({1, 3, 3, 1}, ones({1, 3, 3, 1}, d), {2, 2}, {1, 1}, "SAME")),
        want, 1e-6);
  }
}

}  // namespace
}  // namespace duet
