// OpInfo entries for matmul and the neural-network ops (softmax, log_softmax, conv2d,
// max_pool2d, avg_pool2d). The references are naive loops over doubles written from the TF
// definitions (triple-loop matmul with batch broadcasting, direct convolution and pooling
// with the SAME/VALID padding arithmetic spelled out here), independent of kernels/cpu.
// float32 samples include sizes that take the oneDNN paths (big matmuls, convs, pools and
// softmax rows) as well as small ones that take the plain loops.
#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "api/duet.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

using Ints = std::vector<int64_t>;
const std::vector<DType> kFloats = {DType::kFloat32, DType::kFloat64};
const std::vector<DType> kNumeric = {DType::kFloat32, DType::kFloat64, DType::kInt32,
                                     DType::kInt64};

Tensor F32(const Shape& s) { return TestTensor(s, DType::kFloat32); }

// ---- matmul ---------------------------------------------------------------------------------

Attrs MatmulAttrs(bool ta, bool tb) { return {AttrValue(ta), AttrValue(tb)}; }

std::vector<OpSample> MatmulSamples(DType d) {
  struct Case {
    Shape a, b;
    bool ta, tb;
  };
  std::vector<Case> cases = {
      {{2, 3}, {3, 4}, false, false},
      {{3, 2}, {3, 4}, true, false},
      {{2, 3}, {4, 3}, false, true},
      {{3, 2}, {4, 3}, true, true},
      {{1, 1}, {1, 1}, false, false},
      {{1, 5}, {5, 1}, false, false},
      {{2, 1, 3, 4}, {5, 4, 2}, false, false},
      {{3, 4}, {2, 3, 5}, true, false},
      {{3, 2, 4}, {3, 5, 4}, false, true},
      {{0, 3}, {3, 4}, false, false},
      // A batched a against a rank-2 b (a dense layer over a sequence), every transpose.
      {{2, 3, 4}, {4, 5}, false, false},
      {{2, 3, 4}, {5, 4}, false, true},
      {{2, 4, 3}, {4, 5}, true, false},
      {{2, 2, 4, 3}, {5, 4}, true, true},
      {{2, 0}, {0, 3}, false, false},
      {{2, 0, 3}, {3, 4}, false, false},
      // Big enough for the oneDNN path in float32 (plain loops for the other dtypes).
      {{64, 128}, {128, 96}, false, false},
      {{128, 64}, {96, 128}, true, true},
      {{2, 1, 40, 64}, {3, 64, 48}, false, false},
      {{40, 64}, {3, 48, 64}, false, true},
  };
  std::vector<OpSample> out;
  uint32_t seed = 1;
  for (const Case& c : cases)
    out.push_back(
        {absl::StrCat(c.a.to_string(), c.ta ? "^T" : "", " x ", c.b.to_string(), c.tb ? "^T" : ""),
         {TestTensor(c.a, d, -2, 2, seed++), TestTensor(c.b, d, -2, 2, seed++)},
         MatmulAttrs(c.ta, c.tb)});
  return out;
}

std::vector<RefTensor> RefMatmul(const OpSample& s) {
  const Shape &a = s.inputs[0].shape(), &b = s.inputs[1].shape();
  const bool ta = SampleAttr<bool>(s, "matmul", "transpose_a"),
             tb = SampleAttr<bool>(s, "matmul", "transpose_b");
  std::vector<double> va = Values(s.inputs[0]), vb = Values(s.inputs[1]);
  const int ra = a.rank(), rb = b.rank();
  const int64_t m = ta ? a[ra - 1] : a[ra - 2], k = ta ? a[ra - 2] : a[ra - 1];
  const int64_t n = tb ? b[rb - 2] : b[rb - 1];
  Shape a_batch(a.begin(), a.end() - 2), b_batch(b.begin(), b.end() - 2);
  Shape batch = RefBroadcastShape({a_batch, b_batch});
  RefTensor r;
  r.dtype = s.inputs[0].dtype();
  r.shape = batch;
  r.shape.push_back(m);
  r.shape.push_back(n);
  for (int64_t bi = 0; bi < batch.num_elements(); ++bi) {
    int64_t ab = RefBroadcastIndex(a_batch, batch, bi), bb = RefBroadcastIndex(b_batch, batch, bi);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (int64_t p = 0; p < k; ++p) {
          double x = va[ab * m * k + (ta ? p * m + i : i * k + p)];
          double y = vb[bb * k * n + (tb ? j * k + p : p * n + j)];
          acc += x * y;
        }
        r.values.push_back(acc);
      }
  }
  return {r};
}

