// OpInfo entries for the reductions (reduce_sum/mean/max/min), argmax and cast. References
// walk every input element through Unravel/Ravel in double; they share nothing with the
// kernels' collapsed-dim, pairwise loops.
#include <cmath>
#include <limits>

#include "api/duet.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

using Ints = std::vector<int64_t>;
const std::vector<DType> kNumeric = {DType::kFloat32, DType::kFloat64, DType::kInt32,
                                     DType::kInt64};
const std::vector<DType> kAllDTypes = {DType::kFloat32, DType::kFloat64, DType::kInt32,
                                       DType::kInt64,   DType::kBool,    DType::kFloat16,
                                       DType::kBFloat16};
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Tensor F32(const Shape& s) { return TestTensor(s, DType::kFloat32); }
Attrs ReduceAttrs(Ints axes, bool keepdims) {
  return {AttrValue(std::move(axes)), AttrValue(keepdims)};
}
// A tensor of `dtype` holding `values` (converted element by element).
Tensor Make(const std::vector<double>& values, const Shape& shape, DType dtype) {
  return internal::MakeTensor(values.data(), shape, dtype);
}

// ---- reductions -----------------------------------------------------------------------------
enum class Kind { kSum, kMean, kMax, kMin };

std::vector<RefTensor> RefReduce(const OpSample& s, Kind kind) {
  const Tensor& x = s.inputs[0];
  const Shape& shape = x.shape();
  Ints axes = SampleAttr<Ints>(s, "reduce_sum", "axes");
  bool keepdims = SampleAttr<bool>(s, "reduce_sum", "keepdims");
  std::vector<bool> reduced(shape.rank(), axes.empty());
  for (int64_t a : axes) reduced[a < 0 ? a + shape.rank() : a] = true;
  Shape out_shape, full_out;  // full_out keeps reduced dims as 1 (for indexing)
  for (int d = 0; d < shape.rank(); ++d) {
    full_out.push_back(reduced[d] ? 1 : shape[d]);
    if (!reduced[d] || keepdims) out_shape.push_back(reduced[d] ? 1 : shape[d]);
  }
  int64_t n_out = full_out.num_elements();
  std::vector<double> acc(n_out, kind == Kind::kMax ? -kInf : kind == Kind::kMin ? kInf : 0.0);
  std::vector<int64_t> count(n_out, 0);
  std::vector<double> in = Values(x);
  for (int64_t i = 0; i < x.num_elements(); ++i) {
    std::vector<int64_t> idx = Unravel(i, shape);
    for (int d = 0; d < shape.rank(); ++d)
      if (reduced[d]) idx[d] = 0;
    int64_t o = Ravel(idx, full_out);
    double v = in[i];
    ++count[o];
    if (kind == Kind::kSum || kind == Kind::kMean)
      acc[o] += v;
    else if (std::isnan(acc[o]) || std::isnan(v))
      acc[o] = kNaN;
    else
      acc[o] = kind == Kind::kMax ? std::max(acc[o], v) : std::min(acc[o], v);
  }
  if (kind == Kind::kMean)
    for (int64_t o = 0; o < n_out; ++o) {
      double m = acc[o] / static_cast<double>(count[o]);  // 0/0 = NaN for an empty float mean
      acc[o] = IsInteger(x.dtype()) ? std::trunc(m) : m;
    }
  return {RefTensor{out_shape, x.dtype(), acc}};
}

