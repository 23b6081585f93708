// OpInfo entries for the window ops' gradient ops: conv2d_backprop_input,
// conv2d_backprop_filter, max_pool2d_grad, max_pool2d_grad_grad, avg_pool2d_grad. The
// references are naive loops over doubles that spell out each op as the adjoint of the
// forward definition (every (output, window tap) pair scattered or gathered once), with TF's
// window arithmetic (RefWindowDim), independent of kernels/cpu. float32 samples include sizes
// that take the oneDNN paths (strided, dilated, asymmetric SAME padding, a 1-channel input);
// every entry has float64 samples under 400 input elements for the gradient sweep.
#include <cmath>
#include <functional>

#include "absl/strings/str_cat.h"
#include "api/duet.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

using Ints = std::vector<int64_t>;
const std::vector<DType> kFloats = {DType::kFloat32, DType::kFloat64};

Tensor F32(const Shape& s) { return TestTensor(s, DType::kFloat32); }

// ---- shared window walk ----------------------------------------------------------------------

struct Window {
  Shape x;  // NHWC input
  int64_t k_h, k_w, out_c;
  Ints strides, dilations;
  std::string padding;
  RefDim h, w;
  Shape y() const { return Shape{x[0], h.out, w.out, out_c}; }
};

Window MakeWindow(const Shape& x, int64_t k_h, int64_t k_w, int64_t out_c, const Ints& strides,
                  const std::string& padding, const Ints& dilations) {
  return Window{x,
                k_h,
                k_w,
                out_c,
                strides,
                dilations,
                padding,
                RefWindowDim(x[1], k_h, strides[0], dilations[0], padding),
                RefWindowDim(x[2], k_w, strides[1], dilations[1], padding)};
}

// fn(n, oy, ox, ky, kx, iy, ix) for every window tap inside the input.
void ForTaps(
    const Window& g,
    const std::function<void(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t)>& fn) {
  for (int64_t n = 0; n < g.x[0]; ++n)
    for (int64_t oy = 0; oy < g.h.out; ++oy)
      for (int64_t ox = 0; ox < g.w.out; ++ox)
        for (int64_t ky = 0; ky < g.k_h; ++ky)
          for (int64_t kx = 0; kx < g.k_w; ++kx) {
            int64_t iy = oy * g.strides[0] + ky * g.dilations[0] - g.h.pad_before;
            int64_t ix = ox * g.strides[1] + kx * g.dilations[1] - g.w.pad_before;
            if (iy >= 0 && iy < g.x[1] && ix >= 0 && ix < g.x[2]) fn(n, oy, ox, ky, kx, iy, ix);
          }
}

// ---- conv2d_backprop_input / conv2d_backprop_filter ------------------------------------------

Attrs ConvGradAttrs(const Shape& shape, Ints strides, const char* padding,
                    Ints dilations = {1, 1}) {
  return {AttrValue(shape), AttrValue(std::move(strides)), AttrValue(std::string(padding)),
          AttrValue(std::move(dilations))};
}

struct ConvCase {
  Shape x, f;
  Ints strides;
  const char* padding;
  Ints dilations;
};
std::vector<ConvCase> ConvCases() {
  return {
      {{1, 5, 5, 1}, {3, 3, 1, 2}, {1, 1}, "SAME", {1, 1}},
      {{1, 6, 5, 2}, {3, 2, 2, 2}, {1, 1}, "VALID", {1, 1}},
      {{1, 6, 6, 1}, {2, 2, 1, 2}, {1, 1}, "SAME", {1, 1}},  // even kernel: extra pad after
      {{2, 5, 4, 1}, {3, 3, 1, 2}, {2, 2}, "SAME", {1, 1}},
      {{1, 7, 6, 1}, {3, 2, 1, 2}, {2, 3}, "VALID", {1, 1}},  // strides that skip inputs
      {{1, 7, 7, 1}, {2, 2, 1, 1}, {1, 1}, "SAME", {2, 2}},   // dilation 2
      {{1, 6, 7, 1}, {3, 2, 1, 2}, {2, 1}, "SAME", {1, 2}},   // mixed strides and dilations
      {{1, 3, 3, 1}, {5, 5, 1, 1}, {1, 1}, "SAME", {1, 1}},   // kernel larger than the input
      {{2, 3, 3, 3}, {1, 1, 3, 2}, {1, 1}, "VALID", {1, 1}},  // 1x1
      {{0, 4, 4, 1}, {3, 3, 1, 2}, {1, 1}, "SAME", {1, 1}},   // empty batch
      {{1, 4, 4, 0}, {3, 3, 0, 2}, {1, 1}, "SAME", {1, 1}},   // no input channels
      {{1, 4, 4, 2}, {3, 3, 2, 0}, {1, 1}, "SAME", {1, 1}},   // no output channels
      // oneDNN in float32.
      {{2, 16, 16, 8}, {3, 3, 8, 16}, {1, 1}, "SAME", {1, 1}},
      {{2, 15, 14, 8}, {3, 3, 8, 8}, {2, 2}, "SAME", {1, 1}},
      {{2, 12, 13, 4}, {3, 3, 4, 8}, {1, 1}, "SAME", {2, 2}},
      {{4, 14, 14, 1}, {3, 3, 1, 16}, {1, 1}, "VALID", {1, 1}},
      {{2, 9, 10, 3}, {4, 2, 3, 5}, {2, 1}, "SAME", {1, 2}},
  };
}