std::vector<ErrorCase> MatmulErrors() {
  return {
      {"rank 1",
       {F32({3}), F32({3, 2})},
       MatmulAttrs(false, false),
       "input a must have rank >= 2, got shape (3,)"},
      {"rank 1 b",
       {F32({2, 3}), F32({3})},
       MatmulAttrs(false, false),
       "input b must have rank >= 2, got shape (3,)"},
      {"inner",
       {F32({2, 3}), F32({4, 5})},
       MatmulAttrs(false, false),
       "inner dimensions differ: (2, 3) x (4, 5)"},
      {"inner after transpose",
       {F32({2, 3}), F32({3, 4})},
       MatmulAttrs(true, false),
       "inner dimensions differ: (2, 3) x (3, 4) (transpose_a=true, transpose_b=false)"},
      {"batch",
       {F32({2, 2, 3}), F32({3, 3, 4})},
       MatmulAttrs(false, false),
       "batch dimensions do not broadcast: (2, 2, 3) x (3, 3, 4)"},
      {"dtypes",
       {F32({2, 2}), TestTensor({2, 2}, DType::kFloat64)},
       MatmulAttrs(false, false),
       "dtype mismatch"},
      {"bool",
       {TestTensor({2, 2}, DType::kBool), TestTensor({2, 2}, DType::kBool)},
       MatmulAttrs(false, false),
       "has dtype bool"},
      {"attr kind",
       {F32({2, 2}), F32({2, 2})},
       {AttrValue(int64_t{1}), AttrValue(false)},
       "attribute 'transpose_a' must be bool"},
  };
}

DUET_OPINFO(.op = "matmul", .dtypes = kNumeric, .samples = MatmulSamples, .reference = RefMatmul,
            .errors = MatmulErrors, .rtol = 1e-4, .atol = 1e-4);

// ---- softmax / log_softmax ------------------------------------------------------------------

std::vector<OpSample> SoftmaxSamples(DType d) {
  struct Case {
    Shape shape;
    int64_t axis;
    double lo, hi;
  };
  std::vector<Case> cases = {
      {{7}, 0, -3, 3},          {{3, 5}, -1, -3, 3}, {{4, 3}, 0, -3, 3},  {{2, 3, 4}, 1, -3, 3},
      {{2, 3, 4}, -3, -3, 3},   {{1, 1}, -1, -3, 3}, {{0, 5}, -1, -3, 3}, {{3, 0}, 0, -3, 3},
      {{2, 6}, 1, -1000, 1000},  // would overflow exp without subtracting the max
      {{64, 256}, -1, -5, 5},    // long rows: oneDNN in float32
      {{32, 200}, 0, -5, 5},     // long non-contiguous axis: loops
  };
  std::vector<OpSample> out;
  uint32_t seed = 5;
  for (const Case& c : cases)
    out.push_back({absl::StrCat(c.shape.to_string(), " axis ", c.axis),
                   {TestTensor(c.shape, d, c.lo, c.hi, seed++)},
                   {AttrValue(c.axis)}});
  return out;
}

