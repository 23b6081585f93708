// Focused tests of cast: truncation, NaN/saturation, bool, half types, same-dtype sharing.
#include <cmath>
#include <limits>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

using I32 = std::vector<int32_t>;

TEST(Cast, FloatToIntTruncatesTowardZero) {
  EXPECT_EQ(cast(constant(-1.7f), DType::kInt32).item<int32_t>(), -1);
  EXPECT_EQ(cast(constant({-1.7f, 1.7f, -0.5f, 2.5f}), DType::kInt32).to_vector<int32_t>(),
            (I32{-1, 1, 0, 2}));
  EXPECT_EQ(cast(constant({-2.9, 2.9}), DType::kInt64).to_vector<int64_t>(),
            (std::vector<int64_t>{-2, 2}));
}

TEST(Cast, NaNIsZeroAndOutOfRangeSaturates) {
  float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(cast(constant({nan, inf, -inf, 3e9f, -3e9f}), DType::kInt32).to_vector<int32_t>(),
            (I32{0, INT32_MAX, INT32_MIN, INT32_MAX, INT32_MIN}));
  EXPECT_EQ(cast(constant({1e30, -1e30}), DType::kInt64).to_vector<int64_t>(),
            (std::vector<int64_t>{INT64_MAX, INT64_MIN}));
  EXPECT_EQ(cast(constant(1e300), DType::kFloat32).item<float>(), inf);
}

TEST(Cast, ToBoolIsNonZero) {
  Tensor b =
      cast(constant({0.f, -0.f, 0.5f, std::numeric_limits<float>::quiet_NaN()}), DType::kBool);
  EXPECT_EQ(b.dtype(), DType::kBool);
  EXPECT_EQ(b.to_vector<bool>(), (std::vector<bool>{false, false, true, true}));
  EXPECT_EQ(cast(constant({true, false}), DType::kFloat32).to_vector<float>(),
            (std::vector<float>{1, 0}));
}

TEST(Cast, IntConversionsWrapAndRound) {
  EXPECT_EQ(cast(constant({int64_t{5000000000}}), DType::kInt32).item<int32_t>(), 705032704);
  EXPECT_EQ(cast(constant({16777217}), DType::kFloat32).item<float>(), 16777216.f);
}

TEST(Cast, HalfTypesRoundTripThroughFloat) {
  Tensor h = cast(constant({1.5f, 65504.f, 1e6f, -2.75f}), DType::kFloat16);
  EXPECT_EQ(h.dtype(), DType::kFloat16);
  EXPECT_EQ(cast(h, DType::kFloat32).to_vector<float>(),
            (std::vector<float>{1.5f, 65504.f, std::numeric_limits<float>::infinity(), -2.75f}));
  Tensor bf = cast(constant({1.f, 3.0e38f}), DType::kBFloat16);
  EXPECT_EQ(cast(bf, DType::kInt32).to_vector<int32_t>(), (I32{1, INT32_MAX}));
  EXPECT_EQ(cast(cast(constant({-3.7f}), DType::kFloat16), DType::kInt64).item<int64_t>(), -3);
}

TEST(Cast, SameDTypeSharesTheBuffer) {
  Tensor x = constant({1.f, 2.f});
  Tensor y = cast(x, DType::kFloat32);
  EXPECT_EQ(y.raw_data(), x.raw_data());
  EXPECT_EQ(cast(zeros({0, 2}), DType::kInt32).shape(), (Shape{0, 2}));
}

}  // namespace
}  // namespace duet
