// Bad-input catalogue, nn family (matmul, softmax, conv2d, pools, random): wrong rank, dtype,
// mismatched inner dims or channels, bad strides/ksize/padding, axes, undefined inputs.
// Each names the op and this file's line.
#include "tests/bad_input/bad_input.h"

namespace duet {
namespace {

Tensor M() { return zeros({2, 3}); }
Tensor Img() { return zeros({1, 4, 4, 2}); }   // NHWC
Tensor Filt() { return zeros({3, 3, 2, 5}); }  // KH KW C O

TEST(BadInputNN, Matmul) {
  EXPECT_BAD_INPUT(matmul(M(), M()), "[matmul]", "(2, 3)");
  EXPECT_BAD_INPUT(matmul(zeros({3}), M()), "[matmul]", "(3,)");
  EXPECT_BAD_INPUT(matmul(M(), constant({{1, 2}, {3, 4}, {5, 6}})), "[matmul]", "int32");
  EXPECT_BAD_INPUT(matmul(constant({{true}}), constant({{true}})), "[matmul]", "bool");
  EXPECT_BAD_INPUT(matmul(zeros({2, 2, 3}), zeros({3, 3, 4})), "[matmul]", "(3, 3, 4)");
  EXPECT_BAD_INPUT(matmul(M(), zeros({3, 2}), true, false), "[matmul]", "(3, 2)");
  EXPECT_BAD_INPUT(matmul(Tensor(), M()), "[matmul]", "undefined");
}

TEST(BadInputNN, Softmax) {
  EXPECT_BAD_INPUT(softmax(M(), 2), "[softmax]", "axis 2");
  EXPECT_BAD_INPUT(log_softmax(M(), -3), "[log_softmax]", "axis -3");
  EXPECT_BAD_INPUT(softmax(constant({1, 2})), "[softmax]", "int32");
  EXPECT_BAD_INPUT(softmax(Tensor()), "[softmax]", "undefined");
}

TEST(BadInputNN, Conv2D) {
  EXPECT_BAD_INPUT(conv2d(zeros({4, 4, 2}), Filt(), {1, 1}, "SAME"), "[conv2d]", "rank 4",
                   "(4, 4, 2)");
  EXPECT_BAD_INPUT(conv2d(Img(), zeros({3, 3, 3, 5}), {1, 1}, "SAME"), "[conv2d]", "(3, 3, 3, 5)");
  EXPECT_BAD_INPUT(conv2d(Img(), Filt(), {0, 1}, "SAME"), "[conv2d]", "stride");
  EXPECT_BAD_INPUT(conv2d(Img(), Filt(), {1, 1}, "FULL"), "[conv2d]", "FULL");
  EXPECT_BAD_INPUT(conv2d(Img(), zeros({5, 5, 2, 1}), {1, 1}, "VALID"), "[conv2d]");
  EXPECT_BAD_INPUT(conv2d(Img(), Filt(), {1, 1}, "SAME", {0, 1}), "[conv2d]", "dilation");
  EXPECT_BAD_INPUT(conv2d(cast(Img(), DType::kInt32), cast(Filt(), DType::kInt32), {1, 1}, "SAME"),
                   "[conv2d]", "int32");
  EXPECT_BAD_INPUT(conv2d(Img(), Tensor(), {1, 1}, "SAME"), "[conv2d]", "undefined");
}

TEST(BadInputNN, Pools) {
  EXPECT_BAD_INPUT(max_pool2d(zeros({4, 4}), {2, 2}, {2, 2}, "VALID"), "[max_pool2d]", "(4, 4)");
  EXPECT_BAD_INPUT(max_pool2d(Img(), {0, 2}, {2, 2}, "VALID"), "[max_pool2d]");
  EXPECT_BAD_INPUT(avg_pool2d(Img(), {2, 2}, {-1, 2}, "VALID"), "[avg_pool2d]", "stride");
  EXPECT_BAD_INPUT(avg_pool2d(Img(), {2, 2}, {2, 2}, "same"), "[avg_pool2d]", "same");
  EXPECT_BAD_INPUT(max_pool2d(Img(), {5, 5}, {1, 1}, "VALID"), "[max_pool2d]");
  EXPECT_BAD_INPUT(max_pool2d(Tensor(), {2, 2}, {2, 2}, "VALID"), "[max_pool2d]", "undefined");
}

TEST(BadInputNN, Random) {
  EXPECT_BAD_INPUT(random::normal({2, -1}), "[random_normal]");
  EXPECT_BAD_INPUT(random::uniform({2}, 0.f, 1.f, -1, DType::kInt32), "[random_uniform]", "int32");
  EXPECT_BAD_INPUT(random::uniform({int64_t{1} << 40, int64_t{1} << 40}), "[random_uniform]",
                   "overflows int64");
  EXPECT_BAD_INPUT(random::normal({int64_t{1} << 40}), "[random_normal]", "tensor limit");
}

}  // namespace
}  // namespace duet