std::function<std::vector<RefTensor>(const OpSample&)> RefSoftmax(bool log) {
  return [log](const OpSample& s) {
    const Shape& shape = s.inputs[0].shape();
    int64_t axis = SampleAttr<int64_t>(s, "softmax", "axis");  // log_softmax alike
    if (axis < 0) axis += shape.rank();
    std::vector<double> x = Values(s.inputs[0]);
    RefTensor r{shape, s.inputs[0].dtype(), std::vector<double>(x.size())};
    for (int64_t i = 0; i < static_cast<int64_t>(x.size()); ++i) {
      std::vector<int64_t> idx = Unravel(i, shape);
      double max = -INFINITY;
      for (idx[axis] = 0; idx[axis] < shape[axis]; ++idx[axis])
        max = std::max(max, x[Ravel(idx, shape)]);
      double sum = 0;
      for (idx[axis] = 0; idx[axis] < shape[axis]; ++idx[axis])
        sum += std::exp(x[Ravel(idx, shape)] - max);
      r.values[i] = log ? x[i] - max - std::log(sum) : std::exp(x[i] - max) / sum;
    }
    return std::vector<RefTensor>{r};
  };
}

std::vector<ErrorCase> SoftmaxErrors() {
  return {
      {"axis", {F32({2, 3})}, {AttrValue(int64_t{2})}, "axis 2 is out of range for shape (2, 3)"},
      {"negative axis",
       {F32({2, 3})},
       {AttrValue(int64_t{-3})},
       "axis -3 is out of range for shape (2, 3)"},
      {"scalar", {F32({})}, {AttrValue(int64_t{-1})}, "out of range for shape ()"},
      {"int", {constant({1, 2})}, {AttrValue(int64_t{-1})}, "has dtype int32"},
      {"attr kind", {F32({2})}, {AttrValue(true)}, "attribute 'axis' must be int"},
  };
}

DUET_OPINFO(.op = "softmax", .dtypes = kFloats, .samples = SoftmaxSamples,
            .reference = RefSoftmax(false), .errors = SoftmaxErrors, .rtol = 1e-4, .atol = 1e-6);
DUET_OPINFO(.op = "log_softmax", .dtypes = kFloats, .samples = SoftmaxSamples,
            .reference = RefSoftmax(true), .errors = SoftmaxErrors, .rtol = 1e-4, .atol = 1e-5);

// ---- conv2d ---------------------------------------------------------------------------------

Attrs ConvAttrs(Ints strides, const char* padding, Ints dilations = {1, 1}) {
  return {AttrValue(std::move(strides)), AttrValue(std::string(padding)),
          AttrValue(std::move(dilations))};
}

std::vector<OpSample> Conv2DSamples(DType d) {
  struct Case {
    Shape x, f;
    Ints strides;
    const char* padding;
    Ints dilations;
  };
  std::vector<Case> cases = {
      {{1, 5, 5, 1}, {3, 3, 1, 2}, {1, 1}, "SAME", {1, 1}},
      {{2, 6, 7, 3}, {3, 3, 3, 4}, {1, 1}, "VALID", {1, 1}},
      {{1, 7, 7, 2}, {2, 2, 2, 3}, {1, 1}, "SAME", {1, 1}},  // even kernel: extra pad after
      {{1, 8, 8, 2}, {4, 4, 2, 3}, {2, 2}, "SAME", {1, 1}},
      {{2, 7, 6, 2}, {3, 3, 2, 2}, {2, 2}, "SAME", {1, 1}},
      {{1, 9, 8, 2}, {3, 2, 2, 3}, {2, 2}, "VALID", {1, 1}},
      {{1, 9, 9, 2}, {3, 3, 2, 2}, {1, 1}, "SAME", {2, 2}},  // dilation 2
      {{1, 9, 10, 1}, {3, 2, 1, 2}, {1, 1}, "VALID", {2, 2}},
      {{1, 8, 9, 2}, {3, 3, 2, 2}, {2, 1}, "SAME", {1, 2}},   // mixed strides and dilations
      {{1, 3, 3, 1}, {5, 5, 1, 1}, {1, 1}, "SAME", {1, 1}},   // kernel larger than the input
      {{3, 4, 4, 5}, {1, 1, 5, 2}, {1, 1}, "VALID", {1, 1}},  // 1x1
      {{0, 4, 4, 1}, {3, 3, 1, 2}, {1, 1}, "SAME", {1, 1}},   // empty batch
      {{1, 4, 4, 0}, {3, 3, 0, 2}, {1, 1}, "SAME", {1, 1}},   // no input channels: zeros
      {{2, 16, 16, 8}, {3, 3, 8, 16}, {1, 1}, "SAME", {1, 1}},
  };
  std::vector<OpSample> out;
  uint32_t seed = 21;
  for (const Case& c : cases)
    out.push_back({absl::StrCat(c.x.to_string(), " * ", c.f.to_string(), " ", c.padding, " s",
                                c.strides[0], c.strides[1], " d", c.dilations[0], c.dilations[1]),
                   {TestTensor(c.x, d, -2, 2, seed++), TestTensor(c.f, d, -1, 1, seed++)},
                   ConvAttrs(c.strides, c.padding, c.dilations)});
  return out;
}

