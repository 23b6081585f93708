// The GPU matmul (cuBLAS), conv2d and its gradients (cuDNN), pooling and its gradients (cuDNN
// and the direct kernels) and softmax against straightforward host loops written here.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kernels/cuda/backend_test_util.h"
#include "kernels/cuda/cuda_context.h"
#include "kernels/cuda/cudnn_softmax.h"

namespace duet::cuda::test {
namespace {

// ---- matmul --------------------------------------------------------------------------------

// Batched C = op(A) op(B) with NumPy batch broadcasting, in double.
std::vector<double> MatmulRef(const std::vector<double>& a, const Shape& as,
                              const std::vector<double>& b, const Shape& bs, bool ta, bool tb,
                              Shape* out_shape) {
  const int ra = as.rank(), rb = bs.rank();
  const int64_t m = ta ? as[ra - 1] : as[ra - 2], k = ta ? as[ra - 2] : as[ra - 1];
  const int64_t n = tb ? bs[rb - 2] : bs[rb - 1];
  const int batch_rank = std::max(ra, rb) - 2;
  Shape abatch, bbatch, batch;
  for (int i = 0; i < batch_rank; ++i) {
    int ia = i - (batch_rank - (ra - 2)), ib = i - (batch_rank - (rb - 2));
    abatch.push_back(ia >= 0 ? as[ia] : 1);
    bbatch.push_back(ib >= 0 ? bs[ib] : 1);
    batch.push_back(std::max(abatch[i], bbatch[i]));
  }
  *out_shape = batch;
  out_shape->push_back(m);
  out_shape->push_back(n);
  std::vector<double> c;
  for (int64_t bi = 0; bi < batch.num_elements(); ++bi) {
    std::vector<int64_t> idx = Unravel(bi, batch);
    const int64_t ao = BroadcastOffset(idx, abatch) * m * k,
                  bo = BroadcastOffset(idx, bbatch) * k * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (int64_t p = 0; p < k; ++p)
          s += a[ao + (ta ? p * m + i : i * k + p)] * b[bo + (tb ? j * k + p : p * n + j)];
        c.push_back(s);
      }
  }
  return c;
}

void CheckMatmul(const Shape& as, const Shape& bs, bool ta, bool tb, uint32_t seed) {
  std::vector<float> af = RandomFloats(as.num_elements(), -1, 1, seed);
  std::vector<float> bf = RandomFloats(bs.num_elements(), -1, 1, seed + 1);
  std::vector<double> a(af.begin(), af.end()), b(bf.begin(), bf.end());
  Shape want_shape;
  std::vector<double> want = MatmulRef(a, as, b, bs, ta, tb, &want_shape);
  const std::string what =
      absl::StrCat("matmul ", as.to_string(), " x ", bs.to_string(), " ta=", ta, " tb=", tb);
  ASSERT_OK_AND_ASSIGN(Tensor c, RunGpu("matmul", {HostTensor(as, af), HostTensor(bs, bf)},
                                        {{"transpose_a", ta}, {"transpose_b", tb}}));
  ASSERT_EQ(c.shape(), want_shape) << what;
  ExpectAllNear(Values<float>(c), want, 1e-4, 1e-5, what);
  ASSERT_OK_AND_ASSIGN(Tensor c64, RunGpu("matmul", {HostTensor(as, a), HostTensor(bs, b)},
                                          {{"transpose_a", ta}, {"transpose_b", tb}}));
  ExpectAllNear(Values<double>(c64), want, 1e-12, 1e-13, what + " float64");
}

TEST(GpuMatmul, TwoDimensionalWithTransposes) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  CheckMatmul({5, 7}, {7, 3}, false, false, 1);
  CheckMatmul({7, 5}, {7, 3}, true, false, 2);
  CheckMatmul({5, 7}, {3, 7}, false, true, 3);
  CheckMatmul({7, 5}, {3, 7}, true, true, 4);
  CheckMatmul({1, 64}, {64, 1}, false, false, 5);
  CheckMatmul({33, 65}, {65, 17}, false, false, 6);
}

TEST(GpuMatmul, BatchedAndBroadcastBatches) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  CheckMatmul({4, 5, 7}, {4, 7, 3}, false, false, 11);  // strided batched
  CheckMatmul({4, 7, 5}, {4, 3, 7}, true, true, 12);
  CheckMatmul({4, 5, 7}, {7, 3}, false, false, 13);           // folds into one product
  CheckMatmul({4, 7, 5}, {7, 3}, true, false, 14);            // b shared (stride 0)
  CheckMatmul({5, 7}, {4, 7, 3}, false, false, 15);           // a shared
  CheckMatmul({2, 1, 5, 7}, {1, 3, 7, 4}, false, false, 16);  // partial: one call per matrix
  CheckMatmul({2, 3, 5, 7}, {2, 3, 7, 4}, false, true, 17);
}

