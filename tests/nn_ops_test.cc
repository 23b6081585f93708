// Focused tests of matmul, softmax, log_softmax, conv2d, max_pool2d and avg_pool2d through
// their public functions: API.md's examples and spellings, hand-computed values, user-facing
// error messages, and that the oneDNN primitive caches are reused across calls.
#include <cmath>
#include <numeric>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "kernels/cpu/dnnl_context.h"
#include "runtime/op_registry.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

using F32 = std::vector<float>;

Tensor Iota(const Shape& shape, float scale = 1.f) {
  std::vector<float> v(shape.num_elements());
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i) * scale;
  return constant(v, shape);
}

template <class T>
void ExpectNear(const std::vector<T>& got, const std::vector<T>& want, double tol = 1e-5) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

// ---- matmul ---------------------------------------------------------------------------------

TEST(Matmul, ApiExample) {
  Tensor y = matmul(constant({{2.f}}), constant({{2.f}}));
  EXPECT_EQ(y.shape(), (Shape{1, 1}));
  EXPECT_EQ(y.dtype(), DType::kFloat32);
  EXPECT_EQ(y.to_vector<float>(), F32{4.f});
}

TEST(Matmul, HandComputedAndTransposes) {
  Tensor a = constant({{1, 2, 3}, {4, 5, 6}});    // (2, 3) int32
  Tensor b = constant({{1, 0}, {0, 1}, {1, 1}});  // (3, 2)
  EXPECT_EQ(matmul(a, b).to_vector<int32_t>(), (std::vector<int32_t>{4, 5, 10, 11}));
  // a^T a: (3, 3); a a^T: (2, 2).
  EXPECT_EQ(matmul(a, a, true, false).to_vector<int32_t>(),
            (std::vector<int32_t>{17, 22, 27, 22, 29, 36, 27, 36, 45}));
  EXPECT_EQ(matmul(a, a, false, true).to_vector<int32_t>(), (std::vector<int32_t>{14, 32, 32, 77}));
  // (b^T)(a^T) == (a b)^T
  EXPECT_EQ(matmul(b, a, true, true).to_vector<int32_t>(), (std::vector<int32_t>{4, 10, 5, 11}));
  Tensor d = matmul(constant({{1.0, 2.0}}), constant({{3.0}, {4.0}}));
  EXPECT_EQ(d.dtype(), DType::kFloat64);
  EXPECT_EQ(d.to_vector<double>(), std::vector<double>{11.0});
  EXPECT_EQ(
      matmul(constant({{2}}, DType::kInt64), constant({{3}}, DType::kInt64)).to_vector<int64_t>(),
      std::vector<int64_t>{6});
}

TEST(Matmul, BatchBroadcasting) {
  Tensor a = ones({2, 1, 3, 4}), b = ones({5, 4, 2});
  Tensor y = matmul(a, b);
  EXPECT_EQ(y.shape(), (Shape{2, 5, 3, 2}));
  for (float v : y.to_vector<float>()) EXPECT_EQ(v, 4.f);
  // A rank-2 operand broadcasts against a batch; each batch entry uses its own matrix.
  Tensor batch = constant(F32{1, 0, 0, 1, 2, 0, 0, 2}, Shape{2, 2, 2});  // [I, 2I]
  Tensor m = constant({{1.f, 2.f}, {3.f, 4.f}});
  ExpectNear(matmul(m, batch).to_vector<float>(), {1, 2, 3, 4, 2, 4, 6, 8});
  EXPECT_EQ(matmul(zeros({0, 3}), zeros({3, 4})).shape(), (Shape{0, 4}));
  ExpectNear(matmul(ones({2, 0}), ones({0, 3})).to_vector<float>(), F32(6, 0.f));  // empty sum
}

TEST(Matmul, LargeFloat32MatchesFloat64) {
  // 64x128 x 128x96 takes the oneDNN path in float32; float64 takes the loops.
  Tensor a = Iota({64, 128}, 1e-3f), b = Iota({96, 128}, -1e-3f);
  Tensor y32 = matmul(a, b, false, true);
  Tensor y64 = matmul(cast(a, DType::kFloat64), cast(b, DType::kFloat64), false, true);
  std::vector<float> got = y32.to_vector<float>();
  std::vector<double> want = y64.to_vector<double>();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], 1e-4 * std::abs(want[i]) + 1e-3) << i;
}