std::vector<RefTensor> RefConv2D(const OpSample& s) {
  const Shape &xs = s.inputs[0].shape(), &fs = s.inputs[1].shape();
  const Ints& st = SampleAttr<Ints>(s, "conv2d", "strides");
  const std::string& padding = SampleAttr<std::string>(s, "conv2d", "padding");
  const Ints& dl = SampleAttr<Ints>(s, "conv2d", "dilations");
  std::vector<double> x = Values(s.inputs[0]), f = Values(s.inputs[1]);
  RefDim h = RefWindowDim(xs[1], fs[0], st[0], dl[0], padding),
         w = RefWindowDim(xs[2], fs[1], st[1], dl[1], padding);
  RefTensor r{Shape{xs[0], h.out, w.out, fs[3]}, s.inputs[0].dtype(), {}};
  for (int64_t n = 0; n < xs[0]; ++n)
    for (int64_t oy = 0; oy < h.out; ++oy)
      for (int64_t ox = 0; ox < w.out; ++ox)
        for (int64_t o = 0; o < fs[3]; ++o) {
          double acc = 0;
          for (int64_t ky = 0; ky < fs[0]; ++ky)
            for (int64_t kx = 0; kx < fs[1]; ++kx) {
              int64_t iy = oy * st[0] + ky * dl[0] - h.pad_before,
                      ix = ox * st[1] + kx * dl[1] - w.pad_before;
              if (iy < 0 || iy >= xs[1] || ix < 0 || ix >= xs[2]) continue;  // zero padding
              for (int64_t c = 0; c < xs[3]; ++c)
                acc += x[Ravel({n, iy, ix, c}, xs)] * f[Ravel({ky, kx, c, o}, fs)];
            }
          r.values.push_back(acc);
        }
  return {r};
}