TEST(GpuMatmul, EmptyInnerDimensionGivesZeros) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  ASSERT_OK_AND_ASSIGN(Tensor c, RunGpu("matmul",
                                        {HostTensor(Shape{3, 0}, std::vector<float>{}),
                                         HostTensor(Shape{0, 2}, std::vector<float>{})},
                                        {{"transpose_a", false}, {"transpose_b", false}}));
  EXPECT_EQ(Values<float>(c), std::vector<float>(6, 0.f));
}

// ---- conv2d --------------------------------------------------------------------------------

// TF padding arithmetic (kernels/cpu/window_geometry.h), restated for the references.
struct Dim {
  int64_t out, pad;
};
Dim WindowDim(int64_t in, int64_t k, int64_t s, int64_t d, bool same) {
  const int64_t ek = (k - 1) * d + 1;
  if (!same) return {in - ek + 1 <= 0 ? 0 : (in - ek + 1 + s - 1) / s, 0};
  const int64_t out = (in + s - 1) / s;
  return {out, std::max<int64_t>((out - 1) * s + ek - in, 0) / 2};
}

struct ConvCase {
  Shape x, f;  // NHWC, HWIO
  int64_t stride, dilation;
  bool same;
};

struct ConvGeo {
  int64_t n, h, w, c, kh, kw, k, oh, ow, pt, pl, s, d;
};
ConvGeo Geo(const ConvCase& cc) {
  Dim h = WindowDim(cc.x[1], cc.f[0], cc.stride, cc.dilation, cc.same);
  Dim w = WindowDim(cc.x[2], cc.f[1], cc.stride, cc.dilation, cc.same);
  return {cc.x[0], cc.x[1], cc.x[2], cc.x[3], cc.f[0],   cc.f[1],    cc.f[3],
          h.out,   w.out,   h.pad,   w.pad,   cc.stride, cc.dilation};
}

// Calls fn(x_offset, f_offset, y_offset) for every multiply-add of the convolution.
template <class Fn>
void ForEachTap(const ConvGeo& g, Fn fn) {
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oh = 0; oh < g.oh; ++oh)
      for (int64_t ow = 0; ow < g.ow; ++ow)
        for (int64_t i = 0; i < g.kh; ++i)
          for (int64_t j = 0; j < g.kw; ++j) {
            const int64_t ih = oh * g.s - g.pt + i * g.d, iw = ow * g.s - g.pl + j * g.d;
            if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
            for (int64_t c = 0; c < g.c; ++c)
              for (int64_t k = 0; k < g.k; ++k)
                fn(((n * g.h + ih) * g.w + iw) * g.c + c, ((i * g.kw + j) * g.c + c) * g.k + k,
                   ((n * g.oh + oh) * g.ow + ow) * g.k + k);
          }
}

const std::vector<ConvCase>& ConvCases() {
  static const std::vector<ConvCase> cases = {
      {{2, 7, 8, 3}, {3, 3, 3, 4}, 1, 1, false},  // VALID
      {{2, 7, 8, 3}, {3, 3, 3, 4}, 1, 1, true},   // SAME, symmetric padding
      {{2, 7, 8, 3}, {3, 3, 3, 4}, 2, 1, true},   // SAME, stride 2: width padded 0 before, 1 after
      {{1, 6, 6, 2}, {2, 2, 2, 5}, 1, 1, true},   // even kernel: the extra pixel goes after
      {{2, 9, 9, 3}, {3, 3, 3, 2}, 1, 2, false},  // dilation 2
      {{3, 5, 5, 4}, {1, 1, 4, 6}, 2, 1, false},  // 1x1, stride 2
  };
  return cases;
}

std::string Describe(const ConvCase& c) {
  return absl::StrCat("x ", c.x.to_string(), " f ", c.f.to_string(), " stride ", c.stride,
                      " dilation ", c.dilation, c.same ? " SAME" : " VALID");
}