TEST(Matmul, Errors) {
  ExpectError(
      [] {
        matmul(ones({2, 3}), ones({4, 5}));
      },
      "[matmul] inner dimensions differ: (2, 3) x (4, 5)");
  ExpectError(
      [] {
        matmul(ones({3}), ones({3, 2}));
      },
      "[matmul] input a must have rank >= 2, got shape (3,)");
  ExpectError(
      [] {
        matmul(ones({2, 2, 3}), ones({3, 3, 4}));
      },
      "batch dimensions do not broadcast");
  ExpectError([] { matmul(ones({2, 2}), ones({2, 2}, DType::kFloat64)); }, "dtype mismatch");
  ExpectError(
      [] {
        matmul(ones({2, 2}), ones({2, 2}));
        matmul(ones({2, 3}), ones({2, 3}));
      },
      "nn_ops_test.cc");
}

TEST(Matmul, SmallProductsCreateNoPrimitive) {
  int64_t before = cpu::DnnlPrimitivesCreated();
  matmul(constant({{2.f}}), constant({{3.f}}));
  matmul(ones({4, 5}), ones({5, 6}));
  EXPECT_EQ(cpu::DnnlPrimitivesCreated(), before);
}

TEST(Matmul, PrimitiveCacheIsReused) {
  Tensor a = ones({67, 129}), b = ones({129, 71});  // a shape no other test uses
  int64_t before = cpu::DnnlPrimitivesCreated();
  Tensor y = matmul(a, b);
  EXPECT_EQ(cpu::DnnlPrimitivesCreated(), before + 1);
  for (int i = 0; i < 3; ++i) y = matmul(ones({67, 129}), b);
  EXPECT_EQ(cpu::DnnlPrimitivesCreated(), before + 1);
  EXPECT_EQ(y.to_vector<float>()[0], 129.f);
  matmul(a, ones({71, 129}), false, true);  // another transpose is another primitive
  EXPECT_EQ(cpu::DnnlPrimitivesCreated(), before + 2);
}

// ---- softmax / log_softmax ------------------------------------------------------------------

TEST(Softmax, ValuesAndAxes) {
  float e1 = std::exp(1.f), e2 = std::exp(2.f), s = 1 + e1 + e2;
  ExpectNear(softmax(constant({0.f, 1.f, 2.f})).to_vector<float>(), {1 / s, e1 / s, e2 / s});
  ExpectNear(log_softmax(constant({0.f, 1.f, 2.f})).to_vector<float>(),
             {-std::log(s), 1 - std::log(s), 2 - std::log(s)});
  Tensor x = constant({{0.f, 1.f}, {1.f, 0.f}});
  float p = 1 / (1 + std::exp(-1.f));  // softmax([1, 0])[0]
  ExpectNear(softmax(x, 0).to_vector<float>(), {1 - p, p, p, 1 - p});
  ExpectNear(softmax(x).to_vector<float>(), {1 - p, p, p, 1 - p});
  ExpectNear(softmax(x, -2).to_vector<float>(), softmax(x, 0).to_vector<float>());
}

TEST(Softmax, NumericallyStable) {
  ExpectNear(softmax(constant({1000.f, 1000.f})).to_vector<float>(), {0.5f, 0.5f});
  ExpectNear(softmax(constant({-1000.0, 0.0})).to_vector<double>(), {0.0, 1.0});
  ExpectNear(log_softmax(constant({1000.f, 1000.f})).to_vector<float>(),
             {-std::log(2.f), -std::log(2.f)});
  std::vector<double> big = softmax(constant({0.0, 800.0})).to_vector<double>();
  EXPECT_EQ(big[1], 1.0);
  EXPECT_FALSE(std::isnan(big[0]));
}

