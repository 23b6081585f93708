// Bad-input catalogue, reduce family (reduce_sum/mean/max/min, argmax): axes out of range or
// repeated, wrong dtypes, empty inputs, undefined inputs. Each names the op and this line.
#include "tests/bad_input/bad_input.h"

namespace duet {
namespace {

Tensor X() { return constant({{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}}); }  // float32 (2, 3)

TEST(BadInputReduce, Axis) {
  EXPECT_BAD_INPUT(reduce_sum(X(), {2}), "[reduce_sum]", "axis 2", "(2, 3)");
  EXPECT_BAD_INPUT(reduce_mean(X(), {-3}), "[reduce_mean]", "axis -3");
  EXPECT_BAD_INPUT(reduce_max(X(), {0, 0}), "[reduce_max]", "0");
  EXPECT_BAD_INPUT(reduce_min(X(), {1, -1}), "[reduce_min]");
  EXPECT_BAD_INPUT(reduce_sum(constant(1.f), {0}), "[reduce_sum]", "axis 0");
  EXPECT_BAD_INPUT(argmax(X(), 2), "[argmax]", "axis 2");
  EXPECT_BAD_INPUT(argmax(constant(1.f), 0), "[argmax]");
  EXPECT_BAD_INPUT(reduce_sum(X(), {1 << 30}), "[reduce_sum]", "1073741824");
}

TEST(BadInputReduce, DType) {
  EXPECT_BAD_INPUT(reduce_sum(constant({true, false})), "[reduce_sum]", "bool");
  EXPECT_BAD_INPUT(reduce_mean(constant({true})), "[reduce_mean]", "bool");
  EXPECT_BAD_INPUT(argmax(constant({true, false}), 0), "[argmax]", "bool");
}

TEST(BadInputReduce, EmptyAndUndefined) {
  EXPECT_BAD_INPUT(argmax(zeros({0, 3}), 0), "[argmax]", "(0, 3)");
  EXPECT_BAD_INPUT(reduce_sum(Tensor()), "[reduce_sum]", "undefined");
  EXPECT_BAD_INPUT(reduce_max(Tensor(), {0}), "[reduce_max]", "undefined");
  EXPECT_BAD_INPUT(argmax(Tensor(), 0), "[argmax]", "undefined");
  EXPECT_EQ(reduce_sum(zeros({0, 3})).item<float>(), 0.f);  // empty sums are fine
}

}  // namespace
}  // namespace duet
