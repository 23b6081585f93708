// The kernels duet runs on its pool (reductions, softmax, and oneDNN convolutions and pools
// split over the batch) give the one-thread results with two threads, on tensors large enough
// to be split: reductions and softmax bit for bit (their chunking does not depend on the thread
// count), batch-split oneDNN calls within float32 rounding (smaller primitives may sum in
// another order). Also checks the pool actually ran chunks on a worker.
#include <functional>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "runtime/thread_pool.h"

namespace duet {
namespace {

std::vector<Tensor> WithThreads(int n, const std::function<std::vector<Tensor>()>& fn) {
  int old = config::num_threads();
  config::set_num_threads(n);
  std::vector<Tensor> out = fn();
  config::set_num_threads(old);
  return out;
}

void ExpectSame(const std::vector<Tensor>& a, const std::vector<Tensor>& b, double tol) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t t = 0; t < a.size(); ++t) {
    std::vector<double> x = cast(a[t], DType::kFloat64).to_vector<double>();
    std::vector<double> y = cast(b[t], DType::kFloat64).to_vector<double>();
    ASSERT_EQ(x.size(), y.size()) << "output " << t;
    for (size_t i = 0; i < x.size(); ++i) {
      if (tol == 0)
        ASSERT_EQ(x[i], y[i]) << "output " << t << " element " << i;
      else
        ASSERT_NEAR(x[i], y[i], tol * (1 + std::abs(x[i]))) << "output " << t << " element " << i;
    }
  }
}

void ExpectTwoThreadsMatchOne(const std::function<std::vector<Tensor>()>& fn, double tol) {
  std::vector<Tensor> one = WithThreads(1, fn);
  ThreadPoolStats before = GetThreadPoolStats();
  std::vector<Tensor> two = WithThreads(2, fn);
  EXPECT_GT(GetThreadPoolStats().parallel_jobs, before.parallel_jobs) << "nothing ran on the pool";
  ExpectSame(one, two, tol);
}

TEST(Threads, ReductionsMatchBitForBit) {
  Tensor x = random::normal({300, 1000}, 0.f, 1.f, 1);
  Tensor xd = cast(x, DType::kFloat64);
  ExpectTwoThreadsMatchOne(
      [&] {
        return std::vector<Tensor>{reduce_sum(x),      reduce_sum(xd),      reduce_mean(x, {0}),
                                   reduce_max(x, {1}), reduce_min(xd, {0}), reduce_sum(x, {1})};
      },
      0);
}

TEST(Threads, SoftmaxMatchesBitForBit) {
  Tensor x = random::normal({256, 300}, 0.f, 3.f, 2);
  Tensor strided = random::normal({64, 50, 40}, 0.f, 3.f, 3);
  ExpectTwoThreadsMatchOne(
      [&] {
        return std::vector<Tensor>{softmax(cast(x, DType::kFloat64)), log_softmax(strided, 1)};
      },
      0);
}

TEST(Threads, ConvAndPoolForwardAndGradientsMatch) {
  Tensor x = random::normal({32, 20, 20, 16}, 0.f, 1.f, 4);
  Tensor k = random::normal({3, 3, 16, 16}, 0.f, 0.2f, 5);
  ExpectTwoThreadsMatchOne(
      [&] {
        GradientTape tape;
        tape.watch(x);
        tape.watch(k);
        Tensor h = conv2d(x, k, {1, 1}, "SAME");
        // The pools read x itself: a rounding difference in h could move a max pool's argmax.
        Tensor y = reduce_sum(h * x) + reduce_sum(max_pool2d(x, {2, 2}, {2, 2}, "VALID") * 2.f) +
                   reduce_sum(avg_pool2d(x, {3, 3}, {1, 1}, "SAME"));
        std::vector<Tensor> g = tape.gradient(y, std::vector<GradSource>{x, k});
        return std::vector<Tensor>{h, y, g[0], g[1]};
      },
      1e-4);
}

}  // namespace
}  // namespace duet