TEST(GpuConv2D, ForwardMatchesDirectLoop) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  uint32_t seed = 200;
  for (const ConvCase& cc : ConvCases()) {
    const ConvGeo g = Geo(cc);
    std::vector<float> x = RandomFloats(cc.x.num_elements(), -1, 1, seed++);
    std::vector<float> f = RandomFloats(cc.f.num_elements(), -1, 1, seed++);
    std::vector<double> y(g.n * g.oh * g.ow * g.k, 0.0);
    ForEachTap(g, [&](int64_t xi, int64_t fi, int64_t yi) { y[yi] += double(x[xi]) * f[fi]; });
    ASSERT_OK_AND_ASSIGN(Tensor got, RunGpu("conv2d", {HostTensor(cc.x, x), HostTensor(cc.f, f)},
                                            {{"strides", Ints{cc.stride, cc.stride}},
                                             {"padding", std::string(cc.same ? "SAME" : "VALID")},
                                             {"dilations", Ints{cc.dilation, cc.dilation}}}));
    ASSERT_EQ(got.shape(), (Shape{g.n, g.oh, g.ow, g.k})) << Describe(cc);
    ExpectAllNear(Values<float>(got), y, 1e-4, 1e-5, "conv2d " + Describe(cc));
  }
}

TEST(GpuConv2D, BackpropInputAndFilterMatchDirectLoops) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  uint32_t seed = 300;
  for (const ConvCase& cc : ConvCases()) {
    const ConvGeo g = Geo(cc);
    const Shape ys{g.n, g.oh, g.ow, g.k};
    std::vector<float> x = RandomFloats(cc.x.num_elements(), -1, 1, seed++);
    std::vector<float> f = RandomFloats(cc.f.num_elements(), -1, 1, seed++);
    std::vector<float> dy = RandomFloats(ys.num_elements(), -1, 1, seed++);
    std::vector<double> dx(x.size(), 0.0), df(f.size(), 0.0);
    ForEachTap(g, [&](int64_t xi, int64_t fi, int64_t yi) {
      dx[xi] += double(f[fi]) * dy[yi];
      df[fi] += double(x[xi]) * dy[yi];
    });
    const std::string padding = cc.same ? "SAME" : "VALID";
    ASSERT_OK_AND_ASSIGN(Tensor got_dx,
                         RunGpu("conv2d_backprop_input", {HostTensor(cc.f, f), HostTensor(ys, dy)},
                                {{"input_shape", cc.x},
                                 {"strides", Ints{cc.stride, cc.stride}},
                                 {"padding", padding},
                                 {"dilations", Ints{cc.dilation, cc.dilation}}}));
    ExpectAllNear(Values<float>(got_dx), dx, 1e-4, 1e-5, "backprop_input " + Describe(cc));
    ASSERT_OK_AND_ASSIGN(Tensor got_df,
                         RunGpu("conv2d_backprop_filter", {HostTensor(cc.x, x), HostTensor(ys, dy)},
                                {{"filter_shape", cc.f},
                                 {"strides", Ints{cc.stride, cc.stride}},
                                 {"padding", padding},
                                 {"dilations", Ints{cc.dilation, cc.dilation}}}));
    ExpectAllNear(Values<float>(got_df), df, 1e-4, 1e-4, "backprop_filter " + Describe(cc));
  }
}

// ---- pooling -------------------------------------------------------------------------------

struct PoolCase {
  Shape x;
  int64_t k, stride;
  bool same;
};

const std::vector<PoolCase>& PoolCases() {
  static const std::vector<PoolCase> cases = {
      {{2, 8, 8, 3}, 2, 2, false},  // cuDNN
      {{2, 8, 8, 3}, 2, 2, true},   // no padding needed: cuDNN
      {{2, 7, 7, 3}, 3, 1, true},   // symmetric SAME: cuDNN
      {{2, 7, 8, 3}, 3, 2, true},   // asymmetric SAME: the direct kernel
      {{1, 5, 6, 2}, 2, 1, true},   // even window, asymmetric
  };
  return cases;
}

struct PoolGeo {
  int64_t n, h, w, c, k, s, oh, ow, pt, pl;
};
PoolGeo Geo(const PoolCase& pc) {
  Dim h = WindowDim(pc.x[1], pc.k, pc.stride, 1, pc.same);
  Dim w = WindowDim(pc.x[2], pc.k, pc.stride, 1, pc.same);
  return {pc.x[0], pc.x[1], pc.x[2], pc.x[3], pc.k, pc.stride, h.out, w.out, h.pad, w.pad};
}