// Samples valid for every reduction and dtype: a reduced dim is never 0.
std::vector<OpSample> ReduceSamples(DType d) {
  std::vector<std::tuple<Shape, Ints, bool>> cases = {{Shape{2, 3, 4}, {}, false},
                                                      {Shape{2, 3, 4}, {}, true},
                                                      {Shape{2, 3, 4}, {0}, false},
                                                      {Shape{2, 3, 4}, {1}, true},
                                                      {Shape{2, 3, 4}, {-1}, false},
                                                      {Shape{2, 3, 4}, {0, 2}, false},
                                                      {Shape{2, 3, 4}, {2, 0}, true},
                                                      {Shape{2, 3, 4}, {-2, -1}, false},
                                                      {Shape{}, {}, false},
                                                      {Shape{}, {}, true},
                                                      {Shape{5}, {0}, false},
                                                      {Shape{3, 1, 4}, {1}, false},
                                                      {Shape{1, 1}, {0}, true},
                                                      {Shape{1000}, {}, false},
                                                      {Shape{4, 300}, {-1}, false},
                                                      {Shape{300, 5}, {0}, false},
                                                      {Shape{2, 3, 4, 5}, {1, 3}, true},
                                                      {Shape{2, 3, 4, 5}, {0, 3}, false},
                                                      {Shape{2, 3, 4, 5}, {1, 2}, false},
                                                      {Shape{0, 3}, {1}, false},
                                                      {Shape{3, 0}, {0}, true}};
  std::vector<OpSample> out;
  uint32_t seed = 1;
  for (auto& [shape, axes, keep] : cases) {
    std::string name = shape.to_string() + " axes [" + std::to_string(axes.size()) + "]";
    for (int64_t a : axes) name += " " + std::to_string(a);
    if (keep) name += " keepdims";
    out.push_back({name, {TestTensor(shape, d, -5, 5, seed++)}, ReduceAttrs(axes, keep)});
  }
  if (IsFloating(d)) {  // NaN propagates
    Tensor x = Make({1, kNaN, 3, 4, 5, 6}, Shape{2, 3}, d);
    out.push_back({"NaN rows", {x}, ReduceAttrs({1}, false)});
    out.push_back({"NaN all", {x}, ReduceAttrs({}, false)});
    out.push_back({"inf", {Make({-kInf, 1, kInf, 2}, Shape{4}, d)}, ReduceAttrs({0}, false)});
  }
  return out;
}

// Plus the empty reductions sum and (float) mean define.
std::vector<OpSample> EmptyReduceSamples(DType d, bool sum) {
  std::vector<OpSample> out = ReduceSamples(d);
  if (!sum && !IsFloating(d)) return out;
  out.push_back({"(0, 3) axes 0", {TestTensor({0, 3}, d)}, ReduceAttrs({0}, false)});
  out.push_back({"(0,) all keepdims", {TestTensor({0}, d)}, ReduceAttrs({}, true)});
  out.push_back({"(2, 0, 3) axes 1", {TestTensor({2, 0, 3}, d)}, ReduceAttrs({1}, false)});
  return out;
}

std::vector<ErrorCase> ReduceErrors(bool needs_elements_for_all) {
  std::vector<ErrorCase> e = {
      {"axis too big",
       {F32({2, 3})},
       ReduceAttrs({2}, false),
       "axis 2 is out of range for shape (2, 3)"},
      {"axis too negative",
       {F32({2, 3})},
       ReduceAttrs({0, -3}, false),
       "axis -3 is out of range for shape (2, 3)"},
      {"scalar axis", {F32({})}, ReduceAttrs({0}, false), "axis 0 is out of range for shape ()"},
      {"duplicate",
       {F32({2, 3})},
       ReduceAttrs({0, -2}, false),
       "duplicate axis -2 in axes [0, -2] for shape (2, 3)"},
      {"bool", {constant({true, false})}, ReduceAttrs({}, false), "has dtype bool"},
      {"float16", {TestTensor({2}, DType::kFloat16)}, ReduceAttrs({}, false), "has dtype float16"},
      {"attr kind",
       {F32({2, 3})},
       {AttrValue(int64_t{0}), AttrValue(false)},
       "attribute 'axes' must be ints"},
      {"arity", {}, ReduceAttrs({}, false), "expects 1 inputs, got 0"},
  };
  if (needs_elements_for_all) {
    e.push_back({"empty axis",
                 {F32({0, 3})},
                 ReduceAttrs({0}, false),
                 "zero-size dimension 0 of shape (0, 3)"});
    e.push_back({"empty all",
                 {F32({2, 0})},
                 ReduceAttrs({}, false),
                 "zero-size dimension 1 of shape (2, 0)"});
  } else {
    e.push_back({"int empty mean",
                 {TestTensor({0, 3}, DType::kInt32)},
                 ReduceAttrs({0}, false),
                 "cannot reduce int32 over zero-size dimension 0 of shape (0, 3)"});
  }
  return e;
}

