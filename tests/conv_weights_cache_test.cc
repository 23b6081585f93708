// oneDNN's reordered conv weights are cached per weights version: reused while the filters are
// unchanged, and refreshed when a Variable is updated in place (same buffer, same address) or
// assigned, so convolutions and their input gradients always see the current filters. A stale
// cache would return the first results again; float64 (plain loops, no cache) is the reference.
#include "api/duet.h"
#include "gtest/gtest.h"
#include "kernels/cpu/dnnl_weights_cache.h"

namespace duet {
namespace {

void ExpectNear(const Tensor& got32, const Tensor& want64, double tol = 1e-4) {
  std::vector<double> got = cast(got32, DType::kFloat64).to_vector<double>(),
                      want = want64.to_vector<double>();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_NEAR(got[i], want[i], tol) << "element " << i;
}

Tensor Conv(const Tensor& x, const Tensor& k) { return conv2d(x, k, {1, 1}, "SAME"); }
Tensor Conv64(const Tensor& x, const Tensor& k) {
  return Conv(cast(x, DType::kFloat64), cast(k, DType::kFloat64));
}

// d(sum(conv(x, k) * seed))/dx: runs conv2d_backprop_input with the filters k.
Tensor InputGrad(const Tensor& x, const Tensor& k, const Tensor& seed) {
  GradientTape tape;
  tape.watch(x);
  Tensor y = reduce_sum(Conv(x, k) * seed);
  return tape.gradient(y, x);
}

class ConvWeightsCache : public ::testing::Test {
 protected:
  Tensor x = random::normal({2, 8, 8, 16}, 0.f, 1.f, 11);
  Tensor seed = random::normal({2, 8, 8, 16}, 0.f, 1.f, 12);
  Variable k{random::normal({3, 3, 16, 16}, 0.f, 0.3f, 13), "k"};
};

TEST_F(ConvWeightsCache, ReusedWhileTheFiltersAreUnchanged) {
  Conv(x, k);  // creates the primitive and (if oneDNN blocks the weights) one reorder
  int64_t before = cpu::WeightReordersRun();
  for (int i = 0; i < 3; ++i) ExpectNear(Conv(x, k), Conv64(x, k));
  EXPECT_EQ(cpu::WeightReordersRun(), before);
}

TEST_F(ConvWeightsCache, InPlaceUpdateInvalidates) {
  ExpectNear(Conv(x, k), Conv64(x, k));
  ExpectNear(InputGrad(x, k, seed), InputGrad(cast(x, DType::kFloat64), cast(k, DType::kFloat64),
                                              cast(seed, DType::kFloat64)));
  const TensorImpl* buffer = k.value().impl();
  for (int step = 0; step < 3; ++step) {
    k.assign_add(random::normal({3, 3, 16, 16}, 0.f, 1.f, 20 + step));
    ASSERT_EQ(k.value().impl(), buffer) << "the update was meant to be in place (same buffer)";
    ExpectNear(Conv(x, k), Conv64(x, k));
    ExpectNear(InputGrad(x, k, seed), InputGrad(cast(x, DType::kFloat64), cast(k, DType::kFloat64),
                                                cast(seed, DType::kFloat64)));
  }
}

TEST_F(ConvWeightsCache, AssignInvalidates) {
  ExpectNear(Conv(x, k), Conv64(x, k));
  for (int step = 0; step < 3; ++step) {
    k.assign(random::normal({3, 3, 16, 16}, 0.f, 1.f, 30 + step));
    ExpectNear(Conv(x, k), Conv64(x, k));
  }
}

TEST_F(ConvWeightsCache, ReusedAddressGetsANewVersion) {
  // Filters freed and reallocated (the allocator hands the same block back) are new contents.
  for (int step = 0; step < 4; ++step) {
    Tensor f = random::normal({3, 3, 16, 16}, 0.f, 1.f, 40 + step);
    ExpectNear(Conv(x, f), Conv64(x, f));
  }
}

}  // namespace
}  // namespace duet
