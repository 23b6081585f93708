// OpInfo entries for random_normal and random_uniform. Values are not compared with a
// reference; each entry's check runs the op again with the same attrs and demands identical
// bits (explicit seed) or different values (seed -1), values inside [lo, hi) for uniform, and
// sample mean/stddev within tolerance of the requested ones over 10000 values.
#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "api/duet.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

const std::vector<DType> kFloats = {DType::kFloat32, DType::kFloat64};

Attrs RandomAttrs(const Shape& shape, DType dtype, int64_t seed, double a, double b) {
  return {AttrValue(shape), AttrValue(dtype), AttrValue(seed), AttrValue(a), AttrValue(b)};
}

// Samples: (shape, seed, a, b); the attrs carry the dtype.
std::vector<OpSample> RandomSamples(DType d, bool normal) {
  struct Case {
    Shape shape;
    int64_t seed;
    double a, b;
  };
  std::vector<Case> cases =
      normal ? std::vector<Case>{{Shape{100, 100}, 7, 0, 1}, {Shape{10000}, 123, 2, 0.5},
                                 {Shape{}, 1, 0, 1},         {Shape{5}, 3, 3, 0},
                                 {Shape{0, 3}, 4, 0, 1},     {Shape{7}, -1, -1, 2},
                                 {Shape{3, 3}, 0, 0, 1}}
             : std::vector<Case>{{Shape{100, 100}, 7, 0, 1}, {Shape{10000}, 9, -2, 3},
                                 {Shape{}, 1, 0, 1},         {Shape{5}, 4, 1, 1},
                                 {Shape{0, 3}, 4, 0, 1},     {Shape{7}, -1, -1, 2},
                                 {Shape{3, 3}, 0, 5, 6}};
  std::vector<OpSample> out;
  for (const Case& c : cases)
    out.push_back({absl::StrCat(c.shape.to_string(), " seed ", c.seed, " a ", c.a, " b ", c.b),
                   {},
                   RandomAttrs(c.shape, d, c.seed, c.a, c.b)});
  return out;
}

std::string CheckRandom(const std::string& op_name, const OpSample& s,
                        const std::vector<Tensor>& outs) {
  const Tensor& y = outs[0];
  int64_t seed = SampleAttr<int64_t>(s, op_name, "seed");
  double a = SampleAttr<double>(s, op_name, "a"), b = SampleAttr<double>(s, op_name, "b");
  bool normal = op_name == "random_normal";
  if (y.shape() != SampleAttr<Shape>(s, op_name, "shape") ||
      y.dtype() != SampleAttr<DType>(s, op_name, "dtype"))
    return "wrong output spec " + y.spec().to_string();
  std::vector<double> v = Values(y);

  // Determinism: the same explicit seed gives the same bits; seed -1 gives fresh values.
  TensorList again = *Dispatch(*OpRegistry::Get().Find(op_name), {}, s.attrs, Loc::current());
  bool same = std::memcmp(again[0].raw_data(), y.raw_data(), y.num_bytes()) == 0;
  if (seed != -1 && !same) return "a fixed seed gave different values on a second call";
  if (seed == -1 && y.num_elements() > 1 && same) return "seed -1 gave the same values twice";

  for (double x : v) {
    if (!std::isfinite(x)) return absl::StrCat("non-finite value ", x);
    if (!normal && !(a == b ? x == a : (x >= a && x < b)))
      return absl::StrCat("uniform value ", x, " outside [", a, ", ", b, ")");
    if (normal && b == 0 && x != a) return absl::StrCat("stddev 0 gave ", x, " instead of ", a);
  }
  if (v.size() < 10000) return "";
  double mean = 0, var = 0;
  for (double x : v) mean += x;
  mean /= v.size();
  for (double x : v) var += (x - mean) * (x - mean);
  double sd = std::sqrt(var / (v.size() - 1));
  double want_mean = normal ? a : (a + b) / 2, want_sd = normal ? b : (b - a) / std::sqrt(12.0);
  // 10000 samples: the standard error of the mean is sd/100, of the stddev about sd/140.
  if (std::abs(mean - want_mean) > 0.04 * want_sd)
    return absl::StrCat("mean ", mean, " vs ", want_mean);
  if (std::abs(sd - want_sd) > 0.04 * want_sd) return absl::StrCat("stddev ", sd, " vs ", want_sd);
  if (normal) {  // tails: about 4.55% of normal values lie beyond 2 sd
    int64_t beyond = 0;
    for (double x : v) beyond += std::abs(x - a) > 2 * b;
    double frac = static_cast<double>(beyond) / v.size();
    if (std::abs(frac - 0.0455) > 0.01)
      return absl::StrCat("fraction beyond 2 sd ", frac, " vs 0.0455");
  }
  return "";
}

std::vector<ErrorCase> RandomErrors(bool normal) {
  std::vector<ErrorCase> e = {
      {"negative dim",
       {},
       RandomAttrs(Shape{2, -1}, DType::kFloat32, 1, 0, 1),
       "shape (2, -1) has a negative dimension"},
      {"int dtype",
       {},
       RandomAttrs(Shape{2}, DType::kInt32, 1, 0, 1),
       "dtype must be float32 or float64, got int32"},
      {"float16",
       {},
       RandomAttrs(Shape{2}, DType::kFloat16, 1, 0, 1),
       "dtype must be float32 or float64, got float16"},
      {"an input",
       {TestTensor({2}, DType::kFloat32)},
       RandomAttrs(Shape{2}, DType::kFloat32, 1, 0, 1),
       "expects 0 inputs, got 1"},
      {"attr kind",
       {},
       {AttrValue(Shape{2}), AttrValue(DType::kFloat32), AttrValue(1.0), AttrValue(0.0),
        AttrValue(1.0)},
       "attribute 'seed' must be int"},
  };
  if (normal) {
    e.push_back({"stddev < 0",
                 {},
                 RandomAttrs(Shape{2}, DType::kFloat32, 1, 0, -1),
                 "stddev must be finite and >= 0, got -1"});
    e.push_back({"stddev NaN",
                 {},
                 RandomAttrs(Shape{2}, DType::kFloat32, 1, 0, NAN),
                 "stddev must be finite and >= 0"});
  } else {
    e.push_back({"lo > hi",
                 {},
                 RandomAttrs(Shape{2}, DType::kFloat32, 1, 2, 1),
                 "lo must be <= hi, got lo=2 hi=1"});
    e.push_back({"infinite",
                 {},
                 RandomAttrs(Shape{2}, DType::kFloat32, 1, 0, INFINITY),
                 "lo and hi must be finite"});
  }
  return e;
}

DUET_OPINFO(
        .op = "random_normal", .dtypes = kFloats,
        .samples = [](DType d) { return RandomSamples(d, true); },
        .errors = [] { return RandomErrors(true); }, .compare_values = false,
        .check =
            [](const OpSample& s, const std::vector<Tensor>& outs) {
              return CheckRandom("random_normal", s, outs);
            });
DUET_OPINFO(
        .op = "random_uniform", .dtypes = kFloats,
        .samples = [](DType d) { return RandomSamples(d, false); },
        .errors = [] { return RandomErrors(false); }, .compare_values = false,
        .check =
            [](const OpSample& s, const std::vector<Tensor>& outs) {
              return CheckRandom("random_uniform", s, outs);
            });

}  // namespace
}  // namespace duet::testing