// Calls fn(y_offset, x_offsets of the clipped window) per output element.
template <class Fn>
void ForEachWindow(const PoolGeo& g, Fn fn) {
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oh = 0; oh < g.oh; ++oh)
      for (int64_t ow = 0; ow < g.ow; ++ow)
        for (int64_t c = 0; c < g.c; ++c) {
          std::vector<int64_t> in;
          for (int64_t ih = oh * g.s - g.pt; ih < oh * g.s - g.pt + g.k; ++ih)
            for (int64_t iw = ow * g.s - g.pl; iw < ow * g.s - g.pl + g.k; ++iw)
              if (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w)
                in.push_back(((n * g.h + ih) * g.w + iw) * g.c + c);
          fn(((n * g.oh + oh) * g.ow + ow) * g.c + c, in);
        }
}

std::string Describe(const PoolCase& p) {
  return absl::StrCat("x ", p.x.to_string(), " k ", p.k, " stride ", p.stride,
                      p.same ? " SAME" : " VALID");
}

TEST(GpuPool2D, ForwardAndGradientsMatchDirectLoops) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  uint32_t seed = 400;
  for (const PoolCase& pc : PoolCases()) {
    const PoolGeo g = Geo(pc);
    const Shape ys{g.n, g.oh, g.ow, g.c};
    std::vector<float> x = RandomFloats(pc.x.num_elements(), -1, 1, seed++);  // no ties
    std::vector<float> dy = RandomFloats(ys.num_elements(), -1, 1, seed++);
    std::vector<float> ddx = RandomFloats(pc.x.num_elements(), -1, 1, seed++);
    std::vector<double> max_y(ys.num_elements()), avg_y(ys.num_elements());
    std::vector<double> max_dx(x.size(), 0.0), avg_dx(x.size(), 0.0), ddy(ys.num_elements());
    ForEachWindow(g, [&](int64_t o, const std::vector<int64_t>& in) {
      int64_t arg = in[0];
      double sum = 0;
      for (int64_t i : in) {
        if (x[i] > x[arg]) arg = i;
        sum += x[i];
      }
      max_y[o] = x[arg];
      avg_y[o] = sum / static_cast<double>(in.size());
      max_dx[arg] += dy[o];
      for (int64_t i : in) avg_dx[i] += dy[o] / static_cast<double>(in.size());
      ddy[o] = ddx[arg];
    });
    const std::string padding = pc.same ? "SAME" : "VALID";
    const Ints ksize{pc.k, pc.k}, strides{pc.stride, pc.stride};
    const std::string what = Describe(pc);
    ASSERT_OK_AND_ASSIGN(Tensor y,
                         RunGpu("max_pool2d", {HostTensor(pc.x, x)},
                                {{"ksize", ksize}, {"strides", strides}, {"padding", padding}}));
    ASSERT_EQ(y.shape(), ys) << what;
    ExpectAllNear(Values<float>(y), max_y, 0, 0, "max_pool2d " + what);
    ASSERT_OK_AND_ASSIGN(Tensor a,
                         RunGpu("avg_pool2d", {HostTensor(pc.x, x)},
                                {{"ksize", ksize}, {"strides", strides}, {"padding", padding}}));
    ExpectAllNear(Values<float>(a), avg_y, 1e-5, 1e-6, "avg_pool2d " + what);
    ASSERT_OK_AND_ASSIGN(Tensor mdx,
                         RunGpu("max_pool2d_grad", {HostTensor(pc.x, x), y, HostTensor(ys, dy)},
                                {{"ksize", ksize}, {"strides", strides}, {"padding", padding}}));
    ExpectAllNear(Values<float>(mdx), max_dx, 1e-5, 1e-6, "max_pool2d_grad " + what);
    ASSERT_OK_AND_ASSIGN(
        Tensor adx,
        RunGpu(
            "avg_pool2d_grad", {HostTensor(ys, dy)},
            {{"input_shape", pc.x}, {"ksize", ksize}, {"strides", strides}, {"padding", padding}}));
    ExpectAllNear(Values<float>(adx), avg_dx, 1e-5, 1e-6, "avg_pool2d_grad " + what);
    ASSERT_OK_AND_ASSIGN(
        Tensor gg, RunGpu("max_pool2d_grad_grad", {HostTensor(pc.x, x), y, HostTensor(pc.x, ddx)},
                          {{"ksize", ksize}, {"strides", strides}, {"padding", padding}}));
    ExpectAllNear(Values<float>(gg), ddy, 0, 0, "max_pool2d_grad_grad " + what);
  }
}