DUET_OPINFO(
        .op = "reduce_sum", .dtypes = kNumeric,
        .samples = [](DType d) { return EmptyReduceSamples(d, true); },
        .reference = [](const OpSample& s) { return RefReduce(s, Kind::kSum); },
        .errors =
            [] {
              auto e = ReduceErrors(false);
              e.pop_back();  // an empty sum is 0 for every dtype
              return e;
            });
DUET_OPINFO(
        .op = "reduce_mean", .dtypes = kNumeric,
        .samples = [](DType d) { return EmptyReduceSamples(d, false); },
        .reference = [](const OpSample& s) { return RefReduce(s, Kind::kMean); },
        .errors = [] { return ReduceErrors(false); });
DUET_OPINFO(
        .op = "reduce_max", .dtypes = kNumeric, .samples = ReduceSamples,
        .reference = [](const OpSample& s) { return RefReduce(s, Kind::kMax); },
        .errors = [] { return ReduceErrors(true); });
DUET_OPINFO(
        .op = "reduce_min", .dtypes = kNumeric, .samples = ReduceSamples,
        .reference = [](const OpSample& s) { return RefReduce(s, Kind::kMin); },
        .errors = [] { return ReduceErrors(true); });

// ---- argmax ---------------------------------------------------------------------------------
DUET_OPINFO(
        .op = "argmax", .dtypes = kNumeric,
        .samples =
            [](DType d) {
              std::vector<std::pair<Shape, int64_t>> cases = {
                  {Shape{5}, 0},       {Shape{2, 3, 4}, 0},  {Shape{2, 3, 4}, 1},
                  {Shape{2, 3, 4}, 2}, {Shape{2, 3, 4}, -1}, {Shape{300, 4}, 0},
                  {Shape{4, 300}, 1},  {Shape{3, 0}, 0},     {Shape{1, 1}, -2},
                  {Shape{6, 1}, 0}};
              std::vector<OpSample> out;
              uint32_t seed = 5;
              // Integer samples in [-2, 2) are full of ties: the first index must win.
              for (auto& [shape, axis] : cases)
                out.push_back({shape.to_string() + " axis " + std::to_string(axis),
                               {TestTensor(shape, d, -2, 2, seed++)},
                               {AttrValue(axis)}});
              if (IsFloating(d)) {
                Tensor x = Make({1, kNaN, 9, kNaN, 5, 6, 7, 8}, Shape{2, 4}, d);
                out.push_back({"NaN wins (rows)", {x}, {AttrValue(int64_t{1})}});
                out.push_back({"NaN wins (cols)", {x}, {AttrValue(int64_t{0})}});
                out.push_back(
                    {"-inf only", {Make({-kInf, -kInf}, Shape{2}, d)}, {AttrValue(int64_t{0})}});
              }
              return out;
            },
        .reference =
            [](const OpSample& s) {
              const Shape& shape = s.inputs[0].shape();
              int axis = static_cast<int>(SampleAttr<int64_t>(s, "argmax", "axis"));
              if (axis < 0) axis += shape.rank();
              Shape out_shape = shape;
              out_shape.erase(axis);
              std::vector<double> in = Values(s.inputs[0]);
              RefTensor r{out_shape, DType::kInt64, {}};
              for (int64_t o = 0; o < out_shape.num_elements(); ++o) {
                std::vector<int64_t> idx = Unravel(o, out_shape);
                idx.insert(idx.begin() + axis, 0);
                double best = in[Ravel(idx, shape)];
                int64_t at = 0;
                for (int64_t k = 1; k < shape[axis]; ++k) {
                  idx[axis] = k;
                  double v = in[Ravel(idx, shape)];
                  if (!std::isnan(best) && (std::isnan(v) || v > best)) best = v, at = k;
                }
                r.values.push_back(static_cast<double>(at));
              }
              return std::vector<RefTensor>{r};
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"axis",
                   {F32({2, 3})},
                   {AttrValue(int64_t{2})},
                   "axis 2 is out of range for shape (2, 3)"},
                  {"negative axis",
                   {F32({2, 3})},
                   {AttrValue(int64_t{-3})},
                   "axis -3 is out of range for shape (2, 3)"},
                  {"scalar",
                   {F32({})},
                   {AttrValue(int64_t{0})},
                   "axis 0 is out of range for shape ()"},
                  {"empty axis",
                   {F32({3, 0})},
                   {AttrValue(int64_t{1})},
                   "zero-size dimension 1 of shape (3, 0)"},
                  {"bool", {constant({true})}, {AttrValue(int64_t{0})}, "has dtype bool"},
                  {"attr kind", {F32({2})}, {AttrValue(Ints{0})}, "attribute 'axis' must be int"}};
            });

