// The GPU reductions (reduce_sum/mean/max/min over axis sets, argmax, and the prod/argmin the
// device kernels also offer) against host references computed here.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "kernels/cuda/backend_test_util.h"
#include "kernels/cuda/cuda_context.h"
#include "kernels/cuda/elementwise_layout.h"
#include "kernels/cuda/gpu_reduce.h"

namespace duet::cuda::test {
namespace {

enum class Kind { kSum, kMean, kMax, kMin, kProd };

// Reduces row-major x of `shape` over the dims in `mask` (double accumulation).
std::vector<double> Reference(const std::vector<double>& x, const Shape& shape,
                              const std::vector<bool>& mask, Kind kind) {
  Shape kept;
  int64_t count = 1;
  for (int d = 0; d < shape.rank(); ++d) {
    if (mask[d])
      count *= shape[d];
    else
      kept.push_back(shape[d]);
  }
  const int64_t n_out = kept.num_elements();
  std::vector<double> acc(n_out, kind == Kind::kProd  ? 1.0
                                 : kind == Kind::kMax ? -INFINITY
                                 : kind == Kind::kMin ? INFINITY
                                                      : 0.0);
  for (int64_t i = 0; i < shape.num_elements(); ++i) {
    std::vector<int64_t> idx = Unravel(i, shape);
    int64_t o = 0;
    for (int d = 0; d < shape.rank(); ++d)
      if (!mask[d]) o = o * shape[d] + idx[d];
    double& a = acc[o];
    switch (kind) {
      case Kind::kSum:
      case Kind::kMean:
        a += x[i];
        break;
      case Kind::kProd:
        a *= x[i];
        break;
      case Kind::kMax:
        a = std::isnan(a) || std::isnan(x[i]) ? NAN : std::max(a, x[i]);
        break;
      case Kind::kMin:
        a = std::isnan(a) || std::isnan(x[i]) ? NAN : std::min(a, x[i]);
        break;
    }
  }
  if (kind == Kind::kMean)
    for (double& a : acc) a /= static_cast<double>(count);
  return acc;
}

std::vector<bool> MaskOf(const Shape& shape, const Ints& axes) {
  std::vector<bool> mask(shape.rank(), axes.empty());
  for (int64_t a : axes) mask[a < 0 ? a + shape.rank() : a] = true;
  return mask;
}

Shape OutShape(const Shape& shape, const std::vector<bool>& mask, bool keepdims) {
  Shape out;
  for (int d = 0; d < shape.rank(); ++d) {
    if (!mask[d])
      out.push_back(shape[d]);
    else if (keepdims)
      out.push_back(1);
  }
  return out;
}

const char* OpName(Kind k) {
  switch (k) {
    case Kind::kSum:
      return "reduce_sum";
    case Kind::kMean:
      return "reduce_mean";
    case Kind::kMax:
      return "reduce_max";
    case Kind::kMin:
      return "reduce_min";
    case Kind::kProd:
      break;
  }
  return "?";
}

TEST(GpuReduce, Float32OverAxisSets) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const Shape shape{3, 4, 5, 6};
  std::vector<float> xf = RandomFloats(shape.num_elements(), -2, 2, 61);
  std::vector<double> x(xf.begin(), xf.end());
  const std::vector<Ints> axis_sets = {{}, {0}, {3}, {-1}, {1, 3}, {0, 2}, {0, 1, 2, 3}, {1, 2}};
  for (Kind kind : {Kind::kSum, Kind::kMean, Kind::kMax, Kind::kMin})
    for (const Ints& axes : axis_sets)
      for (bool keepdims : {false, true}) {
        const std::vector<bool> mask = MaskOf(shape, axes);
        ASSERT_OK_AND_ASSIGN(Tensor y, RunGpu(OpName(kind), {HostTensor(shape, xf)},
                                              {{"axes", axes}, {"keepdims", keepdims}}));
        EXPECT_EQ(y.shape(), OutShape(shape, mask, keepdims));
        ExpectAllNear(Values<float>(y), Reference(x, shape, mask, kind), 1e-5, 1e-5,
                      absl::StrCat(OpName(kind), " axes [", absl::StrJoin(axes, ","), "]"));
      }
}

TEST(GpuReduce, LongRunsUseTheBlockKernel) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const Shape shape{3, 5000};  // 5000 >= 256 contiguous: one block per output
  std::vector<float> xf = RandomFloats(shape.num_elements(), -1, 1, 62);
  std::vector<double> x(xf.begin(), xf.end());
  for (Kind kind : {Kind::kSum, Kind::kMax}) {
    for (const Ints& axes : {Ints{1}, Ints{0}, Ints{}}) {
      ASSERT_OK_AND_ASSIGN(Tensor y, RunGpu(OpName(kind), {HostTensor(shape, xf)},
                                            {{"axes", axes}, {"keepdims", false}}));
      ExpectAllNear(Values<float>(y), Reference(x, shape, MaskOf(shape, axes), kind), 1e-5, 1e-4,
                    OpName(kind));
    }
  }
}

