// Focused tests of the shape ops' public functions: API.md's spellings (braced lists, default
// arguments, negative axes), zero-copy views, every dtype, and user-facing error messages.
#include <numeric>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

using I32 = std::vector<int32_t>;

Tensor Iota(const Shape& shape) {
  std::vector<int32_t> v(shape.num_elements());
  std::iota(v.begin(), v.end(), 0);
  return constant(v, shape);
}

TEST(Reshape, InfersMinusOneAndSharesMemory) {
  Tensor x = constant({{1, 2, 3}, {4, 5, 6}});
  Tensor y = reshape(x, {-1, 2});
  EXPECT_EQ(y.shape(), (Shape{3, 2}));
  EXPECT_EQ(y.to_vector<int32_t>(), (I32{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(y.raw_data(), x.raw_data());
  EXPECT_EQ(reshape(x, Shape{6}).shape(), Shape{6});
  EXPECT_EQ(reshape(constant(7.f), {1, 1, 1}).shape(), (Shape{1, 1, 1}));
  ExpectError([&] { reshape(x, {4}); }, "[reshape] cannot reshape (2, 3) (6 elements) into (4,)");
  ExpectError([&] { reshape(x, {-1, -1}); }, "may be -1");
}

TEST(Reshape, ViewOutlivesItsSource) {
  Tensor y;
  {
    Tensor x = constant({1.5f, 2.5f, 3.5f, 4.5f});
    y = reshape(x, {2, 2});
  }
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{1.5f, 2.5f, 3.5f, 4.5f}));
}

TEST(Transpose, DefaultReversesDims) {
  Tensor x = constant({{1, 2, 3}, {4, 5, 6}});
  Tensor t = transpose(x);
  EXPECT_EQ(t.shape(), (Shape{3, 2}));
  EXPECT_EQ(t.to_vector<int32_t>(), (I32{1, 4, 2, 5, 3, 6}));
  Tensor r = transpose(Iota({2, 3, 4}));
  EXPECT_EQ(r.shape(), (Shape{4, 3, 2}));
  // r[i, j, k] = x[k, j, i] = k*12 + j*4 + i; r[1, 2, 1] is element 1*6 + 2*2 + 1 = 11.
  EXPECT_EQ(r.to_vector<int32_t>()[11], 1 * 12 + 2 * 4 + 1);
}

TEST(Transpose, PermutationAndLargeBlockedCase) {
  Tensor x = Iota({2, 3, 4});
  Tensor y = transpose(x, {1, 2, 0});
  EXPECT_EQ(y.shape(), (Shape{3, 4, 2}));
  EXPECT_EQ(y.to_vector<int32_t>()[0 * 8 + 1 * 2 + 1], 1 * 12 + 0 * 4 + 1);  // y[0,1,1] = x[1,0,1]
  // 70 x 45 crosses several 32 x 32 tiles with ragged edges.
  Tensor big = Iota({70, 45});
  std::vector<int32_t> got = transpose(big).to_vector<int32_t>();
  for (int i = 0; i < 45; ++i)
    for (int j = 0; j < 70; ++j) ASSERT_EQ(got[i * 70 + j], j * 45 + i) << i << "," << j;
  ExpectError(
      [&] {
        transpose(x, {0, 0, 1});
      },
      "[transpose] perm [0, 0, 1] is not a permutation of [0, 3)");
}

TEST(Transpose, EveryDTypeMovesBytesExactly) {
  Tensor b = transpose(constant({{true, false, false}, {true, true, false}}));
  EXPECT_EQ(b.dtype(), DType::kBool);
  std::vector<bool> bv = b.to_vector<bool>();
  EXPECT_EQ(bv, (std::vector<bool>{true, true, false, true, false, false}));
  Tensor h = transpose(constant({{1.f, 2.f}, {3.f, 4.f}}, DType::kFloat16));
  std::vector<Half> hv = h.to_vector<Half>();
  ASSERT_EQ(h.dtype(), DType::kFloat16);
  EXPECT_EQ(static_cast<float>(hv[1]), 3.f);
  Tensor bf =
      concat({constant({1.f}, DType::kBFloat16), constant({2.f, 3.f}, DType::kBFloat16)}, 0);
  EXPECT_EQ(static_cast<float>(bf.to_vector<BFloat16>()[2]), 3.f);
  Tensor d = transpose(constant({{1.0, 2.0}, {3.0, 4.0}}));
  EXPECT_EQ(d.to_vector<double>(), (std::vector<double>{1.0, 3.0, 2.0, 4.0}));
}

TEST(ExpandDimsSqueeze, NegativeAxesAndViews) {
  Tensor x = constant({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(expand_dims(x, 0).shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(expand_dims(x, -1).shape(), (Shape{2, 3, 1}));
  EXPECT_EQ(expand_dims(x, -3).shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(expand_dims(x, 1).raw_data(), x.raw_data());
  ExpectError([&] { expand_dims(x, 3); },
              "[expand_dims] axis 3 is out of range [-3, 2] for shape (2, 3)");

  Tensor y = reshape(x, {1, 2, 1, 3});
  EXPECT_EQ(squeeze(y).shape(), (Shape{2, 3}));
  EXPECT_EQ(squeeze(y, {-2}).shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(squeeze(y, {0, 2}).to_vector<int32_t>(), (I32{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(squeeze(y).raw_data(), x.raw_data());
  ExpectError([&] { squeeze(y, {1}); },
              "[squeeze] cannot squeeze axis 1 of shape (1, 2, 1, 3): its size is 2, not 1");
}

TEST(Concat, BracedListsVectorsAndNegativeAxes) {
  Tensor a = constant({{1, 2}, {3, 4}});
  Tensor b = constant({{5, 6}});
  Tensor c = concat({a, b}, 0);
  EXPECT_EQ(c.shape(), (Shape{3, 2}));
  EXPECT_EQ(c.to_vector<int32_t>(), (I32{1, 2, 3, 4, 5, 6}));
  std::vector<Tensor> xs = {a, constant({{7}, {8}})};
  Tensor d = concat(xs, -1);
  EXPECT_EQ(d.shape(), (Shape{2, 3}));
  EXPECT_EQ(d.to_vector<int32_t>(), (I32{1, 2, 7, 3, 4, 8}));
  ExpectError([&] { concat({a, b}, 1); }, "input 1 has shape (1, 2) but input 0 has shape (2, 2)");
  ExpectError([&] { concat({a, constant({{1.f, 2.f}})}, 0); }, "dtype mismatch");
  ExpectError([&] { concat({}, 0); }, "[concat] needs at least one tensor");
  ExpectError([&] { concat(std::vector<Tensor>{}, 0); }, "[concat] needs at least one tensor");
}

TEST(Stack, NewAxisShapes) {
  Tensor a = constant({{1, 2, 3}, {4, 5, 6}});
  Tensor b = constant({{7, 8, 9}, {10, 11, 12}});
  EXPECT_EQ(stack({a, b}, 0).shape(), (Shape{2, 2, 3}));
  Tensor s1 = stack({a, b}, 1);
  EXPECT_EQ(s1.shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(s1.to_vector<int32_t>(), (I32{1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12}));
  Tensor s2 = stack({a, b}, -1);
  EXPECT_EQ(s2.shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(s2.to_vector<int32_t>()[0], 1);
  EXPECT_EQ(s2.to_vector<int32_t>()[1], 7);
  EXPECT_EQ(stack({constant(1.f), constant(2.f)}, 0).to_vector<float>(),
            (std::vector<float>{1.f, 2.f}));
  ExpectError([&] { stack({a, constant({1, 2})}, 0); }, "input 0 is (2, 3), input 1 is (2,)");
  ExpectError([&] { stack({a, b}, 3); }, "[stack] axis 3 is out of range [-3, 2]");
  ExpectError([&] { stack({}, 0); }, "[stack] needs at least one tensor");
}

TEST(Slice, TFSemantics) {
  Tensor x = constant({{1, 2, 3}, {4, 5, 6}});
  Tensor s = slice(x, {0, 1}, {-1, 1});
  EXPECT_EQ(s.shape(), (Shape{2, 1}));
  EXPECT_EQ(s.to_vector<int32_t>(), (I32{2, 5}));
  EXPECT_EQ(slice(x, {1, 0}, {1, -1}).to_vector<int32_t>(), (I32{4, 5, 6}));
  EXPECT_EQ(slice(x, {0, 3}, {2, 0}).shape(), (Shape{2, 0}));
  ExpectError(
      [&] {
        slice(x, {1, 2}, {1, 2});
      },
      "[slice] begin[1] = 2 with size[1] = 2 is out of range for dim 1 of shape (2, 3)");
  ExpectError([&] { slice(x, {0}, {1}); }, "shape (2, 3)");
}

TEST(Gather, Int64IndicesAlongAxis1) {
  Tensor params = constant({{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}});
  Tensor idx = constant({int64_t{2}, int64_t{0}, int64_t{2}});
  Tensor g = gather(params, idx, 1);
  EXPECT_EQ(g.shape(), (Shape{2, 3}));
  EXPECT_EQ(g.to_vector<float>(), (std::vector<float>{3.f, 1.f, 3.f, 6.f, 4.f, 6.f}));
  Tensor rows = gather(params, constant({{1}, {0}}));  // axis 0, int32, 2-D indices
  EXPECT_EQ(rows.shape(), (Shape{2, 1, 3}));
  EXPECT_EQ(rows.to_vector<float>(), (std::vector<float>{4.f, 5.f, 6.f, 1.f, 2.f, 3.f}));
  EXPECT_EQ(gather(params, constant(int64_t{1}), -1).to_vector<float>(),
            (std::vector<float>{2.f, 5.f}));
  ExpectError(
      [&] {
        gather(params, constant({0, 3}), 1);
      },
      "[gather] indices[1] = 3 is out of range [0, 3)");
  ExpectError([&] { gather(params, constant({0.f})); }, "(indices) has dtype float32");
}

TEST(Pad, ZerosAroundEveryDTypeAndErrors) {
  Tensor x = constant({{1, 2, 3}, {4, 5, 6}});
  Tensor p = pad(x, {0, 1, 2, 0});
  EXPECT_EQ(p.shape(), (Shape{3, 5}));
  EXPECT_EQ(p.to_vector<int32_t>(), (I32{0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0}));
  EXPECT_EQ(pad(constant(7.f), {}).to_vector<float>(), (std::vector<float>{7.f}));
  EXPECT_EQ(pad(constant({true}), {1, 1}).to_vector<bool>(),
            (std::vector<bool>{false, true, false}));
  Tensor h = pad(constant({1.5f}, DType::kBFloat16), {2, 0});
  EXPECT_EQ(static_cast<float>(h.to_vector<BFloat16>()[0]), 0.f);
  EXPECT_EQ(static_cast<float>(h.to_vector<BFloat16>()[2]), 1.5f);
  EXPECT_EQ(pad(constant({1, 2}), {0, 0}).to_vector<int32_t>(), (I32{1, 2}));
  ExpectError([&] { pad(x, {1, 1}); }, "[pad] paddings [1, 1] must have 4 entries");
  ExpectError(
      [&] {
        pad(x, {0, 0, 0, -1});
      },
      "[pad] paddings [0, 0, 0, -1] for shape (2, 3) must be >= 0");
}

TEST(ScatterAdd, RepeatedIndicesAccumulate) {
  Tensor u = constant({{1.f, 2.f}, {3.f, 4.f}, {5.f, 6.f}});
  Tensor s = scatter_add(u, constant({2, 0, 2}), 0, 4);
  EXPECT_EQ(s.shape(), (Shape{4, 2}));
  EXPECT_EQ(s.to_vector<float>(), (std::vector<float>{3, 4, 0, 0, 6, 8, 0, 0}));
  // Along the last axis with int64 indices and int64 updates.
  Tensor c = scatter_add(constant({{int64_t{1}, int64_t{10}}, {int64_t{2}, int64_t{20}}}),
                         constant({int64_t{1}, int64_t{1}}), -1, 3);
  EXPECT_EQ(c.to_vector<int64_t>(), (std::vector<int64_t>{0, 11, 0, 0, 22, 0}));
  EXPECT_EQ(scatter_add(constant(5.0), constant(1), 0, 2).to_vector<double>(),
            (std::vector<double>{0.0, 5.0}));
  ExpectError(
      [&] {
        scatter_add(u, constant({0, 4, 1}), 0, 4);
      },
      "[scatter_add] indices[1] = 4 is out of range [0, 4)");
  ExpectError([&] { scatter_add(u, constant({0, 1}), 0, 4); }, "must have the indices' shape (2,)");
  ExpectError([&] { scatter_add(constant({true}), constant({0}), 0, 1); },
              "has no CPU kernel for bool");
}

// Gradients of the shape ops on hand-checked cases (the gradient sweep covers them numerically).
TEST(ShapeOpGradients, GatherSumsRepeatedRowsAndIndicesGetNone) {
  Tensor params = constant({{1.f, 2.f}, {3.f, 4.f}, {5.f, 6.f}});
  GradientTape tape;
  tape.watch(params);
  Tensor y = gather(params, constant({2, 0, 2}));
  Tensor g = tape.gradient(y * constant({{1.f, 10.f}, {100.f, 1000.f}, {2.f, 20.f}}),
                           params);  // seed: ones
  EXPECT_EQ(g.shape(), (Shape{3, 2}));
  EXPECT_EQ(g.to_vector<float>(), (std::vector<float>{100, 1000, 0, 0, 3, 30}));
}

TEST(ShapeOpGradients, ConcatStackSliceSplitTheSeed) {
  Tensor a = constant({{1.f, 2.f}}), b = constant({{3.f, 4.f}, {5.f, 6.f}});
  GradientTape tape({.persistent = true});
  tape.watch(a);
  tape.watch(b);
  // Both targets are built before the first gradient() call, which ends the recording.
  Tensor joined = concat({a, b}, -2) * constant({{1.f, 2.f}, {3.f, 4.f}, {5.f, 6.f}});
  Tensor stacked = stack({a, slice(b, {0, 0}, {1, -1})}, -1) * constant({{{1.f, 2.f}, {3.f, 4.f}}});
  std::vector<Tensor> gc = tape.gradient(joined, std::vector<Tensor>{a, b});
  EXPECT_EQ(gc[0].to_vector<float>(), (std::vector<float>{1, 2}));
  EXPECT_EQ(gc[1].to_vector<float>(), (std::vector<float>{3, 4, 5, 6}));
  std::vector<Tensor> gs = tape.gradient(stacked, std::vector<Tensor>{a, b});
  EXPECT_EQ(gs[0].to_vector<float>(), (std::vector<float>{1, 3}));
  EXPECT_EQ(gs[1].to_vector<float>(), (std::vector<float>{2, 4, 0, 0}));
}

TEST(ShapeOpGradients, SecondOrderThroughSliceAndGather) {
  // d/dx of sum(slice(x)^3) + sum(gather(x)^2) (the seed is ones); the rules (pad,
  // scatter_add, slices of concat) are themselves taped by the outer tape.
  Tensor x = constant({1.0, 2.0, 3.0});
  GradientTape outer;
  outer.watch(x);
  Tensor dx;
  {
    GradientTape inner;
    inner.watch(x);
    Tensor s = slice(x, {1}, {2});
    Tensor g = gather(x, constant({0, 0}));
    dx = inner.gradient(concat({s * s * s, g * g}, 0), x);
  }
  EXPECT_EQ(dx.to_vector<double>(), (std::vector<double>{4.0, 12.0, 27.0}));  // 2*2*x0, 3x^2
  Tensor d2 = outer.gradient(dx, x);
  EXPECT_EQ(d2.to_vector<double>(), (std::vector<double>{4.0, 12.0, 18.0}));  // 4, 6x
}

TEST(OneHot, Float32RowsAndZeroRowsOutOfRange) {
  Tensor h = one_hot(constant({0, 2, -1, 3}), 3);
  EXPECT_EQ(h.dtype(), DType::kFloat32);
  EXPECT_EQ(h.shape(), (Shape{4, 3}));
  EXPECT_EQ(h.to_vector<float>(), (std::vector<float>{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(one_hot(constant({{int64_t{1}}}), 2).shape(), (Shape{1, 1, 2}));
  ExpectError([&] { one_hot(constant({1}), -1); }, "[one_hot] depth must be >= 0, got -1");
  ExpectError([&] { one_hot(constant({1.f}), 2); }, "has dtype float32");
}

TEST(ShapeOps, ErrorsNameTheUsersLine) {
  Tensor x = constant({1, 2, 3});
  int line = __LINE__ + 2;
  try {
    reshape(x, {2});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shape_ops_test.cc:" + std::to_string(line)),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace duet
