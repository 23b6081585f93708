// Focused tests of the public reduction functions: axes spellings, keepdims shapes, the
// flat / outer-axis / general loops, accuracy of a long float32 sum, NaN rules and errors.
#include <cmath>
#include <limits>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

using F = std::vector<float>;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(Reduce, SumOverAxesAndKeepdims) {
  Tensor x = constant({{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}});
  EXPECT_EQ(reduce_sum(x).item<float>(), 21.f);
  EXPECT_EQ(reduce_sum(x).shape(), Shape{});
  EXPECT_EQ(reduce_sum(x, {0}).to_vector<float>(), (F{5, 7, 9}));
  EXPECT_EQ(reduce_sum(x, {-1}).to_vector<float>(), (F{6, 15}));
  EXPECT_EQ(reduce_sum(x, {1}, true).shape(), (Shape{2, 1}));
  EXPECT_EQ(reduce_sum(x, {}, true).shape(), (Shape{1, 1}));
  EXPECT_EQ(reduce_sum(x, {0, 1}).item<float>(), 21.f);
  EXPECT_EQ(reduce_sum(x, {-1, 0}, true).to_vector<float>(), (F{21}));
}

TEST(Reduce, MeanMaxMin) {
  Tensor x = constant({{1.f, 5.f}, {3.f, 2.f}});
  EXPECT_EQ(reduce_mean(x).item<float>(), 2.75f);
  EXPECT_EQ(reduce_mean(x, {0}).to_vector<float>(), (F{2, 3.5}));
  EXPECT_EQ(reduce_max(x, {-1}, true).to_vector<float>(), (F{5, 3}));
  EXPECT_EQ(reduce_max(x, {-1}, true).shape(), (Shape{2, 1}));
  EXPECT_EQ(reduce_min(x, {0}).to_vector<float>(), (F{1, 2}));
  EXPECT_EQ(reduce_max(constant({{1.0, -1.0}})).dtype(), DType::kFloat64);
}

TEST(Reduce, IntegersTruncateTheMeanAndKeepTheirDType) {
  Tensor x = constant({{1, 2}, {3, 5}});
  EXPECT_EQ(reduce_sum(x).item<int32_t>(), 11);
  EXPECT_EQ(reduce_mean(x).item<int32_t>(), 2);                   // 11 / 4
  EXPECT_EQ(reduce_mean(constant({-7, 0})).item<int32_t>(), -3);  // toward zero
  EXPECT_EQ(reduce_max(constant({int64_t{-3}, int64_t{9}})).item<int64_t>(), 9);
  Tensor big = constant(std::vector<int32_t>(4, 2000000000), Shape{4});
  EXPECT_EQ(reduce_mean(big).item<int32_t>(), 2000000000);  // the sum does not overflow int32
}

TEST(Reduce, OuterAndMiddleAxesOfALargerTensor) {
  std::vector<float> v(2 * 3 * 4);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
  Tensor x = constant(v, Shape{2, 3, 4});
  // Sum over axis 1: out[a][c] = sum_b 12a + 4b + c = 36a + 12 + 3c.
  EXPECT_EQ(reduce_sum(x, {1}).to_vector<float>(), (F{12, 15, 18, 21, 48, 51, 54, 57}));
  // Sum over axes 0 and 2: out[b] = sum_{a,c} 12a + 4b + c = 48 + 32b + 12.
  EXPECT_EQ(reduce_sum(x, {0, 2}).to_vector<float>(), (F{60, 92, 124}));
  EXPECT_EQ(reduce_max(x, {0, -1}, true).shape(), (Shape{1, 3, 1}));
  EXPECT_EQ(reduce_max(x, {0, -1}, true).to_vector<float>(), (F{15, 19, 23}));
  EXPECT_EQ(reduce_min(x, {0}).to_vector<float>()[5], 5.f);
}

TEST(Reduce, LongFloat32SumIsAccurate) {
  // 0.1f summed naively in float32 a million times drifts by about 1%.
  const int n = 1000000;
  Tensor x = constant(std::vector<float>(n, 0.1f), Shape{n});
  double want = n * static_cast<double>(0.1f);
  EXPECT_NEAR(reduce_sum(x).item<float>(), want, want * 1e-6);
  EXPECT_NEAR(reduce_mean(x).item<float>(), 0.1f, 1e-7);
  Tensor cols = constant(std::vector<float>(n, 0.1f), Shape{n / 4, 4});  // outer-axis loop
  for (float s : reduce_sum(cols, {0}).to_vector<float>())
    EXPECT_NEAR(s, want / 4, want / 4 * 1e-6);
}

TEST(Reduce, NaNPropagatesThroughMaxAndMin) {
  Tensor x = constant({1.f, kNaN, 3.f});
  EXPECT_TRUE(std::isnan(reduce_max(x).item<float>()));
  EXPECT_TRUE(std::isnan(reduce_min(x).item<float>()));
  EXPECT_TRUE(std::isnan(reduce_sum(x).item<float>()));
}

TEST(Reduce, EmptyReductions) {
  Tensor e = zeros({0, 3});
  EXPECT_EQ(reduce_sum(e, {0}).to_vector<float>(), (F{0, 0, 0}));
  EXPECT_TRUE(std::isnan(reduce_mean(e).item<float>()));
  EXPECT_EQ(reduce_max(e, {1}).shape(), (Shape{0}));  // nothing reduced over a zero-size dim
  EXPECT_ERROR(reduce_max(e), "[reduce_max]");
  EXPECT_ERROR(reduce_min(e, {0}), "[reduce_min]");
  EXPECT_ERROR(reduce_mean(zeros({0}, DType::kInt32)), "[reduce_mean]");
  EXPECT_EQ(reduce_sum(zeros({0}, DType::kInt64)).item<int64_t>(), 0);
}

TEST(Reduce, BadAxesNameTheShape) {
  Tensor x = zeros({2, 3});
  try {
    reduce_sum(x, {2});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[reduce_sum] axis 2 is out of range for shape (2, 3)"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("reduce_test.cc"), std::string::npos) << e.what();
  }
  try {
    reduce_mean(x, {1, -1});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate axis -1 in axes [1, -1] for shape (2, 3)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_ERROR(reduce_sum(constant({true})), "[reduce_sum]");
}

TEST(ArgMax, FirstMaximumAndNaNWins) {
  Tensor x = constant({{1.f, 5.f, 5.f}, {7.f, 2.f, 7.f}});
  Tensor a = argmax(x, 1);
  EXPECT_EQ(a.dtype(), DType::kInt64);
  EXPECT_EQ(a.to_vector<int64_t>(), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(argmax(x, 0).to_vector<int64_t>(), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(argmax(x, -2).to_vector<int64_t>(), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(argmax(constant({2.f, kNaN, 9.f, kNaN}), 0).item<int64_t>(), 1);
  EXPECT_EQ(argmax(constant({{2.f, 1.f}, {kNaN, 0.f}, {kNaN, 3.f}}), 0).to_vector<int64_t>(),
            (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(argmax(constant({3, 9, 9}), 0).item<int64_t>(), 1);
  EXPECT_ERROR(argmax(x, 2), "[argmax]");
  EXPECT_ERROR(argmax(zeros({3, 0}), 1), "[argmax]");
}

}  // namespace
}  // namespace duet