TEST(Softmax, LongRowsSumToOne) {
  // 32 rows of 512 take oneDNN's softmax in float32.
  Tensor x = Iota({32, 512}, 0.01f);
  std::vector<float> p = softmax(x).to_vector<float>();
  std::vector<float> lp = log_softmax(x).to_vector<float>();
  for (int r = 0; r < 32; ++r) {
    double sum = 0;
    for (int j = 0; j < 512; ++j) {
      sum += p[r * 512 + j];
      EXPECT_NEAR(std::log(p[r * 512 + j]), lp[r * 512 + j], 1e-4);
    }
    EXPECT_NEAR(sum, 1.0, 1e-5);
  }
}

TEST(Softmax, Errors) {
  ExpectError(
      [] {
        softmax(ones({2, 3}), 2);
      },
      "[softmax] axis 2 is out of range for shape (2, 3)");
  ExpectError([] { log_softmax(constant({1, 2})); }, "[log_softmax] input 0 (x) has dtype int32");
}

// ---- conv2d ---------------------------------------------------------------------------------

TEST(Conv2D, OnesCountTheWindow) {
  // Each output counts the real (unpadded) inputs under its 3x3 window.
  Tensor same = conv2d(ones({1, 4, 4, 1}), ones({3, 3, 1, 1}), {1, 1}, "SAME");
  EXPECT_EQ(same.shape(), (Shape{1, 4, 4, 1}));
  ExpectNear(same.to_vector<float>(), {4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4});
  Tensor valid = conv2d(ones({1, 4, 4, 1}), ones({3, 3, 1, 1}), {1, 1}, "VALID");
  EXPECT_EQ(valid.shape(), (Shape{1, 2, 2, 1}));
  ExpectNear(valid.to_vector<float>(), {9, 9, 9, 9});
}

TEST(Conv2D, TfPaddingPutsTheExtraPixelAfter) {
  // in 4, k 2, s 1, SAME: pad_total 1 -> 0 before, 1 after. With x = 0..3 along W and filter
  // [1, 10]: out[i] = x[i] + 10 * x[i + 1], the last one sees padding.
  Tensor x = constant(F32{0, 1, 2, 3}, Shape{1, 1, 4, 1});
  Tensor f = constant(F32{1, 10}, Shape{1, 2, 1, 1});
  ExpectNear(conv2d(x, f, {1, 1}, "SAME").to_vector<float>(), {10, 21, 32, 3});
  ExpectNear(conv2d(cast(x, DType::kFloat64), cast(f, DType::kFloat64), {1, 1}, "SAME")
                 .to_vector<double>(),
             {10.0, 21.0, 32.0, 3.0});
}

TEST(Conv2D, StridesDilationsAndChannels) {
  EXPECT_EQ(conv2d(ones({1, 5, 5, 1}), ones({3, 3, 1, 2}), {2, 2}, "SAME").shape(),
            (Shape{1, 3, 3, 2}));
  EXPECT_EQ(conv2d(ones({1, 5, 5, 1}), ones({3, 3, 1, 2}), {2, 2}, "VALID").shape(),
            (Shape{1, 2, 2, 2}));
  // Dilation 2: a 3x3 filter spans 5x5.
  Tensor d = conv2d(ones({1, 5, 5, 1}), ones({3, 3, 1, 1}), {1, 1}, "VALID", {2, 2});
  EXPECT_EQ(d.shape(), (Shape{1, 1, 1, 1}));
  EXPECT_EQ(d.to_vector<float>(), F32{9});
  // Channels sum: 3 input channels of ones into 4 outputs.
  Tensor c = conv2d(ones({2, 3, 3, 3}), ones({1, 1, 3, 4}), {1, 1}, "VALID");
  EXPECT_EQ(c.shape(), (Shape{2, 3, 3, 4}));
  for (float v : c.to_vector<float>()) EXPECT_EQ(v, 3.f);
}

TEST(Conv2D, Float32AndFloat64Agree) {
  Tensor x = Iota({2, 9, 8, 3}, 0.01f), f = Iota({3, 3, 3, 5}, -0.02f);
  for (const char* padding : {"SAME", "VALID"}) {
    std::vector<float> a = conv2d(x, f, {2, 1}, padding, {1, 2}).to_vector<float>();
    std::vector<double> b =
        conv2d(cast(x, DType::kFloat64), cast(f, DType::kFloat64), {2, 1}, padding, {1, 2})
            .to_vector<double>();
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
      ASSERT_NEAR(a[i], b[i], 1e-4 * std::abs(b[i]) + 1e-5) << padding << " " << i;
  }
}

