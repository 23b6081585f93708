// Dropout: identity at inference, deterministic for a seed, fresh masks per call (eagerly and
// inside a traced function), about `rate` of the elements dropped, the rest scaled.
#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

std::vector<float> TrainingOutput(layers::Dropout& drop, const Tensor& x) {
  return drop(x, true).to_vector<float>();
}

TEST(Dropout, IdentityWhenNotTraining) {
  layers::Dropout drop(0.5, 1);
  Tensor x = random::uniform({4, 5}, 0.f, 1.f, 2);
  EXPECT_EQ(drop(x).to_vector<float>(), x.to_vector<float>());
  EXPECT_EQ(drop(x, false).to_vector<float>(), x.to_vector<float>());
}

TEST(Dropout, DropsAboutRateAndScalesTheRest) {
  layers::Dropout drop(0.3, 5);
  std::vector<float> y = TrainingOutput(drop, ones({100, 100}));
  int dropped = 0;
  for (float v : y) {
    if (v == 0)
      ++dropped;
    else
      EXPECT_FLOAT_EQ(v, 1.f / 0.7f);
  }
  EXPECT_NEAR(dropped / 10000.0, 0.3, 0.03);
}

TEST(Dropout, SeededLayersReplayTheSameMaskSequence) {
  Tensor x = ones({8, 8});
  layers::Dropout a(0.5, 42), b(0.5, 42), c(0.5, 43);
  std::vector<float> a1 = TrainingOutput(a, x), a2 = TrainingOutput(a, x);
  EXPECT_NE(a1, a2);  // a fresh mask per call
  EXPECT_EQ(TrainingOutput(b, x), a1);
  EXPECT_EQ(TrainingOutput(b, x), a2);
  EXPECT_NE(TrainingOutput(c, x), a1);
}

TEST(Dropout, TracedCallsDrawFreshMasks) {
  layers::Dropout drop(0.5, 7);
  auto f = function([&](Tensor x) { return drop(x, true); });
  Tensor x = ones({8, 8});
  std::vector<float> m1 = f(x).to_vector<float>(), m2 = f(x).to_vector<float>();
  EXPECT_EQ(f.tracing_count(), 1);
  EXPECT_NE(m1, m2);
  for (float v : m1) EXPECT_TRUE(v == 0.f || v == 2.f) << v;
}

TEST(Dropout, SeedMinusOneReplaysAfterSetSeed) {
  layers::Dropout drop(0.5);
  Tensor x = ones({6, 6});
  random::set_seed(11);
  std::vector<float> first = TrainingOutput(drop, x);
  random::set_seed(11);
  EXPECT_EQ(TrainingOutput(drop, x), first);
}

}  // namespace
}  // namespace duet
