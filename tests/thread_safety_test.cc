// Threads: tapes used, stopped or destroyed on another thread than their creator (each crashed
// or was a use-after-free before), and variable updates from several threads, eager and
// through a compiled function, that must never lose an update or expose a half-written value.
// Run under ThreadSanitizer by the sanitizer CI job (./dev test --tsan).
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

template <class Fn>
void OnOtherThread(Fn fn) {
  std::thread t(fn);
  t.join();
}

// Ops on this thread still run and are not sent to a dead tape.
void ExpectThisThreadHealthy(const Variable& w) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ((w * 2.f).item<float>(), 6.f);
  GradientTape tape;
  Tensor y = w * w;
  EXPECT_EQ(tape.gradient(y, w).item<float>(), 6.f);
}

TEST(TapeAcrossThreads, GradientOnAnotherThread) {
  Variable w(constant(3.f), "w");
  auto tape = std::make_unique<GradientTape>();
  Tensor y = w * w;
  Tensor g;
  OnOtherThread([&] { g = tape->gradient(y, w); });
  EXPECT_EQ(g.item<float>(), 6.f);
  ExpectThisThreadHealthy(w);
  tape.reset();
  ExpectThisThreadHealthy(w);
}

TEST(TapeAcrossThreads, StopRecordingAndDestroyOnAnotherThread) {
  Variable w(constant(3.f), "w");
  auto tape = std::make_unique<GradientTape>(GradientTapeOptions{.persistent = true});
  Tensor y = w * w;
  OnOtherThread([&] { tape->stop_recording(); });
  Tensor after = w * 5.f;  // not recorded: the tape stopped
  EXPECT_FALSE(tape->gradient(after, w).defined());
  EXPECT_EQ(tape->gradient(y, w).item<float>(), 6.f);
  OnOtherThread([&] { tape.reset(); });
  ExpectThisThreadHealthy(w);

  auto recording = std::make_unique<GradientTape>();  // destroyed while still recording
  Tensor z = w * w;
  OnOtherThread([&] { recording.reset(); });
  ExpectThisThreadHealthy(w);
}

TEST(TapeAcrossThreads, TapeOutlivesTheThreadThatMadeIt) {
  Variable w(constant(3.f), "w");
  std::unique_ptr<GradientTape> tape;
  Tensor y;
  OnOtherThread([&] {
    tape = std::make_unique<GradientTape>();
    y = w * w;
  });
  EXPECT_EQ(tape->gradient(y, w).item<float>(), 6.f);
  tape.reset();
  ExpectThisThreadHealthy(w);
}

TEST(TapeAcrossThreads, TapesPerThread) {
  std::vector<std::thread> threads;
  std::vector<float> grads(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      Variable w(constant(static_cast<float>(t)), "w");
      for (int i = 0; i < 50; ++i) {
        GradientTape tape;
        Tensor y = w * w;
        grads[t] = tape.gradient(y, w).item<float>();
      }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(grads[t], 2.f * t);
}

constexpr int kThreads = 4, kUpdates = 300;

TEST(ConcurrentUpdates, EagerAssignAddLosesNothing) {
  Variable v(zeros({16}), "counter");
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kUpdates; ++i) v.assign_add(ones({16}));
    });
  for (auto& th : threads) th.join();
  for (float x : v.value().to_vector<float>()) EXPECT_EQ(x, kThreads * kUpdates);
}

TEST(ConcurrentUpdates, CompiledAssignAddLosesNothing) {
  Variable v(zeros({16}), "counter");
  Variable n(constant(0), "calls");
  auto step = function([&](Tensor delta) {
    v.assign_add(delta);
    n.assign_add(1);
    return delta;
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kUpdates; ++i) {
        if (t % 2)
          step(ones({16}));  // the first calls race to trace
        else
          v.assign_add(ones({16}));  // eager updates interleave with compiled ones
      }
    });
  for (auto& th : threads) th.join();
  for (float x : v.value().to_vector<float>()) EXPECT_EQ(x, kThreads * kUpdates);
  EXPECT_EQ(n.value().item<int32_t>(), kThreads / 2 * kUpdates);
  EXPECT_EQ(step.tracing_count(), 1);
}

TEST(ConcurrentUpdates, ReadersNeverSeeAnUpdateInPlace) {
  Variable v(zeros({4096}), "weights");
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      while (!done.load()) {
        Tensor snapshot = v.value();  // a held value must never change under the reader
        float first = snapshot.data<float>()[0];
        for (float x : snapshot.to_vector<float>()) torn += x != first;
      }
    });
  for (int i = 0; i < 2000; ++i) v.assign_add_scaled(ones({4096}), 1.0);  // in place when unshared
  done = true;
  for (auto& th : readers) th.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(v.value().to_vector<float>()[4095], 2000.f);
}

}  // namespace
}  // namespace duet
