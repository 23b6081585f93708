#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

TEST(Smoke, AddBroadcastsAndNumbersTakeTensorDType) {
  Tensor a = constant({{1, 2}, {3, 4}});
  Tensor b = a + 1;
  EXPECT_EQ(b.dtype(), DType::kInt32);
  EXPECT_EQ(b.to_vector<int32_t>(), (std::vector<int32_t>{2, 3, 4, 5}));
  Tensor c = a * constant({10, 100});
  EXPECT_EQ(c.to_vector<int32_t>(), (std::vector<int32_t>{10, 200, 30, 400}));
  Tensor f = constant({1.5f, 2.0f}) * 2.0;
  EXPECT_EQ(f.dtype(), DType::kFloat32);
  EXPECT_EQ(f.to_vector<float>(), (std::vector<float>{3.f, 4.f}));
  EXPECT_EQ((constant({-7, 7}) % 3).to_vector<int32_t>(), (std::vector<int32_t>{2, 1}));
  EXPECT_EQ((constant({-7, 7}) / 2).to_vector<int32_t>(), (std::vector<int32_t>{-4, 3}));
  EXPECT_TRUE(bool(constant(3.f) > 0.f));
  EXPECT_EQ((1 - constant({1.f, 2.f})).to_vector<float>(), (std::vector<float>{0.f, -1.f}));
}

TEST(Smoke, OperatorErrorsNameTheUsersLine) {
  Tensor a = constant({1.f, 2.f, 3.f});
  Tensor b = constant({1.f, 2.f});
  int line = __LINE__ + 2;
  try {
    Tensor c = a + b;
    FAIL();
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("[add] cannot broadcast shapes (3,) and (2,)"), std::string::npos) << m;
    EXPECT_NE(m.find("smoke_test.cc:" + std::to_string(line)), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace duet
