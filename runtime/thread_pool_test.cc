// ParallelFor covers every index exactly once for many n/grain/thread counts (also nested and
// from several threads at once), and config::set_num_threads is honoured and validated.
#include "runtime/thread_pool.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/num_threads.h"

namespace duet {
namespace {

// Every index of [0, n) hit exactly once, by non-empty chunks within bounds.
void ExpectCoversOnce(int64_t n, int64_t grain) {
  std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
  std::atomic<bool> bad_chunk{false};
  ParallelFor(n, grain, [&](int64_t begin, int64_t end) {
    if (begin < 0 || end > n || begin >= end) bad_chunk = true;
    for (int64_t i = begin; i < end; ++i) hits[i].fetch_add(1);
  });
  EXPECT_FALSE(bad_chunk) << "n=" << n << " grain=" << grain;
  for (int64_t i = 0; i < n; ++i)
    ASSERT_EQ(hits[i].load(), 1) << "index " << i << " n=" << n << " grain=" << grain;
}

class ThreadsScope {
 public:
  explicit ThreadsScope(int n) : old_(config::num_threads()) { config::set_num_threads(n); }
  ~ThreadsScope() { config::set_num_threads(old_); }

 private:
  int old_;
};

TEST(ParallelFor, CoversEveryIndexOnce) {
  for (int threads : {1, 2, 3, 8}) {
    ThreadsScope scope(threads);
    for (int64_t n : {0, 1, 2, 7, 64, 1000, 4097, 100000})
      for (int64_t grain : {-1, 0, 1, 3, 64, 1000, 1 << 20}) ExpectCoversOnce(n, grain);
  }
}

TEST(ParallelFor, UsesWorkersWhenAllowed) {
  ThreadsScope scope(2);
  ThreadPoolStats before = GetThreadPoolStats();
  for (int i = 0; i < 50; ++i) ExpectCoversOnce(1 << 16, 256);
  ThreadPoolStats after = GetThreadPoolStats();
  EXPECT_GE(after.parallel_jobs - before.parallel_jobs, 50);
}

TEST(ParallelFor, OneThreadRunsInlineInOneCall) {
  ThreadsScope scope(1);
  int calls = 0;
  ParallelFor(1000, 10, [&](int64_t begin, int64_t end) {
    ++calls;
    EXPECT_EQ(begin, 0);
    EXPECT_EQ(end, 1000);
  });
  EXPECT_EQ(calls, 1);
}

TEST(ParallelFor, NestedAndConcurrentCallsCoverOnce) {
  ThreadsScope scope(2);
  std::vector<std::thread> callers;
  for (int t = 0; t < 3; ++t)
    callers.emplace_back([] {
      for (int rep = 0; rep < 20; ++rep) {
        std::vector<std::atomic<int>> hits(64 * 64);
        ParallelFor(64, 4, [&](int64_t b, int64_t e) {
          for (int64_t i = b; i < e; ++i)
            ParallelFor(64, 8, [&](int64_t b2, int64_t e2) {
              for (int64_t j = b2; j < e2; ++j) hits[i * 64 + j].fetch_add(1);
            });
        });
        for (auto& h : hits) ASSERT_EQ(h.load(), 1);
      }
    });
  for (auto& c : callers) c.join();
}

TEST(NumThreads, SetIsHonouredAndValidated) {
  int old = config::num_threads();
  config::set_num_threads(3);
  EXPECT_EQ(config::num_threads(), 3);
  for (int bad : {0, -2, kMaxThreads + 1}) {
    try {
      config::set_num_threads(bad);
      ADD_FAILURE() << "set_num_threads(" << bad << ") did not throw";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("[set_num_threads] n must be in [1, 256], got " +
                                           std::to_string(bad)),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ(config::num_threads(), 3);  // a refused value changes nothing
  config::set_num_threads(old);
}

TEST(NumThreads, ParsesTheEnvironmentValue) {
  EXPECT_EQ(*ParseNumThreads("1"), 1);
  EXPECT_EQ(*ParseNumThreads("16"), 16);
  for (const char* bad : {"", "0", "-1", "2x", "300", " 2", "1.5"}) {
    absl::StatusOr<int> n = ParseNumThreads(bad);
    ASSERT_FALSE(n.ok()) << "'" << bad << "'";
    EXPECT_EQ(n.status().message(),
              std::string("[DUET_NUM_THREADS] must be an integer in [1, 256], got '") + bad + "'");
  }
}

}  // namespace
}  // namespace duet
