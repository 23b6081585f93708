// Bad-input catalogue, shape family (reshape, transpose, expand_dims, squeeze, concat, stack,
// slice, pad, gather, scatter_add, one_hot, broadcast_to): wrong rank, axis, sizes, overflow,
// out-of-range indices, undefined inputs. Each names the op and this file's line.
#include <limits>

#include "tests/bad_input/bad_input.h"

namespace duet {
namespace {

constexpr int64_t kBig = int64_t{1} << 40;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
Tensor X() { return constant({{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}}); }  // float32 (2, 3)

TEST(BadInputShape, Reshape) {
  EXPECT_BAD_INPUT(reshape(X(), {4}), "[reshape]", "(2, 3)", "(4,)");
  EXPECT_BAD_INPUT(reshape(X(), {-1, -1}), "[reshape]", "only one dim");
  EXPECT_BAD_INPUT(reshape(X(), {-2, 3}), "[reshape]", "invalid dim -2");
  EXPECT_BAD_INPUT(reshape(X(), {4, -1}), "[reshape]", "(2, 3)");
  EXPECT_BAD_INPUT(reshape(zeros({0, 3}), {0, -1}), "[reshape]", "cannot infer");
  EXPECT_BAD_INPUT(reshape(zeros({0}), {kBig, kBig, 0, kBig, kBig, -1}), "[reshape]");
  EXPECT_BAD_INPUT(reshape(zeros({0}), {int64_t{1} << 62, 4}), "[reshape]", "overflows int64");
  EXPECT_BAD_INPUT(reshape(Tensor(), {1}), "[reshape]", "undefined");
}

TEST(BadInputShape, TransposeExpandSqueeze) {
  EXPECT_BAD_INPUT(transpose(X(), {0, 0}), "[transpose]", "(2, 3)");
  EXPECT_BAD_INPUT(transpose(X(), {0, 1, 2}), "[transpose]", "(2, 3)");
  EXPECT_BAD_INPUT(transpose(X(), {0, 5}), "[transpose]");
  EXPECT_BAD_INPUT(expand_dims(X(), 4), "[expand_dims]", "out of range");
  EXPECT_BAD_INPUT(expand_dims(X(), -4), "[expand_dims]", "out of range");
  EXPECT_BAD_INPUT(squeeze(X(), {0}), "[squeeze]", "not 1");
  EXPECT_BAD_INPUT(squeeze(X(), {7}), "[squeeze]", "out of range");
  EXPECT_BAD_INPUT(transpose(Tensor()), "[transpose]", "undefined");
}

TEST(BadInputShape, ConcatStack) {
  EXPECT_BAD_INPUT(concat({X(), zeros({2, 4, 1})}, 0), "[concat]", "(2, 4, 1)");
  EXPECT_BAD_INPUT(concat({X(), zeros({3, 4})}, 1), "[concat]", "(3, 4)");
  EXPECT_BAD_INPUT(concat({X(), X()}, 2), "[concat]", "axis 2");
  EXPECT_BAD_INPUT(concat({constant(1.f), constant(2.f)}, 0), "[concat]", "scalars");
  EXPECT_BAD_INPUT(concat({X(), constant({{1, 2, 3}})}, 0), "[concat]", "int32");
  EXPECT_BAD_INPUT(concat({}, 0), "[concat]");
  Tensor wide = zeros({0, int64_t{1} << 62});
  EXPECT_BAD_INPUT(concat({wide, wide}, 1), "[concat]", "past int64");
  EXPECT_BAD_INPUT(stack({X(), zeros({3, 2})}, 0), "[stack]", "(3, 2)");
  EXPECT_BAD_INPUT(stack({X(), X()}, 3), "[stack]", "out of range");
  EXPECT_BAD_INPUT(stack({X(), Tensor()}, 0), "[stack]", "undefined");
}

TEST(BadInputShape, SlicePad) {
  EXPECT_BAD_INPUT(slice(X(), {0}, {1}), "[slice]", "one per dim");
  EXPECT_BAD_INPUT(slice(X(), {0, 2}, {1, 2}), "[slice]", "out of range");
  EXPECT_BAD_INPUT(slice(X(), {-1, 0}, {1, 1}), "[slice]", "out of range");
  EXPECT_BAD_INPUT(slice(X(), {0, 0}, {1, -2}), "[slice]", "out of range");
  EXPECT_BAD_INPUT(slice(X(), {1, 1}, {1, kMax}), "[slice]", "out of range");
  EXPECT_BAD_INPUT(slice(X(), {kMax, 0}, {1, 1}), "[slice]", "out of range");
  EXPECT_BAD_INPUT(pad(X(), {1, 1}), "[pad]", "must have 4");
  EXPECT_BAD_INPUT(pad(X(), {0, 0, -1, 0}), "[pad]", ">= 0");
  EXPECT_BAD_INPUT(pad(X(), {kMax, kMax, 0, 0}), "[pad]", "overflow");
  EXPECT_BAD_INPUT(pad(X(), {0, 0, kMax - 1, 0}), "[pad]", "overflow");
  EXPECT_BAD_INPUT(pad(X(), {kBig, kBig, 0, 0}), "[pad]", "tensor limit");
}

TEST(BadInputShape, GatherScatterOneHot) {
  EXPECT_BAD_INPUT(gather(X(), constant({0, 2})), "[gather]", "2");
  EXPECT_BAD_INPUT(gather(X(), constant({-1})), "[gather]", "-1");
  EXPECT_BAD_INPUT(gather(X(), constant({0}), 2), "[gather]", "axis");
  EXPECT_BAD_INPUT(gather(X(), constant({0.f})), "[gather]", "float32");
  EXPECT_BAD_INPUT(gather(X(), Tensor()), "[gather]", "undefined");
  EXPECT_BAD_INPUT(scatter_add(X(), constant({0, 5}), 0, 3), "[scatter_add]", "5");
  EXPECT_BAD_INPUT(scatter_add(X(), constant({0, 1}), 0, -1), "[scatter_add]");
  EXPECT_BAD_INPUT(one_hot(constant({0.f}), 3), "[one_hot]", "float32");
  EXPECT_BAD_INPUT(one_hot(constant({0}), -1), "[one_hot]", "depth");
  Tensor idx = broadcast_to(constant({{0}, {1}}), {2, 1 << 20});
  EXPECT_BAD_INPUT(one_hot(idx, 1 << 30), "[one_hot]", "tensor limit");
  EXPECT_EQ(one_hot(constant({5, -1}), 3).to_vector<float>(),
            std::vector<float>(6, 0.f));  // TF: zeros
}

TEST(BadInputShape, BroadcastTo) {
  EXPECT_BAD_INPUT(broadcast_to(X(), {3, 3}), "[broadcast_to]", "(2, 3)", "(3, 3)");
  EXPECT_BAD_INPUT(broadcast_to(X(), {3}), "[broadcast_to]", "(3,)");
  EXPECT_BAD_INPUT(broadcast_to(X(), {2, -1}), "[broadcast_to]");
  EXPECT_BAD_INPUT(broadcast_to(constant(1.f), {kBig, kBig}), "[broadcast_to]", "overflows int64");
  EXPECT_BAD_INPUT(broadcast_to(constant(1.f), {kBig}), "[broadcast_to]", "tensor limit");
  EXPECT_BAD_INPUT(broadcast_to(Tensor(), {1}), "[broadcast_to]", "undefined");
}

TEST(BadInputShape, Factories) {
  EXPECT_BAD_INPUT(zeros({2, -3}), "[zeros]", "negative");
  EXPECT_BAD_INPUT(ones({kBig, kBig}), "[ones]", "overflows int64");
  EXPECT_BAD_INPUT(fill({kBig}, 1.0, DType::kFloat64), "[fill]", "tensor limit");
  EXPECT_BAD_INPUT(fill({2}, 1.5, DType::kInt32), "[fill]", "1.5");
  EXPECT_BAD_INPUT(constant(std::vector<float>{1.f, 2.f}, Shape{3}), "[constant]", "(3,)");
  EXPECT_BAD_INPUT(constant(std::vector<float>{1.f}, Shape{kBig, kBig}), "[constant]");
  EXPECT_BAD_INPUT(constant({{1, 2}, {3}}), "[constant]", "ragged");
}

}  // namespace
}  // namespace duet
