// The compiler's debugging tools (issue 9) against a deliberately wrong pass
// (//compiler:test_miscompile turns mul into add): config::check_functions_against_eager names
// the first op that differs, its line and the pass; without it the wrong result goes unnoticed;
// DUET_BISECT's rewrite budget finds the one rewrite that breaks the function.
#include <string>

#include "api/duet.h"
#include "compiler/compile.h"
#include "compiler/rewrite_budget.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

// Adds the wrong pass to the pipeline and the check for one test.
class Miscompiled : public ::testing::Test {
 protected:
  void SetUp() override { compiler::SetExtraPassesForTesting({"test-miscompile-mul"}); }
  void TearDown() override {
    compiler::SetExtraPassesForTesting({});
    config::check_functions_against_eager(false);
    compiler::SetRewriteBudget(-1);
  }
};

TEST(CheckAgainstEager, ACorrectFunctionRunsOnceAndUpdatesVariablesOnce) {
  config::check_functions_against_eager(true);
  Variable w(constant({1.f, 1.f}), "w");
  auto f = function([&](Tensor x) {
    w.assign_add(x);
    return tanh(x * 2.f) + w;
  });
  Tensor x = constant({0.5f, -1.f});
  std::vector<float> got = f(x).to_vector<float>();
  config::check_functions_against_eager(false);
  EXPECT_EQ(w.value().to_vector<float>(), (std::vector<float>{1.5f, 0.f}));  // once, not twice
  EXPECT_NEAR(got[0], std::tanh(1.f) + 1.5f, 1e-5);
}

TEST_F(Miscompiled, WithoutTheCheckTheWrongResultGoesUnnoticed) {
  auto f = function([](Tensor x, Tensor y) { return x * y; });
  EXPECT_EQ(f(constant({2.f, 3.f}), constant({4.f, 5.f})).to_vector<float>(),
            (std::vector<float>{6.f, 8.f}));  // 2 + 4, 3 + 5: the pass's bug
}

TEST_F(Miscompiled, TheCheckNamesTheOpItsLineAndThePassAndRestoresVariables) {
  config::check_functions_against_eager(true);
  Variable w(constant({1.f, 1.f}), "w");
  const int line = __LINE__ + 3;
  auto f = function([&](Tensor x, Tensor y) {
    Tensor s = x + y;
    Tensor p = s * y;  // the op the pass breaks
    w.assign(p);
    return p - 1.f;
  });
  const std::string where = "check_against_eager_test.cc:" + std::to_string(line);
  auto call = [&] { f(constant({2.f, 3.f}), constant({4.f, 5.f})); };
  ExpectError(call,
              "[check_functions_against_eager] function 'function': output 0 float32(2,) "
              "differs from eager at element 0: compiled 9, eager 23");
  ExpectError(call, "The first op whose value differs is mul at tests/" + where);
  ExpectError(call, "The pass 'test-miscompile-mul' makes it differ");
  EXPECT_EQ(w.value().to_vector<float>(), (std::vector<float>{1.f, 1.f}));  // restored
}

TEST_F(Miscompiled, TheRewriteBudgetStopsBeforeTheBadRewrite) {
  auto run = [](int64_t budget) {
    compiler::SetRewriteBudget(budget);
    auto f = function([](Tensor x, Tensor y) { return (x + y) * y; });
    return f(constant({2.f}), constant({4.f})).item<float>();
  };
  testing::internal::CaptureStderr();
  EXPECT_EQ(run(1000), 10.f);  // every rewrite: wrong ((2 + 4) + 4)
  const std::string log = testing::internal::GetCapturedStderr();
  // "duet: bisect: rewrite #K by test-miscompile-mul: duet.mul at ..." names the bad one.
  const std::string marker = " by test-miscompile-mul: duet.mul at";
  const size_t at = log.find(marker);
  ASSERT_NE(at, std::string::npos) << log;
  const size_t hash = log.rfind('#', at);
  const int64_t bad = std::stoll(log.substr(hash + 1, at - hash - 1));
  ASSERT_GE(compiler::RewritesCounted(), bad);
  EXPECT_EQ(run(bad - 1), 24.f);  // every rewrite before it: right
  EXPECT_EQ(run(bad), 10.f);      // and with it: wrong
  testing::internal::CaptureStderr();
  EXPECT_EQ(run(0), 24.f);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("duet: bisect: skipped #"),
            std::string::npos);
}

}  // namespace
}  // namespace duet