std::vector<ErrorCase> Conv2DErrors() {
  Tensor x = F32({1, 5, 5, 3}), f = F32({3, 3, 3, 2});
  return {
      {"input rank",
       {F32({3, 4}), f},
       ConvAttrs({1, 1}, "SAME"),
       "input must be rank 4 (NHWC), got shape (3, 4)"},
      {"filter rank",
       {x, F32({3, 3, 3})},
       ConvAttrs({1, 1}, "SAME"),
       "filters must be rank 4 (HWIO), got shape (3, 3, 3)"},
      {"channels",
       {x, F32({3, 3, 4, 2})},
       ConvAttrs({1, 1}, "SAME"),
       "input has 3 channels (shape (1, 5, 5, 3)) but filters expect 4 (shape (3, 3, 4, 2))"},
      {"padding",
       {x, f},
       ConvAttrs({1, 1}, "FOO"),
       "unknown padding 'FOO' (expected \"SAME\" or \"VALID\")"},
      {"padding case", {x, f}, ConvAttrs({1, 1}, "same"), "unknown padding 'same'"},
      {"zero stride",
       {x, f},
       ConvAttrs({0, 1}, "SAME"),
       "strides must be 2 positive integers, got [0, 1]"},
      {"stride count",
       {x, f},
       ConvAttrs({1}, "SAME"),
       "strides must be 2 positive integers, got [1]"},
      {"negative dilation",
       {x, f},
       ConvAttrs({1, 1}, "SAME", {1, -1}),
       "dilations must be 2 positive integers"},
      {"valid too small",
       {F32({1, 2, 5, 3}), f},
       ConvAttrs({1, 1}, "VALID"),
       "VALID padding leaves an empty output: input height 2 is smaller than the window height 3"},
      {"valid dilated too small",
       {x, f},
       ConvAttrs({1, 1}, "VALID", {1, 3}),
       "input width 5 is smaller than the window width 7"},
      {"empty filter",
       {x, F32({0, 3, 3, 2})},
       ConvAttrs({1, 1}, "SAME"),
       "filters must have a positive spatial size"},
      {"dtype",
       {constant({{{{1}}}}), constant({{{{1}}}})},
       ConvAttrs({1, 1}, "SAME"),
       "has dtype int32"},
      {"dtypes differ",
       {x, TestTensor({3, 3, 3, 2}, DType::kFloat64)},
       ConvAttrs({1, 1}, "SAME"),
       "dtype mismatch"},
      {"attr kind",
       {x, f},
       {AttrValue(Ints{1, 1}), AttrValue(int64_t{0}), AttrValue(Ints{1, 1})},
       "attribute 'padding' must be string"},
  };
}

DUET_OPINFO(.op = "conv2d", .dtypes = kFloats, .samples = Conv2DSamples, .reference = RefConv2D,
            .errors = Conv2DErrors, .rtol = 1e-4, .atol = 1e-5);

// ---- max_pool2d / avg_pool2d ----------------------------------------------------------------

Attrs PoolAttrs(Ints ksize, Ints strides, const char* padding) {
  return {AttrValue(std::move(ksize)), AttrValue(std::move(strides)),
          AttrValue(std::string(padding))};
}

std::vector<OpSample> PoolSamples(DType d) {
  struct Case {
    Shape x;
    Ints ksize, strides;
    const char* padding;
  };
  std::vector<Case> cases = {
      {{1, 4, 4, 1}, {2, 2}, {2, 2}, "VALID"},  {{2, 5, 5, 3}, {3, 3}, {2, 2}, "SAME"},
      {{1, 6, 7, 2}, {2, 2}, {1, 1}, "SAME"},   {{1, 5, 5, 2}, {3, 3}, {1, 1}, "VALID"},
      {{1, 7, 6, 1}, {3, 2}, {2, 1}, "SAME"},   {{1, 7, 6, 1}, {3, 2}, {2, 3}, "VALID"},
      {{1, 2, 3, 1}, {3, 3}, {1, 1}, "SAME"},  // window larger than the input
      {{1, 5, 5, 1}, {1, 1}, {2, 2}, "SAME"},   {{0, 4, 4, 2}, {2, 2}, {2, 2}, "SAME"},
      {{2, 16, 16, 8}, {3, 3}, {2, 2}, "SAME"},
  };
  std::vector<OpSample> out;
  uint32_t seed = 41;
  for (const Case& c : cases)
    out.push_back({absl::StrCat(c.x.to_string(), " k", c.ksize[0], c.ksize[1], " s", c.strides[0],
                                c.strides[1], " ", c.padding),
                   {TestTensor(c.x, d, -3, 3, seed++)},
                   PoolAttrs(c.ksize, c.strides, c.padding)});
  return out;
}