std::string ConvName(const ConvCase& c) {
  return absl::StrCat(c.x.to_string(), " * ", c.f.to_string(), " ", c.padding, " s", c.strides[0],
                      c.strides[1], " d", c.dilations[0], c.dilations[1]);
}

Shape ConvOutput(const ConvCase& c) {
  return MakeWindow(c.x, c.f[0], c.f[1], c.f[3], c.strides, c.padding, c.dilations).y();
}

std::vector<OpSample> BackpropInputSamples(DType d) {
  std::vector<OpSample> out;
  uint32_t seed = 301;
  for (const ConvCase& c : ConvCases())
    out.push_back({ConvName(c),
                   {TestTensor(c.f, d, -1, 1, seed++), TestTensor(ConvOutput(c), d, -2, 2, seed++)},
                   ConvGradAttrs(c.x, c.strides, c.padding, c.dilations)});
  return out;
}

std::vector<OpSample> BackpropFilterSamples(DType d) {
  std::vector<OpSample> out;
  uint32_t seed = 401;
  for (const ConvCase& c : ConvCases())
    out.push_back({ConvName(c),
                   {TestTensor(c.x, d, -2, 2, seed++), TestTensor(ConvOutput(c), d, -2, 2, seed++)},
                   ConvGradAttrs(c.f, c.strides, c.padding, c.dilations)});
  return out;
}

// dx[n, iy, ix, c] = sum over taps landing on (iy, ix) of dy[n, oy, ox, o] * f[ky, kx, c, o].
std::vector<RefTensor> RefBackpropInput(const OpSample& s) {
  const char* op = "conv2d_backprop_input";
  const Shape& xs = SampleAttr<Shape>(s, op, "input_shape");
  const Shape &fs = s.inputs[0].shape(), &ys = s.inputs[1].shape();
  Window g =
      MakeWindow(xs, fs[0], fs[1], fs[3], SampleAttr<Ints>(s, op, "strides"),
                 SampleAttr<std::string>(s, op, "padding"), SampleAttr<Ints>(s, op, "dilations"));
  std::vector<double> f = Values(s.inputs[0]), dy = Values(s.inputs[1]);
  RefTensor r{xs, s.inputs[0].dtype(), std::vector<double>(xs.num_elements(), 0.0)};
  ForTaps(g,
          [&](int64_t n, int64_t oy, int64_t ox, int64_t ky, int64_t kx, int64_t iy, int64_t ix) {
            for (int64_t c = 0; c < xs[3]; ++c)
              for (int64_t o = 0; o < fs[3]; ++o)
                r.values[Ravel({n, iy, ix, c}, xs)] +=
                    dy[Ravel({n, oy, ox, o}, ys)] * f[Ravel({ky, kx, c, o}, fs)];
          });
  return {r};
}

