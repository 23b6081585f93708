// Focused tests of duet::random: Philox known answers, fixed-seed determinism, pinned values
// (so a change of algorithm or platform shows up), set_seed replay, ranges and validation.
#include <cmath>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "kernels/cpu/philox.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

TEST(Philox, MatchesRandom123KnownAnswers) {
  using W = cpu::PhiloxWords;
  EXPECT_EQ(cpu::Philox4x32({0, 0, 0, 0}, {0, 0}),
            (W{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(
      cpu::Philox4x32({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
      (W{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(
      cpu::Philox4x32({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
      (W{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Random, FixedSeedGivesTheSameValues) {
  Tensor a = random::normal({1000}, 0.f, 1.f, 7);
  Tensor b = random::normal({1000}, 0.f, 1.f, 7);
  EXPECT_EQ(a.shape(), Shape{1000});
  EXPECT_EQ(a.dtype(), DType::kFloat32);
  EXPECT_EQ(a.to_vector<float>(), b.to_vector<float>());
  EXPECT_NE(a.to_vector<float>(), random::normal({1000}, 0.f, 1.f, 8).to_vector<float>());
  // A prefix of a longer tensor: element i depends only on (seed, i).
  std::vector<float> longer = random::normal({1001}, 0.f, 1.f, 7).to_vector<float>();
  EXPECT_EQ(std::vector<float>(longer.begin(), longer.end() - 1), a.to_vector<float>());
}

TEST(Random, PinnedValues) {
  // Computed once with this implementation; they must never change on any machine.
  std::vector<float> u = random::uniform({4}, 0.f, 1.f, 42).to_vector<float>();
  std::vector<float> n = random::normal({4}, 0.f, 1.f, 42).to_vector<float>();
  std::vector<double> d = random::uniform({2}, 0.f, 1.f, 42, DType::kFloat64).to_vector<double>();
  EXPECT_EQ(u, (std::vector<float>{0.612959862f, 0.468586504f, 0.0732316971f, 0.340861499f}));
  EXPECT_EQ(n, (std::vector<float>{-0.970189691f, 0.19401902f, -1.23562002f, 1.92392707f}));
  EXPECT_EQ(d, (std::vector<double>{0.6129598811894158, 0.073231737441583844}));
}

TEST(Random, SetSeedReplaysTheSequence) {
  random::set_seed(42);
  Tensor a1 = random::normal({5});
  Tensor a2 = random::uniform({5});
  EXPECT_NE(a1.to_vector<float>(),
            random::normal({5}).to_vector<float>());  // successive calls differ
  random::set_seed(42);
  EXPECT_EQ(random::normal({5}).to_vector<float>(), a1.to_vector<float>());
  EXPECT_EQ(random::uniform({5}).to_vector<float>(), a2.to_vector<float>());
  random::set_seed(43);
  EXPECT_NE(random::normal({5}).to_vector<float>(), a1.to_vector<float>());
}

TEST(Random, UniformRangeAndNormalMoments) {
  for (float v : random::uniform({2000}, -3.f, 5.f, 1).to_vector<float>()) {
    EXPECT_GE(v, -3.f);
    EXPECT_LT(v, 5.f);
  }
  std::vector<double> x =
      random::normal({20000}, 10.f, 2.f, 5, DType::kFloat64).to_vector<double>();
  double mean = 0, var = 0;
  for (double v : x) mean += v / x.size();
  for (double v : x) var += (v - mean) * (v - mean) / (x.size() - 1);
  EXPECT_NEAR(mean, 10.0, 0.06);
  EXPECT_NEAR(std::sqrt(var), 2.0, 0.06);
  EXPECT_EQ(random::uniform({3}, 2.f, 2.f, 1).to_vector<float>(), (std::vector<float>{2, 2, 2}));
  EXPECT_EQ(random::normal({}, 0.f, 1.f, 3).shape(), Shape{});
  EXPECT_EQ(random::normal({0, 4}).shape(), (Shape{0, 4}));
}

TEST(Random, InvalidArgumentsThrow) {
  EXPECT_ERROR(random::normal({2}, 0.f, -1.f), "[random_normal] stddev must be finite and >= 0");
  EXPECT_ERROR(random::uniform({2}, 1.f, 0.f), "[random_uniform] lo must be <= hi");
  EXPECT_ERROR(random::uniform({-2}), "[random_uniform]");
  EXPECT_ERROR(random::normal({2}, 0.f, 1.f, 1, DType::kInt32),
               "[random_normal] dtype must be float32 or float64");
  try {
    random::uniform({2}, 0.f, 1.f, -1, DType::kBool);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(
        std::string(e.what()).find("[random_uniform] dtype must be float32 or float64, got bool"),
        std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace duet