TEST(GpuReduce, IntegersFloat64AndNan) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const Shape shape{4, 6};
  std::vector<int32_t> xi = RandomInts<int32_t>(24, -100, 100, 63);
  std::vector<double> x(xi.begin(), xi.end());
  ASSERT_OK_AND_ASSIGN(Tensor s, RunGpu("reduce_sum", {HostTensor(shape, xi)},
                                        {{"axes", Ints{0}}, {"keepdims", false}}));
  ExpectAllNear(Values<int32_t>(s), Reference(x, shape, {true, false}, Kind::kSum), 0, 0, "int");
  ASSERT_OK_AND_ASSIGN(Tensor m, RunGpu("reduce_mean", {HostTensor(shape, xi)},
                                        {{"axes", Ints{1}}, {"keepdims", false}}));
  std::vector<double> mean = Reference(x, shape, {false, true}, Kind::kSum);
  for (double& v : mean) v = static_cast<double>(static_cast<int64_t>(v) / 6);  // truncates
  ExpectAllNear(Values<int32_t>(m), mean, 0, 0, "int mean");
  ASSERT_OK_AND_ASSIGN(Tensor d, RunGpu("reduce_max", {HostTensor(shape, x)},
                                        {{"axes", Ints{1}}, {"keepdims", true}}));
  ExpectAllNear(Values<double>(d), Reference(x, shape, {false, true}, Kind::kMax), 0, 0, "f64");

  std::vector<float> nan = {1, NAN, 3, 4, 5, 6};
  ASSERT_OK_AND_ASSIGN(Tensor n, RunGpu("reduce_min", {HostTensor(Shape{2, 3}, nan)},
                                        {{"axes", Ints{1}}, {"keepdims", false}}));
  EXPECT_TRUE(std::isnan(n.data<float>()[0]));
  EXPECT_EQ(n.data<float>()[1], 4.f);
}

TEST(GpuReduce, EmptyReductions) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  Tensor empty = HostTensor(Shape{0, 3}, std::vector<float>{});
  ASSERT_OK_AND_ASSIGN(Tensor s,
                       RunGpu("reduce_sum", {empty}, {{"axes", Ints{0}}, {"keepdims", false}}));
  EXPECT_EQ(Values<float>(s), (std::vector<float>{0, 0, 0}));
  ASSERT_OK_AND_ASSIGN(Tensor m,
                       RunGpu("reduce_mean", {empty}, {{"axes", Ints{0}}, {"keepdims", false}}));
  for (float v : Values<float>(m)) EXPECT_TRUE(std::isnan(v));
}

TEST(GpuArgMax, FirstMaximumAndNanWins) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const Shape shape{3, 4, 5};
  std::vector<int32_t> x = RandomInts<int32_t>(60, 0, 3, 71);  // many ties
  for (int64_t axis = 0; axis < 3; ++axis) {
    ASSERT_OK_AND_ASSIGN(Tensor y, RunGpu("argmax", {HostTensor(shape, x)}, {{"axis", axis}}));
    ASSERT_EQ(y.dtype(), DType::kInt64);
    for (int64_t o = 0; o < y.num_elements(); ++o) {
      std::vector<int64_t> idx = Unravel(o, y.shape());
      idx.insert(idx.begin() + axis, 0);
      int64_t best_k = 0;
      int32_t best = std::numeric_limits<int32_t>::min();
      for (int64_t k = 0; k < shape[static_cast<int>(axis)]; ++k) {
        idx[axis] = k;
        const int32_t v = x[(idx[0] * 4 + idx[1]) * 5 + idx[2]];
        if (v > best) best = v, best_k = k;
      }
      EXPECT_EQ(y.data<int64_t>()[o], best_k) << "axis " << axis << " output " << o;
    }
  }
  std::vector<float> f = {1, 5, NAN, 5, NAN};
  ASSERT_OK_AND_ASSIGN(Tensor n,
                       RunGpu("argmax", {HostTensor(Shape{5}, f)}, {{"axis", int64_t{-1}}}));
  EXPECT_EQ(n.data<int64_t>()[0], 2);
}

// The kernels' prod and argmin have no op yet: launched directly.
TEST(GpuReduce, ProdAndArgMinKernels) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const Shape shape{4, 3};
  std::vector<float> xf = RandomFloats(12, 0.5f, 1.5f, 81);
  std::vector<double> x(xf.begin(), xf.end());
  ASSERT_OK_AND_ASSIGN(Tensor dx, ToGpu(HostTensor(shape, xf)));
  ASSERT_OK_AND_ASSIGN(Tensor dy, Tensor::TryEmpty({Shape{3}, DType::kFloat32}, kGpu0));
  ASSERT_OK_AND_ASSIGN(ReduceLayout l, MakeReduceLayout(shape, {true, false}));
  cudaStream_t stream = CurrentStream(0);
  ASSERT_EQ(LaunchReduce(ReduceKind::kProd, ElemType::kF32, dx.raw_data(), dy.mutable_raw_data(), l,
                         stream),
            0);
  ASSERT_TRUE(SynchronizeStream(stream, "prod").ok());
  ASSERT_OK_AND_ASSIGN(Tensor y, ToHost(dy));
  ExpectAllNear(Values<float>(y), Reference(x, shape, {true, false}, Kind::kProd), 1e-5, 0, "prod");

  ASSERT_OK_AND_ASSIGN(Tensor di, Tensor::TryEmpty({Shape{4}, DType::kInt64}, kGpu0));
  ASSERT_EQ(LaunchArgReduce(ElemType::kF32, /*arg_min=*/true, dx.raw_data(),
                            di.mutable_data<int64_t>(), 4, 3, 1, stream),
            0);
  ASSERT_TRUE(SynchronizeStream(stream, "argmin").ok());
  ASSERT_OK_AND_ASSIGN(Tensor i, ToHost(di));
  for (int r = 0; r < 4; ++r) {
    int64_t best = 0;
    for (int k = 1; k < 3; ++k)
      if (xf[r * 3 + k] < xf[r * 3 + best]) best = k;
    EXPECT_EQ(i.data<int64_t>()[r], best) << "row " << r;
  }
}

}  // namespace
}  // namespace duet::cuda::test