// df[ky, kx, c, o] = sum over outputs of x[n, iy, ix, c] * dy[n, oy, ox, o].
std::vector<RefTensor> RefBackpropFilter(const OpSample& s) {
  const char* op = "conv2d_backprop_filter";
  const Shape& fs = SampleAttr<Shape>(s, op, "filter_shape");
  const Shape &xs = s.inputs[0].shape(), &ys = s.inputs[1].shape();
  Window g =
      MakeWindow(xs, fs[0], fs[1], fs[3], SampleAttr<Ints>(s, op, "strides"),
                 SampleAttr<std::string>(s, op, "padding"), SampleAttr<Ints>(s, op, "dilations"));
  std::vector<double> x = Values(s.inputs[0]), dy = Values(s.inputs[1]);
  RefTensor r{fs, s.inputs[0].dtype(), std::vector<double>(fs.num_elements(), 0.0)};
  ForTaps(g,
          [&](int64_t n, int64_t oy, int64_t ox, int64_t ky, int64_t kx, int64_t iy, int64_t ix) {
            for (int64_t c = 0; c < xs[3]; ++c)
              for (int64_t o = 0; o < fs[3]; ++o)
                r.values[Ravel({ky, kx, c, o}, fs)] +=
                    x[Ravel({n, iy, ix, c}, xs)] * dy[Ravel({n, oy, ox, o}, ys)];
          });
  return {r};
}

// Errors shared by both: the attr shape, the window attrs, dy's shape, dtypes.
std::vector<ErrorCase> ConvGradErrors(bool input) {
  Shape xs{1, 5, 5, 3}, fs{3, 3, 3, 2};
  Tensor x = F32(xs), f = F32(fs), dy = F32({1, 5, 5, 2});
  const Shape& attr = input ? xs : fs;
  const Tensor& first = input ? f : x;  // the input besides dy
  auto attrs = [&](Shape s, Ints strides = {1, 1}, const char* padding = "SAME",
                   Ints dilations = {1, 1}) {
    return ConvGradAttrs(s, std::move(strides), padding, std::move(dilations));
  };
  std::vector<ErrorCase> errors = {
      {"attr rank",
       {first, dy},
       attrs(Shape{5, 5, 3}),
       input ? "input_shape must be rank 4 (NHWC), got (5, 5, 3)"
             : "filter_shape must be rank 4 (HWIO), got (5, 5, 3)"},
      {"negative attr dim",
       {first, dy},
       attrs(input ? Shape{1, 5, -1, 3} : Shape{3, 3, -1, 2}),
       "must have non-negative dims, got"},
      {"dy shape",
       {first, F32({1, 4, 5, 2})},
       attrs(attr),
       "dy has shape (1, 4, 5, 2) but conv2d of input (1, 5, 5, 3) and filters (3, 3, 3, 2) gives "
       "(1, 5, 5, 2)"},
      {"dy rank", {first, F32({5, 5, 2})}, attrs(attr), "dy has shape (5, 5, 2)"},
      {"stride",
       {first, F32({1, 3, 3, 2})},
       attrs(attr, {0, 2}),
       "strides must be 2 positive integers, got [0, 2]"},
      {"padding", {first, dy}, attrs(attr, {1, 1}, "same"), "unknown padding 'same'"},
      {"dilations",
       {first, dy},
       attrs(attr, {1, 1}, "SAME", {1}),
       "dilations must be 2 positive integers, got [1]"},
      {"valid too small",
       {first, dy},
       attrs(attr, {1, 1}, "VALID", {3, 1}),
       "input height 5 is smaller than the window height 7"},
      {"dtypes differ",
       {first, TestTensor({1, 5, 5, 2}, DType::kFloat64)},
       attrs(attr),
       "dtype mismatch"},
      {"int",
       {TestTensor(first.shape(), DType::kInt32), TestTensor({1, 5, 5, 2}, DType::kInt32)},
       attrs(attr),
       "has dtype int32"},
      {"attr kind",
       {first, dy},
       {AttrValue(Ints{1, 5, 5, 3}), AttrValue(Ints{1, 1}), AttrValue(std::string("SAME")),
        AttrValue(Ints{1, 1})},
       input ? "attribute 'input_shape' must be shape" : "attribute 'filter_shape' must be shape"},
  };
  if (input) {
    errors.push_back({"filter rank",
                      {F32({3, 3, 3}), dy},
                      attrs(xs),
                      "filters must be rank 4 (HWIO), got shape (3, 3, 3)"});
    errors.push_back(
        {"channels",
         {F32({3, 3, 4, 2}), dy},
         attrs(xs),
         "input has 3 channels (shape (1, 5, 5, 3)) but filters expect 4 (shape (3, 3, 4, 2))"});
  } else {
    errors.push_back({"input rank",
                      {F32({5, 5, 3}), dy},
                      attrs(fs),
                      "input must be rank 4 (NHWC), got shape (5, 5, 3)"});
    errors.push_back(
        {"channels",
         {x, dy},
         attrs(Shape{3, 3, 4, 2}),
         "input has 3 channels (shape (1, 5, 5, 3)) but filters expect 4 (shape (3, 3, 4, 2))"});
    errors.push_back({"empty filter",
                      {x, dy},
                      attrs(Shape{0, 3, 3, 2}),
                      "filters must have a positive spatial size"});
  }
  return errors;
}