TEST(GpuPool2D, Float64UsesTheDirectKernels) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const PoolCase pc{{1, 4, 4, 2}, 2, 2, false};
  const PoolGeo g = Geo(pc);
  std::vector<float> xf = RandomFloats(32, -1, 1, 450);
  std::vector<double> x(xf.begin(), xf.end()), want(g.n * g.oh * g.ow * g.c);
  ForEachWindow(g, [&](int64_t o, const std::vector<int64_t>& in) {
    double best = x[in[0]];
    for (int64_t i : in) best = std::max(best, x[i]);
    want[o] = best;
  });
  ASSERT_OK_AND_ASSIGN(
      Tensor y,
      RunGpu("max_pool2d", {HostTensor(pc.x, x)},
             {{"ksize", Ints{2, 2}}, {"strides", Ints{2, 2}}, {"padding", std::string("VALID")}}));
  ExpectAllNear(Values<double>(y), want, 0, 0, "float64 max_pool2d");
}

// ---- softmax -------------------------------------------------------------------------------

std::vector<double> SoftmaxRef(const std::vector<float>& x, int64_t outer, int64_t n, int64_t inner,
                               bool log) {
  std::vector<double> y(x.size());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t k) { return (o * n + k) * inner + i; };
      double mx = -INFINITY, sum = 0;
      for (int64_t k = 0; k < n; ++k) mx = std::max(mx, double(x[at(k)]));
      for (int64_t k = 0; k < n; ++k) sum += std::exp(x[at(k)] - mx);
      for (int64_t k = 0; k < n; ++k)
        y[at(k)] = log ? (x[at(k)] - mx) - std::log(sum) : std::exp(x[at(k)] - mx) / sum;
    }
  return y;
}

TEST(GpuSoftmax, LastAndMiddleAxes) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  struct Case {
    Shape shape;
    int64_t axis, outer, n, inner;
  };
  for (const Case& c :
       {Case{{4, 10}, -1, 4, 10, 1}, Case{{3, 5, 4}, 1, 3, 5, 4}, Case{{2, 1000}, 1, 2, 1000, 1}}) {
    std::vector<float> x = RandomFloats(c.shape.num_elements(), -5, 5, 500);
    for (bool log : {false, true}) {
      const char* op = log ? "log_softmax" : "softmax";
      ASSERT_OK_AND_ASSIGN(Tensor y, RunGpu(op, {HostTensor(c.shape, x)}, {{"axis", c.axis}}));
      ExpectAllNear(Values<float>(y), SoftmaxRef(x, c.outer, c.n, c.inner, log), 1e-5, 1e-6,
                    absl::StrCat(op, " ", c.shape.to_string()));
    }
  }
}

TEST(GpuSoftmax, BackwardKernel) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const int64_t rows = 3, n = 7;
  std::vector<float> x = RandomFloats(rows * n, -3, 3, 510),
                     dy = RandomFloats(rows * n, -1, 1, 511);
  for (bool log : {false, true}) {
    std::vector<double> y = SoftmaxRef(x, rows, n, 1, log);
    std::vector<float> yf(y.begin(), y.end());
    std::vector<double> want(x.size());
    for (int64_t r = 0; r < rows; ++r) {
      double dot = 0, sum = 0;
      for (int64_t k = 0; k < n; ++k) dot += dy[r * n + k] * y[r * n + k], sum += dy[r * n + k];
      for (int64_t k = 0; k < n; ++k) {
        const int64_t i = r * n + k;
        want[i] = log ? dy[i] - std::exp(y[i]) * sum : y[i] * (dy[i] - dot);
      }
    }
    ASSERT_OK_AND_ASSIGN(Tensor dev_y, ToGpu(HostTensor(Shape{rows, n}, yf)));
    ASSERT_OK_AND_ASSIGN(Tensor dev_dy, ToGpu(HostTensor(Shape{rows, n}, dy)));
    ASSERT_OK_AND_ASSIGN(Tensor dev_dx, Tensor::TryEmpty({Shape{rows, n}, DType::kFloat32}, kGpu0));
    ASSERT_TRUE(CudnnSoftmaxBackward(0, ElemType::kF32, log, dev_y.raw_data(), dev_dy.raw_data(),
                                     dev_dx.mutable_raw_data(), rows, n, 1)
                    .ok());
    ASSERT_TRUE(SynchronizeStream(CurrentStream(0), "softmax backward").ok());
    ASSERT_OK_AND_ASSIGN(Tensor dx, ToHost(dev_dx));
    ExpectAllNear(Values<float>(dx), want, 1e-5, 1e-6, log ? "log_softmax grad" : "softmax grad");
  }
}

}  // namespace
}  // namespace duet::cuda::test
