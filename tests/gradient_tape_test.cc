// GradientTape semantics beyond the guide: persistence, watching, sources, seeds, dtypes.
#include <thread>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

TEST(Tape, NonPersistentTapeComputesOneGradient) {
  Tensor x = constant(3.f);
  GradientTape tape;
  tape.watch(x);
  Tensor y = x * x;
  EXPECT_EQ(tape.gradient(y, x).item<float>(), 6.f);
  EXPECT_ERROR(tape.gradient(y, x),
               "[gradient] a non-persistent GradientTape computes one gradient");
}

TEST(Tape, PersistentTapeComputesMany) {
  Tensor x = constant(3.f);
  GradientTape tape({.persistent = true});
  tape.watch(x);
  Tensor y = x * x, z = y * y;
  EXPECT_EQ(tape.gradient(z, x).item<float>(), 108.f);  // 4 x^3
  EXPECT_EQ(tape.gradient(y, x).item<float>(), 6.f);
}

TEST(Tape, StopRecordingEndsTheRecord) {
  Tensor x = constant(2.f);
  GradientTape tape({.persistent = true});
  tape.watch(x);
  Tensor y = x * x;
  tape.stop_recording();
  Tensor z = y * x;  // not recorded
  EXPECT_EQ(tape.gradient(y, x).item<float>(), 4.f);
  EXPECT_FALSE(tape.gradient(z, x).defined() && tape.gradient(z, x).item<float>() == 12.f);
}

TEST(Tape, UnreachedSourceIsUndefinedAndSeveralSourcesWork) {
  Tensor x = constant(2.f), y = constant(5.f);
  GradientTape tape;
  tape.watch(x);
  tape.watch(y);
  Tensor z = x * 3.f;
  std::vector<Tensor> g = tape.gradient(z, {x, y});
  EXPECT_EQ(g[0].item<float>(), 3.f);
  EXPECT_FALSE(g[1].defined());
}

TEST(Tape, VariablesAreWatchedAutomaticallyUnlessDisabled) {
  Variable v(constant(2.f));
  {
    GradientTape tape;
    Tensor y = v * v;
    EXPECT_EQ(tape.gradient(y, v).item<float>(), 4.f);
  }
  {
    GradientTape tape({.watch_accessed_variables = false});
    Tensor y = v * v;
    EXPECT_FALSE(tape.gradient(y, v).defined());
  }
  {
    GradientTape tape({.watch_accessed_variables = false});
    tape.watch(v);
    Tensor y = v * v;
    EXPECT_EQ(tape.gradient(y, v).item<float>(), 4.f);
  }
}

TEST(Tape, OutputGradientsSeed) {
  Tensor x = constant({1.f, 2.f});
  GradientTape tape;
  tape.watch(x);
  Tensor y = x * x;
  std::vector<Tensor> g = tape.gradient(y, {x}, constant({10.f, 100.f}));
  EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{20.f, 400.f}));
}

TEST(Tape, BroadcastGradientsSumBack) {
  Tensor x = constant({{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}}), b = constant({1.f, 1.f, 1.f});
  GradientTape tape;
  tape.watch(b);
  Tensor y = reduce_sum(x * b);
  EXPECT_EQ(tape.gradient(y, b).to_vector<float>(), (std::vector<float>{5.f, 7.f, 9.f}));
}

TEST(Tape, IntegersAreNotDifferentiableAndSaySo) {
  Tensor i = constant({1, 2});
  GradientTape tape;
  try {
    tape.watch(i);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("int32"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("differentiable"), std::string::npos) << e.what();
  }
  Tensor x = constant(1.f);
  tape.watch(x);
  Tensor y = x * 2.f;
  EXPECT_ERROR(tape.gradient(y, std::vector<GradSource>{i}), "[gradient] source");
}

TEST(Tape, StopGradientBlocks) {
  Tensor x = constant(3.f);
  GradientTape tape;
  tape.watch(x);
  Tensor y = x * stop_gradient(x);
  EXPECT_EQ(tape.gradient(y, x).item<float>(), 3.f);
}