DUET_OPINFO(
        .op = "conv2d_backprop_input", .dtypes = kFloats, .samples = BackpropInputSamples,
        .reference = RefBackpropInput, .errors = [] { return ConvGradErrors(true); }, .rtol = 1e-4,
        .atol = 1e-4);
DUET_OPINFO(
        .op = "conv2d_backprop_filter", .dtypes = kFloats, .samples = BackpropFilterSamples,
        .reference = RefBackpropFilter, .errors = [] { return ConvGradErrors(false); },
        .rtol = 1e-4, .atol = 1e-4);

// ---- max_pool2d_grad / max_pool2d_grad_grad / avg_pool2d_grad ---------------------------------

Attrs PoolAttrs(Ints ksize, Ints strides, const char* padding) {
  return {AttrValue(std::move(ksize)), AttrValue(std::move(strides)),
          AttrValue(std::string(padding))};
}

struct PoolCase {
  Shape x;
  Ints ksize, strides;
  const char* padding;
  bool ties = false;
};
std::vector<PoolCase> PoolCases() {
  return {
      {{1, 4, 4, 1}, {2, 2}, {2, 2}, "VALID"},
      {{1, 5, 5, 2}, {3, 3}, {2, 2}, "SAME"},
      {{1, 5, 6, 1}, {2, 2}, {1, 1}, "SAME"},
      {{2, 5, 5, 1}, {3, 3}, {1, 1}, "VALID"},  // overlapping windows
      {{1, 7, 6, 1}, {3, 2}, {2, 1}, "SAME"},
      {{1, 7, 6, 1}, {3, 2}, {2, 3}, "VALID"},
      {{1, 2, 3, 1}, {3, 3}, {1, 1}, "SAME"},  // window larger than the input
      {{1, 5, 5, 1}, {1, 1}, {2, 2}, "SAME"},
      {{0, 4, 4, 2}, {2, 2}, {2, 2}, "SAME"},
      {{2, 16, 16, 8}, {3, 3}, {2, 2}, "SAME"},  // oneDNN (average) in float32
      {{2, 15, 14, 4}, {2, 3}, {2, 2}, "SAME"},
      // All-equal windows: the first element of each window takes the gradient (> 400 inputs,
      // so the gradient sweep, whose finite differences would break the ties, skips it).
      {{1, 12, 12, 3}, {3, 3}, {2, 2}, "SAME", true},
  };
}

std::string PoolName(const PoolCase& c) {
  return absl::StrCat(c.x.to_string(), " k", c.ksize[0], c.ksize[1], " s", c.strides[0],
                      c.strides[1], " ", c.padding, c.ties ? " ties" : "");
}

Window PoolWindow(const Shape& x, const OpSample& s, const char* op) {
  const Ints& k = SampleAttr<Ints>(s, op, "ksize");
  return MakeWindow(x, k[0], k[1], x[3], SampleAttr<Ints>(s, op, "strides"),
                    SampleAttr<std::string>(s, op, "padding"), {1, 1});
}

// inputs (x, max_pool2d(x), g): g is dy (y's shape) for the grad, ddx (x's shape) for grad_grad.
std::function<std::vector<OpSample>(DType)> MaxPoolGradSamples(bool grad_grad) {
  return [grad_grad](DType d) {
    std::vector<OpSample> out;
    uint32_t seed = grad_grad ? 601 : 501;
    for (const PoolCase& c : PoolCases()) {
      Tensor x = c.ties ? fill(c.x, 1.0, d) : TestTensor(c.x, d, -3, 3, seed++);
      Tensor y = max_pool2d(x, {int(c.ksize[0]), int(c.ksize[1])},
                            {int(c.strides[0]), int(c.strides[1])}, c.padding);
      Tensor g = TestTensor(grad_grad ? x.shape() : y.shape(), d, -2, 2, seed++);
      out.push_back({PoolName(c), {x, y, g}, PoolAttrs(c.ksize, c.strides, c.padding)});
    }
    return out;
  };
}