std::function<std::vector<RefTensor>(const OpSample&)> RefPool(bool max) {
  return [max](const OpSample& s) {
    const Shape& xs = s.inputs[0].shape();
    const char* op = max ? "max_pool2d" : "avg_pool2d";
    const Ints& k = SampleAttr<Ints>(s, op, "ksize");
    const Ints& st = SampleAttr<Ints>(s, op, "strides");
    const std::string& padding = SampleAttr<std::string>(s, op, "padding");
    std::vector<double> x = Values(s.inputs[0]);
    RefDim h = RefWindowDim(xs[1], k[0], st[0], 1, padding),
           w = RefWindowDim(xs[2], k[1], st[1], 1, padding);
    RefTensor r{Shape{xs[0], h.out, w.out, xs[3]}, s.inputs[0].dtype(), {}};
    for (int64_t n = 0; n < xs[0]; ++n)
      for (int64_t oy = 0; oy < h.out; ++oy)
        for (int64_t ox = 0; ox < w.out; ++ox)
          for (int64_t c = 0; c < xs[3]; ++c) {
            double best = -INFINITY, sum = 0;
            int count = 0;
            for (int64_t ky = 0; ky < k[0]; ++ky)
              for (int64_t kx = 0; kx < k[1]; ++kx) {
                int64_t iy = oy * st[0] + ky - h.pad_before, ix = ox * st[1] + kx - w.pad_before;
                if (iy < 0 || iy >= xs[1] || ix < 0 || ix >= xs[2])
                  continue;  // padding: not counted
                double v = x[Ravel({n, iy, ix, c}, xs)];
                best = std::max(best, v);
                sum += v;
                ++count;
              }
            r.values.push_back(max ? best : sum / count);
          }
    return std::vector<RefTensor>{r};
  };
}

std::vector<ErrorCase> PoolErrors() {
  Tensor x = F32({1, 5, 5, 2});
  return {
      {"rank",
       {F32({5, 5, 2})},
       PoolAttrs({2, 2}, {1, 1}, "SAME"),
       "input must be rank 4 (NHWC), got shape (5, 5, 2)"},
      {"ksize",
       {x},
       PoolAttrs({0, 2}, {1, 1}, "SAME"),
       "ksize must be 2 positive integers, got [0, 2]"},
      {"ksize count",
       {x},
       PoolAttrs({1, 2, 2, 1}, {1, 1}, "SAME"),
       "ksize must be 2 positive integers, got [1, 2, 2, 1]"},
      {"strides",
       {x},
       PoolAttrs({2, 2}, {1, -1}, "SAME"),
       "strides must be 2 positive integers, got [1, -1]"},
      {"padding",
       {x},
       PoolAttrs({2, 2}, {1, 1}, "FULL"),
       "unknown padding 'FULL' (expected \"SAME\" or \"VALID\")"},
      {"valid too small",
       {x},
       PoolAttrs({2, 6}, {1, 1}, "VALID"),
       "input width 5 is smaller than the window width 6"},
      {"dtype",
       {TestTensor({1, 2, 2, 1}, DType::kInt64)},
       PoolAttrs({1, 1}, {1, 1}, "SAME"),
       "has dtype int64"},
      {"attr kind",
       {x},
       {AttrValue(int64_t{2}), AttrValue(Ints{1, 1}), AttrValue(std::string("SAME"))},
       "attribute 'ksize' must be ints"},
  };
}

DUET_OPINFO(.op = "max_pool2d", .dtypes = kFloats, .samples = PoolSamples,
            .reference = RefPool(true), .errors = PoolErrors, .rtol = 1e-6, .atol = 1e-6);
DUET_OPINFO(.op = "avg_pool2d", .dtypes = kFloats, .samples = PoolSamples,
            .reference = RefPool(false), .errors = PoolErrors, .rtol = 1e-5, .atol = 1e-6);

}  // namespace
}  // namespace duet::testing