TEST(Conv2D, PrimitiveCacheIsReused) {
  Tensor x = ones({1, 11, 13, 3}), f = ones({3, 3, 3, 7});  // shapes no other test uses
  Tensor y = conv2d(x, f, {1, 1}, "SAME");
  int64_t after_first = cpu::DnnlPrimitivesCreated();
  for (int i = 0; i < 3; ++i) y = conv2d(ones({1, 11, 13, 3}), f, {1, 1}, "SAME");
  EXPECT_EQ(cpu::DnnlPrimitivesCreated(), after_first);
  EXPECT_EQ(y.to_vector<float>()[(13 + 1) * 7], 27.f);  // pixel (1, 1): 3*3 taps x 3 channels
  conv2d(x, f, {2, 2}, "SAME");
  EXPECT_GT(cpu::DnnlPrimitivesCreated(), after_first);
}

TEST(Conv2D, Errors) {
  ExpectError(
      [] {
        conv2d(ones({3, 4}), ones({3, 3, 1, 1}), {1, 1}, "SAME");
      },
      "[conv2d] input must be rank 4 (NHWC), got shape (3, 4)");
  ExpectError(
      [] {
        conv2d(ones({1, 5, 5, 3}), ones({3, 3, 4, 2}), {1, 1}, "SAME");
      },
      "[conv2d] input has 3 channels (shape (1, 5, 5, 3)) but filters expect 4 (shape (3, 3, 4, "
      "2))");
  ExpectError(
      [] {
        conv2d(ones({1, 5, 5, 1}), ones({3, 3, 1, 1}), {1, 1}, "FOO");
      },
      "[conv2d] unknown padding 'FOO' (expected \"SAME\" or \"VALID\")");
  ExpectError(
      [] {
        conv2d(ones({1, 5, 5, 1}), ones({3, 3, 1, 1}), {0, 1}, "SAME");
      },
      "[conv2d] strides must be 2 positive integers, got [0, 1]");
  ExpectError(
      [] {
        conv2d(ones({1, 5, 5, 1}), ones({3, 3, 1, 1}), {1, 1}, "SAME", {1, 0});
      },
      "[conv2d] dilations must be 2 positive integers, got [1, 0]");
  ExpectError(
      [] {
        conv2d(ones({1, 2, 5, 1}), ones({3, 3, 1, 1}), {1, 1}, "VALID");
      },
      "[conv2d] VALID padding leaves an empty output: input height 2 is smaller than the window "
      "height 3");
}

// ---- pools ----------------------------------------------------------------------------------

TEST(Pool2D, MaxAndAverage) {
  Tensor x = Iota({1, 4, 4, 1});  // 0..15 row-major
  Tensor m = max_pool2d(x, {2, 2}, {2, 2}, "VALID");
  EXPECT_EQ(m.shape(), (Shape{1, 2, 2, 1}));
  ExpectNear(m.to_vector<float>(), F32{5, 7, 13, 15});
  ExpectNear(avg_pool2d(x, {2, 2}, {2, 2}, "VALID").to_vector<float>(), {2.5f, 4.5f, 10.5f, 12.5f});
  // SAME with in 4, k 3, s 2: out 2, pad 0 before, 1 after. The average excludes the padding.
  ExpectNear(max_pool2d(x, {3, 3}, {2, 2}, "SAME").to_vector<float>(), {10, 11, 14, 15});
  ExpectNear(avg_pool2d(x, {3, 3}, {2, 2}, "SAME").to_vector<float>(), {5, 6.5f, 11, 12.5f});
  ExpectNear(avg_pool2d(ones({2, 5, 5, 3}), {3, 3}, {1, 1}, "SAME").to_vector<float>(),
             F32(150, 1.f));
  // max ignores padding even when every real value is negative.
  ExpectNear(max_pool2d(fill({1, 3, 3, 1}, -5.0), {3, 3}, {1, 1}, "SAME").to_vector<float>(),
             F32(9, -5.f));
  std::vector<double> d =
      avg_pool2d(cast(x, DType::kFloat64), {3, 3}, {2, 2}, "SAME").to_vector<double>();
  EXPECT_EQ(d, (std::vector<double>{5, 6.5, 11, 12.5}));
}