std::vector<OpSample> AvgPoolGradSamples(DType d) {
  std::vector<OpSample> out;
  uint32_t seed = 701;
  for (const PoolCase& c : PoolCases()) {
    Attrs attrs = PoolAttrs(c.ksize, c.strides, c.padding);
    attrs.insert(attrs.begin(), AttrValue(c.x));
    OpSample shape_only{PoolName(c), {}, attrs};
    Window g = PoolWindow(c.x, shape_only, "avg_pool2d_grad");
    out.push_back({PoolName(c), {TestTensor(g.y(), d, -2, 2, seed++)}, attrs});
  }
  return out;
}

// Flat index into x of each output element's window maximum (the first one in window order).
std::vector<int64_t> RefArgmax(const Window& g, const std::vector<double>& x) {
  const Shape ys = g.y();
  std::vector<int64_t> arg(ys.num_elements(), -1);
  ForTaps(g, [&](int64_t n, int64_t oy, int64_t ox, int64_t, int64_t, int64_t iy, int64_t ix) {
    for (int64_t c = 0; c < g.x[3]; ++c) {
      int64_t o = Ravel({n, oy, ox, c}, ys), i = Ravel({n, iy, ix, c}, g.x);
      if (arg[o] < 0 || x[i] > x[arg[o]]) arg[o] = i;
    }
  });
  return arg;
}

std::function<std::vector<RefTensor>(const OpSample&)> RefMaxPoolGrad(bool grad_grad) {
  return [grad_grad](const OpSample& s) {
    Window g =
        PoolWindow(s.inputs[0].shape(), s, grad_grad ? "max_pool2d_grad_grad" : "max_pool2d_grad");
    std::vector<double> x = Values(s.inputs[0]), grad = Values(s.inputs[2]);
    std::vector<int64_t> arg = RefArgmax(g, x);
    RefTensor r{grad_grad ? g.y() : g.x, s.inputs[0].dtype(), {}};
    r.values.assign(r.shape.num_elements(), 0.0);
    for (size_t o = 0; o < arg.size(); ++o) {
      if (grad_grad)
        r.values[o] = grad[arg[o]];
      else
        r.values[arg[o]] += grad[o];
    }
    return std::vector<RefTensor>{r};
  };
}

// dx[i] = sum over the windows holding i of dy / (the window's number of real inputs).
std::vector<RefTensor> RefAvgPoolGrad(const OpSample& s) {
  const Shape& xs = SampleAttr<Shape>(s, "avg_pool2d_grad", "input_shape");
  Window g = PoolWindow(xs, s, "avg_pool2d_grad");
  const Shape ys = g.y();
  std::vector<double> dy = Values(s.inputs[0]),
                      count(ys.num_elements() / std::max<int64_t>(xs[3], 1), 0.0);
  ForTaps(g, [&](int64_t n, int64_t oy, int64_t ox, int64_t, int64_t, int64_t, int64_t) {
    count[(n * ys[1] + oy) * ys[2] + ox] += 1;
  });
  RefTensor r{xs, s.inputs[0].dtype(), std::vector<double>(xs.num_elements(), 0.0)};
  ForTaps(g, [&](int64_t n, int64_t oy, int64_t ox, int64_t, int64_t, int64_t iy, int64_t ix) {
    for (int64_t c = 0; c < xs[3]; ++c)
      r.values[Ravel({n, iy, ix, c}, xs)] +=
          dy[Ravel({n, oy, ox, c}, ys)] / count[(n * ys[1] + oy) * ys[2] + ox];
  });
  return {r};
}

