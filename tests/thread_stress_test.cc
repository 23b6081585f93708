// Thread stress (issue 13), run under ThreadSanitizer by `./dev test --tsan` (tag "tsan"):
// eager ops from 4 threads, a tape per thread and a tape handed across threads, one function
// called from 4 threads at once including the racing first call (it must trace once), and
// concurrent assign_add on one Variable, eagerly and through a compiled function (exact sums),
// and four async queues sharing a Variable.
// Threads start together on a latch so the racy windows really overlap.
#include <latch>
#include <thread>
#include <vector>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

constexpr int kThreads = 4;

// Runs body(thread_index) on kThreads threads released at the same moment.
template <class Body>
void OnThreads(Body body) {
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      body(t);
    });
  for (auto& th : threads) th.join();
}

TEST(ThreadStress, EagerOpsFromFourThreads) {
  std::vector<float> sums(kThreads);
  OnThreads([&](int t) {
    Tensor a = constant({{1.f, 2.f}, {3.f, 4.f}}) * static_cast<float>(t + 1);
    Tensor acc = zeros({2, 2});
    for (int i = 0; i < 200; ++i) acc = acc + matmul(a, constant({{1.f, 0.f}, {0.f, 1.f}}));
    sums[t] = reduce_sum(acc).item<float>();
  });
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(sums[t], 200.f * 10.f * (t + 1)) << "thread " << t;
}

TEST(ThreadStress, ATapePerThread) {
  Variable shared(constant(2.f), "shared");  // read by every thread's tape, never written
  std::vector<float> dx(kThreads), dw(kThreads);
  OnThreads([&](int t) {
    for (int i = 0; i < 50; ++i) {
      Tensor x = constant(static_cast<float>(t + 1));
      GradientTape tape;
      tape.watch(x);
      Tensor y = x * x * shared;
      std::vector<Tensor> g = tape.gradient(y, {x, shared});
      dx[t] = g[0].item<float>();
      dw[t] = g[1].item<float>();
    }
  });
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(dx[t], 2.f * 2.f * (t + 1)) << "thread " << t;  // d(x^2 w)/dx = 2xw
    EXPECT_EQ(dw[t], static_cast<float>((t + 1) * (t + 1))) << "thread " << t;
  }
}

TEST(ThreadStress, ATapeHandedAcrossThreads) {
  for (int round = 0; round < 20; ++round) {
    Tensor x = constant(3.f);
    auto tape = std::make_unique<GradientTape>(GradientTapeOptions{.persistent = true});
    tape->watch(x);
    Tensor y = x * x;
    Tensor g1, g2;
    std::thread other([&] {
      tape->stop_recording();
      g1 = tape->gradient(y, x);
    });
    other.join();
    std::thread third([&] {
      g2 = tape->gradient(y, x);
      tape.reset();  // destroyed on a thread that did not make it
    });
    third.join();
    ASSERT_TRUE(g1.defined() && g2.defined());
    EXPECT_EQ(g1.item<float>(), 6.f);
    EXPECT_EQ(g2.item<float>(), 6.f);
    // The maker's thread records normally afterwards: no stale observer of the dead tape.
    GradientTape fresh;
    fresh.watch(x);
    EXPECT_EQ(fresh.gradient(x * x * x, x).item<float>(), 27.f);
  }
}

TEST(ThreadStress, OneFunctionFromFourThreadsTracesOnce) {
  auto f = function([](Tensor x, Tensor y) { return matmul(x, y) + 1.f; });
  std::vector<float> out(kThreads);
  OnThreads([&](int t) {
    Tensor x = constant({{static_cast<float>(t), 1.f}});
    Tensor y = constant({{2.f}, {3.f}});
    for (int i = 0; i < 50; ++i) out[t] = f(x, y).item<float>();  // the first call races
  });
  EXPECT_EQ(f.tracing_count(), 1);
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(out[t], 2.f * t + 3.f + 1.f) << "thread " << t;
}

TEST(ThreadStress, ConcurrentAssignAddEagerIsExact) {
  Variable v(constant(0), "counter");  // int32: no rounding can hide a lost update
  OnThreads([&](int) {
    for (int i = 0; i < 1000; ++i) v.assign_add(1);
  });
  EXPECT_EQ(v.value().item<int32_t>(), kThreads * 1000);
}

TEST(ThreadStress, ConcurrentAssignAddThroughAFunctionIsExact) {
  Variable v(constant(0), "counter");
  auto step = function([&](Tensor x) {
    v.assign_add(x);
    return x;
  });
  OnThreads([&](int) {
    for (int i = 0; i < 1000; ++i) step(constant(1));
  });
  EXPECT_EQ(step.tracing_count(), 1);
  EXPECT_EQ(v.value().item<int32_t>(), kThreads * 1000);
}

// Four async queues at once: each thread's ops run on its own worker, and the shared Variable's
// values hop between queues (a worker waits for another queue's pending value).
TEST(ThreadStress, AsyncQueuesFromFourThreadsShareAVariableExactly) {
  Variable v(constant(0), "counter");
  std::vector<float> sums(kThreads);
  OnThreads([&](int t) {
    ExecutionModeScope async(ExecutionMode::kAsync);
    Tensor a = constant({{1.f, 2.f}, {3.f, 4.f}}) * static_cast<float>(t + 1);
    Tensor acc = zeros({2, 2});
    for (int i = 0; i < 200; ++i) {
      acc = acc + matmul(a, constant({{1.f, 0.f}, {0.f, 1.f}}));
      v.assign_add(1);
    }
    sums[t] = reduce_sum(acc).item<float>();
    async_wait();
  });
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(sums[t], 200.f * 10.f * (t + 1)) << "thread " << t;
  EXPECT_EQ(v.value().item<int32_t>(), kThreads * 200);
}

}  // namespace
}  // namespace duet