TEST(Pool2D, PrimitiveCacheIsReused) {
  Tensor x = ones({1, 13, 11, 5});
  max_pool2d(x, {3, 3}, {2, 2}, "SAME");
  int64_t after_first = cpu::DnnlPrimitivesCreated();
  max_pool2d(ones({1, 13, 11, 5}), {3, 3}, {2, 2}, "SAME");
  EXPECT_EQ(cpu::DnnlPrimitivesCreated(), after_first);
  avg_pool2d(x, {3, 3}, {2, 2}, "SAME");  // another algorithm, another primitive
  EXPECT_EQ(cpu::DnnlPrimitivesCreated(), after_first + 1);
}

TEST(Pool2D, Errors) {
  ExpectError(
      [] {
        max_pool2d(ones({4, 4, 1}), {2, 2}, {2, 2}, "SAME");
      },
      "[max_pool2d] input must be rank 4 (NHWC), got shape (4, 4, 1)");
  ExpectError(
      [] {
        avg_pool2d(ones({1, 4, 4, 1}), {2, 2}, {2, 2}, "valid");
      },
      "[avg_pool2d] unknown padding 'valid' (expected \"SAME\" or \"VALID\")");
  ExpectError(
      [] {
        max_pool2d(ones({1, 4, 4, 1}), {0, 2}, {2, 2}, "SAME");
      },
      "[max_pool2d] ksize must be 2 positive integers, got [0, 2]");
  ExpectError(
      [] {
        max_pool2d(ones({1, 4, 4, 1}), {5, 2}, {1, 1}, "VALID");
      },
      "input height 4 is smaller than the window height 5");
}

// ---- shape functions with unknown (-1) dims, as tracing will call them ------------------------

Shape InferredShape(const char* op_name, std::vector<Shape> shapes, const Attrs& attrs) {
  const OpDef* op = OpRegistry::Get().Find(op_name);
  std::vector<Tensor> inputs;
  for (const Shape& s : shapes) inputs.push_back(Tensor::Symbolic({s, DType::kFloat32}));
  absl::StatusOr<SpecList> specs = op->infer(InferContext{*op, inputs, attrs});
  EXPECT_TRUE(specs.ok()) << specs.status();
  return specs.ok() ? (*specs)[0].shape : Shape{};
}

TEST(ShapeFunctions, AcceptUnknownDims) {
  Attrs no_transpose = {AttrValue(false), AttrValue(false)};
  EXPECT_EQ(InferredShape("matmul", {{-1, 3}, {3, -1}}, no_transpose), (Shape{-1, -1}));
  EXPECT_EQ(InferredShape("matmul", {{-1, 2, -1}, {4, -1, 5}}, no_transpose), (Shape{4, 2, 5}));
  EXPECT_EQ(InferredShape("matmul", {{-1, 2, 3}, {3, 5}}, {AttrValue(false), AttrValue(false)}),
            (Shape{-1, 2, 5}));
  Attrs conv = {AttrValue(std::vector<int64_t>{2, 2}), AttrValue(std::string("SAME")),
                AttrValue(std::vector<int64_t>{1, 1})};
  EXPECT_EQ(InferredShape("conv2d", {{-1, -1, 9, -1}, {3, 3, 4, 8}}, conv), (Shape{-1, -1, 5, 8}));
  Attrs pool = {AttrValue(std::vector<int64_t>{2, 2}), AttrValue(std::vector<int64_t>{2, 2}),
                AttrValue(std::string("VALID"))};
  EXPECT_EQ(InferredShape("max_pool2d", {{-1, 8, -1, 3}}, pool), (Shape{-1, 4, -1, 3}));
  EXPECT_EQ(InferredShape("softmax", {{-1, 10}}, {AttrValue(int64_t{-1})}), (Shape{-1, 10}));
}

}  // namespace
}  // namespace duet
