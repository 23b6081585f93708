// prefetch: the same elements in the same order, and a clean shutdown of its producer thread
// when the loop finishes, breaks early, when the consumer throws, and when map throws on the
// producer thread (the exception reaches the consumer after the elements before it).
#include <atomic>
#include <stdexcept>

#include "api/data/dataset_node.h"
#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

using data::Dataset;
using data::internal::LivePrefetchThreads;

TEST(PrefetchTest, SameElementsInOrder) {
  auto ds = Dataset::range(100).shuffle(50, 3).batch(7);
  std::vector<std::vector<int64_t>> plain, ahead;
  for (const auto& b : ds) plain.push_back(b[0].to_vector<int64_t>());
  // A fresh pipeline with the same seed: prefetching must not change what comes out.
  for (const auto& b : Dataset::range(100).shuffle(50, 3).batch(7).prefetch(3))
    ahead.push_back(b[0].to_vector<int64_t>());
  EXPECT_EQ(plain, ahead);
  EXPECT_EQ(LivePrefetchThreads(), 0);
  ExpectError([] { Dataset::range(3).prefetch(0); }, "[prefetch] buffer_size must be >= 1, got 0");
}

TEST(PrefetchTest, EarlyBreakFromAnInfiniteDatasetJoinsTheThread) {
  std::atomic<int> produced{0};
  auto ds = Dataset::range(4)
                .map([&](std::vector<Tensor> e) {
                  ++produced;
                  return e;
                })
                .repeat()
                .prefetch(2);
  config::run_functions_eagerly(true);  // count every element, not every trace
  int seen = 0;
  for (const auto& e : ds) {
    EXPECT_EQ(e[0].item<int64_t>(), seen % 4);
    if (++seen == 10) break;
  }
  config::run_functions_eagerly(false);
  EXPECT_EQ(LivePrefetchThreads(), 0);
  int after = produced.load();
  EXPECT_GE(after, 10);
  EXPECT_LE(after, 10 + 2 + 1);  // bounded: the queue plus the element being made
}

TEST(PrefetchTest, ConsumerExceptionJoinsTheThread) {
  auto ds = Dataset::range(1000).prefetch(4);
  ExpectThrowWithMessage<std::logic_error>(
      [&] {
        for (const auto& e : ds) {
          if (e[0].item<int64_t>() == 3) throw std::logic_error("consumer");
        }
      },
      "consumer");
  EXPECT_EQ(LivePrefetchThreads(), 0);
}

TEST(PrefetchTest, MapExceptionOnTheProducerReachesTheConsumerInOrder) {
  auto ds = Dataset::from_tensor_slices(constant({1, 2, 0, 4}))
                .map([](std::vector<Tensor> e) -> Tensor {
                  if (e[0].item<int32_t>() == 0) return reshape(e[0], Shape{5});  // a duet::Error
                  return e[0] * 10;
                })
                .prefetch(8);
  config::run_functions_eagerly(true);
  std::vector<int32_t> got;
  ExpectError(
      [&] {
        for (const auto& e : ds) got.push_back(e[0].item<int32_t>());
      },
      "[reshape]");
  config::run_functions_eagerly(false);
  EXPECT_EQ(got, (std::vector<int32_t>{10, 20}));
  EXPECT_EQ(LivePrefetchThreads(), 0);

  // Traced: the trace itself fails on the producer thread.
  auto traced =
      Dataset::range(3)
          .map([](std::vector<Tensor> e) -> Tensor { return e[0] * e[0].item<int64_t>(); })
          .prefetch(1);
  ExpectError(
      [&] {
        for (const auto& e : traced) (void)e;
      },
      "cannot read the value of symbolic tensor");
  EXPECT_EQ(LivePrefetchThreads(), 0);
}

TEST(PrefetchTest, TracedMapRunsOnTheProducerThread) {
  int traces = 0;
  auto ds = Dataset::range(6)
                .batch(2)
                .map([&](std::vector<Tensor> e) -> Tensor {
                  ++traces;
                  return e[0] + 1;
                })
                .prefetch(2)
                .prefetch(1);
  std::vector<int64_t> got;
  for (const auto& b : ds)
    for (int64_t v : b[0].to_vector<int64_t>()) got.push_back(v);
  EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(traces, 1);
  EXPECT_EQ(LivePrefetchThreads(), 0);
}

TEST(PrefetchTest, TwoIterationsOfOneMappedDatasetAtOnce) {
  // Two producer threads call the same traced map (one compiled graph) concurrently.
  auto ds = Dataset::range(200)
                .batch(4)
                .map([](std::vector<Tensor> e) -> Tensor { return e[0] * 3 + 1; })
                .prefetch(2);
  auto a = ds.begin(), b = ds.begin();
  int64_t expected = 0;
  for (; a != ds.end() && b != ds.end(); ++a, ++b) {
    std::vector<int64_t> want;
    for (int k = 0; k < 4; ++k) want.push_back(3 * expected++ + 1);
    EXPECT_EQ(a->at(0).to_vector<int64_t>(), want);
    EXPECT_EQ(b->at(0).to_vector<int64_t>(), want);
  }
  EXPECT_EQ(expected, 200);
  EXPECT_TRUE(a == ds.end() && b == ds.end());
}

}  // namespace
}  // namespace duet