// ---- cast -----------------------------------------------------------------------------------
// The defined conversion of one value (see kernels/cast_ops.h), computed in double.
double RefCast(double v, DType from, DType to) {
  auto to_int = [&](double bits) {  // bits - 1 = log2 of the saturation limit
    double limit = std::ldexp(1.0, static_cast<int>(bits) - 1);
    if (IsInteger(from)) {  // two's complement wrap
      int64_t i = static_cast<int64_t>(v);
      return bits == 32 ? static_cast<double>(static_cast<int32_t>(i)) : static_cast<double>(i);
    }
    if (std::isnan(v)) return 0.0;
    if (v >= limit) return limit - 1;
    if (v < -limit) return -limit;
    return std::trunc(v);
  };
  switch (to) {
    case DType::kFloat64:
      return v;
    case DType::kFloat32:
      return std::abs(v) > 3.5e38 ? std::copysign(kInf, v)
                                  : static_cast<double>(static_cast<float>(v));
    case DType::kFloat16:
      return static_cast<float>(Half(static_cast<float>(v)));
    case DType::kBFloat16:
      return static_cast<float>(BFloat16(static_cast<float>(v)));
    case DType::kInt32:
      return to_int(32);
    case DType::kInt64:
      return to_int(64);
    case DType::kBool:
      return v != 0 ? 1.0 : 0.0;
  }
  return kNaN;
}

// Values that exercise every rule: truncation, NaN, infinities, saturation, wrap, rounding.
Tensor CastSpecials(DType d) {
  if (d == DType::kBool) return Make({1, 0, 1}, Shape{3}, d);
  if (d == DType::kInt32)
    return Make({2147483647, -2147483648.0, 16777217, -1, 0, 70000, 300}, Shape{7}, d);
  if (d == DType::kInt64)
    return Make({5000000000.0, -5000000000.0, 2147483648.0, -2147483649.0, 16777217, -1, 0, 70000},
                Shape{8}, d);
  return Make({kNaN, kInf, -kInf, -1.7,  1.7,   -0.5,  0.5,  0,        -0.0, 2.5,
               3e9,  -3e9, 1e20,  -1e20, 65504, 70000, 1e-8, 16777217, 1e39, -1e39},
              Shape{20}, d);
}

DUET_OPINFO(
        .op = "cast", .dtypes = kAllDTypes,
        .samples =
            [](DType d) {
              std::vector<OpSample> out;
              for (DType to : kAllDTypes) {
                std::string name = std::string(DTypeName(d)) + " -> " + DTypeName(to);
                out.push_back({name + " specials", {CastSpecials(d)}, {AttrValue(to)}});
                out.push_back(
                    {name + " (3, 4)", {TestTensor({3, 4}, d, -4, 4, 3)}, {AttrValue(to)}});
                out.push_back({name + " scalar", {TestTensor({}, d, -4, 4, 4)}, {AttrValue(to)}});
                out.push_back({name + " empty", {TestTensor({0, 2}, d)}, {AttrValue(to)}});
              }
              return out;
            },
        .reference =
            [](const OpSample& s) {
              DType from = s.inputs[0].dtype(), to = SampleAttr<DType>(s, "cast", "dtype");
              RefTensor r{s.inputs[0].shape(), to, {}};
              for (double v : Values(s.inputs[0])) r.values.push_back(RefCast(v, from, to));
              return std::vector<RefTensor>{r};
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"attr kind",
                   {F32({2})},
                   {AttrValue(int64_t{1})},
                   "attribute 'dtype' must be dtype"},
                  {"no attr", {F32({2})}, {}, "expects 1 attributes, got 0"},
                  {"arity", {}, {AttrValue(DType::kInt32)}, "expects 1 inputs, got 0"}};
            });

}  // namespace
}  // namespace duet::testing