std::function<std::vector<ErrorCase>()> MaxPoolGradErrors(bool grad_grad) {
  return [grad_grad] {
    Tensor x = F32({1, 5, 5, 2}), y = F32({1, 3, 3, 2});
    Tensor g = grad_grad ? x : y;
    Attrs a = PoolAttrs({2, 2}, {2, 2}, "SAME");
    std::vector<ErrorCase> errors = {
        {"rank", {F32({5, 5, 2}), y, g}, a, "input must be rank 4 (NHWC), got shape (5, 5, 2)"},
        {"output shape",
         {x, F32({1, 2, 2, 2}), g},
         a,
         "output has shape (1, 2, 2, 2) but max_pool2d of input (1, 5, 5, 2) gives (1, 3, 3, 2)"},
        {"ksize",
         {x, y, g},
         PoolAttrs({0, 2}, {2, 2}, "SAME"),
         "ksize must be 2 positive integers, got [0, 2]"},
        {"strides",
         {x, y, g},
         PoolAttrs({2, 2}, {2}, "SAME"),
         "strides must be 2 positive integers, got [2]"},
        {"padding", {x, y, g}, PoolAttrs({2, 2}, {2, 2}, "FULL"), "unknown padding 'FULL'"},
        {"valid too small",
         {x, y, g},
         PoolAttrs({6, 2}, {1, 1}, "VALID"),
         "input height 5 is smaller than the window height 6"},
        {"dtypes differ", {x, y, TestTensor(g.shape(), DType::kFloat64)}, a, "dtype mismatch"},
        {"int",
         {TestTensor({1, 5, 5, 2}, DType::kInt32), TestTensor({1, 3, 3, 2}, DType::kInt32),
          TestTensor(g.shape(), DType::kInt32)},
         a,
         "has dtype int32"},
        {"attr kind",
         {x, y, g},
         {AttrValue(int64_t{2}), AttrValue(Ints{2, 2}), AttrValue(std::string("SAME"))},
         "attribute 'ksize' must be ints"},
    };
    if (grad_grad)
      errors.push_back({"ddx shape",
                        {x, y, y},
                        a,
                        "ddx has shape (1, 3, 3, 2) but the input has shape (1, 5, 5, 2)"});
    else
      errors.push_back(
          {"dy shape",
           {x, y, x},
           a,
           "dy has shape (1, 5, 5, 2) but max_pool2d of input (1, 5, 5, 2) gives (1, 3, 3, 2)"});
    return errors;
  };
}

std::vector<ErrorCase> AvgPoolGradErrors() {
  Tensor dy = F32({1, 3, 3, 2});
  auto attrs = [](Shape s, Ints ksize = {2, 2}, Ints strides = {2, 2},
                  const char* padding = "SAME") {
    Attrs a = PoolAttrs(std::move(ksize), std::move(strides), padding);
    a.insert(a.begin(), AttrValue(std::move(s)));
    return a;
  };
  return {
      {"attr rank",
       {dy},
       attrs(Shape{5, 5, 2}),
       "input_shape must be rank 4 (NHWC), got (5, 5, 2)"},
      {"negative attr dim",
       {dy},
       attrs(Shape{1, -1, 5, 2}),
       "input_shape must have non-negative dims, got (1, -1, 5, 2)"},
      {"dy shape",
       {F32({1, 2, 3, 2})},
       attrs(Shape{1, 5, 5, 2}),
       "dy has shape (1, 2, 3, 2) but avg_pool2d of input (1, 5, 5, 2) gives (1, 3, 3, 2)"},
      {"ksize",
       {dy},
       attrs(Shape{1, 5, 5, 2}, {2, 2, 2}),
       "ksize must be 2 positive integers, got [2, 2, 2]"},
      {"padding",
       {dy},
       attrs(Shape{1, 5, 5, 2}, {2, 2}, {2, 2}, "valid"),
       "unknown padding 'valid'"},
      {"int",
       {TestTensor({1, 3, 3, 2}, DType::kInt64)},
       attrs(Shape{1, 5, 5, 2}),
       "has dtype int64"},
      {"attr kind",
       {dy},
       {AttrValue(Ints{1, 5, 5, 2}), AttrValue(Ints{2, 2}), AttrValue(Ints{2, 2}),
        AttrValue(std::string("SAME"))},
       "attribute 'input_shape' must be shape"},
  };
}

DUET_OPINFO(.op = "max_pool2d_grad", .dtypes = kFloats, .samples = MaxPoolGradSamples(false),
            .reference = RefMaxPoolGrad(false), .errors = MaxPoolGradErrors(false), .rtol = 1e-6,
            .atol = 1e-6);
DUET_OPINFO(.op = "max_pool2d_grad_grad", .dtypes = kFloats, .samples = MaxPoolGradSamples(true),
            .reference = RefMaxPoolGrad(true), .errors = MaxPoolGradErrors(true), .rtol = 1e-6,
            .atol = 1e-6);
DUET_OPINFO(.op = "avg_pool2d_grad", .dtypes = kFloats, .samples = AvgPoolGradSamples,
            .reference = RefAvgPoolGrad, .errors = AvgPoolGradErrors, .rtol = 1e-5, .atol = 1e-6);

}  // namespace
}  // namespace duet::testing