TEST(Tape, CustomGradientWithSeveralInputsAndAnUndefinedRule) {
  auto f = custom_gradient([](Tensor a, Tensor b) {
    Tensor y = a * b;
    return std::make_pair(y, [](Tensor dy) { return std::vector<Tensor>{dy * 10.f, Tensor()}; });
  });
  Tensor a = constant(2.f), b = constant(3.f);
  GradientTape tape;
  tape.watch(a);
  tape.watch(b);
  Tensor y = f(a, b);
  EXPECT_EQ(y.item<float>(), 6.f);
  std::vector<Tensor> g = tape.gradient(y, {a, b});
  EXPECT_EQ(g[0].item<float>(), 10.f);
  EXPECT_FALSE(g[1].defined());
}

TEST(Tape, ValueAndGradientsFunction) {
  auto vg = value_and_gradients_function([](Tensor x, Tensor y) { return x * y; });
  auto [value, grads] = vg(constant(2.f), constant(5.f));
  EXPECT_EQ(value.item<float>(), 10.f);
  EXPECT_EQ(grads[0].item<float>(), 5.f);
  EXPECT_EQ(grads[1].item<float>(), 2.f);
  EXPECT_ERROR(gradients_function([](Tensor x) { return x * 2.f; })(constant({1.f, 2.f})),
               "[gradients_function] the function must return a scalar");
}

TEST(Tape, ClipByNormAndStopGradient) {
  Tensor g = constant({3.f, 4.f});
  EXPECT_EQ(clip_by_norm(g, 1.f).to_vector<float>(), (std::vector<float>{0.6f, 0.8f}));
  EXPECT_EQ(clip_by_norm(g, 10.f).to_vector<float>(), (std::vector<float>{3.f, 4.f}));
  EXPECT_EQ(clip_by_value(constant({-1.f, 3.f, 9.f}), 0.f, 6.f).to_vector<float>(),
            (std::vector<float>{0.f, 3.f, 6.f}));
}

TEST(Variable, HandlesShareStateAndCheckShapes) {
  Variable a(constant({1.f, 2.f}), "a");
  Variable b = a;
  b.assign(constant({5.f, 6.f}));
  EXPECT_EQ(a.value().to_vector<float>(), (std::vector<float>{5.f, 6.f}));
  a.assign_add(1.f);
  EXPECT_EQ(b.value().to_vector<float>(), (std::vector<float>{6.f, 7.f}));
  a.assign_sub(constant({1.f, 1.f}));
  EXPECT_EQ(b.value().to_vector<float>(), (std::vector<float>{5.f, 6.f}));
  a.assign(0.f);
  EXPECT_EQ(b.value().to_vector<float>(), (std::vector<float>{0.f, 0.f}));
  EXPECT_EQ(a.name(), "a");
  EXPECT_TRUE(a.trainable());
  EXPECT_ERROR(a.assign(constant({1.f, 2.f, 3.f})), "[assign]");
  EXPECT_ERROR(a.assign(constant({1, 2})), "[assign]");
  Tensor y = a * 2.f + 1.f;  // usable wherever a Tensor is
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{1.f, 1.f}));
}

TEST(Variable, ConcurrentAssignAddsAreNotLost) {
  Variable counter(constant(0.0));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        counter.assign_add(1.0);
        (void)counter.value().item<double>();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter.value().item<double>(), 2000.0);
}

}  // namespace
}  // namespace duet

namespace duet {
namespace {

// Updates are in place only when nobody else holds the value: a value read earlier never changes.
TEST(Variable, InPlaceUpdatesNeverChangeAValueSomeoneHolds) {
  Variable v(constant({1.f, 2.f}));
  v.assign_add(1.f);  // v now owns a fresh buffer
  Tensor held = v.value();
  v.assign_add_scaled(constant({10.f, 10.f}), 0.5);
  EXPECT_EQ(held.to_vector<float>(), (std::vector<float>{2.f, 3.f}));
  EXPECT_EQ(v.value().to_vector<float>(), (std::vector<float>{7.f, 8.f}));
  held = Tensor();
  const void* before = v.value().raw_data();
  v.assign_sub(constant({1.f, 1.f}));  // sole owner now: updated in place
  EXPECT_EQ(v.value().raw_data(), before);
  EXPECT_EQ(v.value().to_vector<float>(), (std::vector<float>{6.f, 7.f}));
}

}  // namespace
}  // namespace duet
