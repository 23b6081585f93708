// The real Fashion-MNIST from Debian's dataset-fashion-mnist (installed by ./dev): shapes,
// dtypes, the pixel range and the label histogram (the dataset is balanced: 6000 / 1000 per class).
#include <algorithm>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

void CheckSplit(const Tensor& images, const Tensor& labels, int64_t n) {
  EXPECT_EQ(images.shape(), (Shape{n, 28, 28, 1}));
  EXPECT_EQ(images.dtype(), DType::kFloat32);
  EXPECT_EQ(labels.shape(), (Shape{n}));
  EXPECT_EQ(labels.dtype(), DType::kInt32);
  const float* px = images.data<float>();
  auto [lo, hi] = std::minmax_element(px, px + images.num_elements());
  EXPECT_EQ(*lo, 0.f);
  EXPECT_EQ(*hi, 1.f);
  double mean = 0;
  for (int64_t i = 0; i < images.num_elements(); ++i) mean += px[i];
  mean /= static_cast<double>(images.num_elements());
  EXPECT_NEAR(mean, 0.286, 0.003);  // Fashion-MNIST's known pixel mean
  std::vector<int64_t> histogram(10, 0);
  for (int32_t l : labels.to_vector<int32_t>()) ++histogram.at(l);
  EXPECT_EQ(histogram, std::vector<int64_t>(10, n / 10));
}

TEST(FashionMnistTest, TrainSplit) {
  auto [images, labels] = data::fashion_mnist::load_train();
  CheckSplit(images, labels, 60000);
}

TEST(FashionMnistTest, TestSplit) {
  auto [images, labels] = data::fashion_mnist::load_test();
  CheckSplit(images, labels, 10000);
}

}  // namespace
}  // namespace duet
