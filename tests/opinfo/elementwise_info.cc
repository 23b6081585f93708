// OpInfo entries for the elementwise families: binary arithmetic, unary math, comparisons,
// logical ops and where.
#include <cmath>

#include "api/duet.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

const std::vector<DType> kNumeric = {DType::kFloat32, DType::kFloat64, DType::kInt32,
                                     DType::kInt64};
const std::vector<DType> kFloats = {DType::kFloat32, DType::kFloat64};
const DType kBoolOut = DType::kBool;

double FloorDiv(double a, double b) { return std::floor(a / b); }
double FloorMod(double a, double b) { return a - std::floor(a / b) * b; }

std::vector<ErrorCase> BinaryErrors() {
  return {
      {"broadcast",
       {TestTensor({2, 3}, DType::kFloat32), TestTensor({4}, DType::kFloat32)},
       {},
       "cannot broadcast shapes (2, 3) and (4,)"},
      {"dtype mismatch",
       {TestTensor({2}, DType::kFloat32), TestTensor({2}, DType::kInt32)},
       {},
       "dtype mismatch: float32(2,) vs int32(2,)"},
      {"arity", {TestTensor({2}, DType::kFloat32)}, {}, "expects 2 inputs, got 1"},
  };
}

std::vector<ErrorCase> IntDivByZero() {
  auto e = BinaryErrors();
  e.push_back(
      {"division by zero", {constant({1, 2}), constant({1, 0})}, {}, "integer division by zero"});
  return e;
}

// Integer-aware references for the ops whose int semantics differ from real arithmetic.
std::function<std::vector<RefTensor>(const OpSample&)> IntAware(double (*real)(double, double),
                                                                double (*integer)(double, double)) {
  return [real, integer](const OpSample& s) {
    bool is_int = IsInteger(s.inputs[0].dtype());
    return RefElementwise([=](const std::vector<double>& v) {
      return is_int ? integer(v[0], v[1]) : real(v[0], v[1]);
    })(s);
  };
}

#define BINARY(name, fn, ...)                                                           \
  DUET_OPINFO(                                                                          \
          .op = name, .dtypes = kNumeric,                                               \
          .samples = [](DType d) { return BinarySamples(d __VA_ARGS__); },              \
          .reference = RefElementwise([](const std::vector<double>& v) { return fn; }), \
          .errors = BinaryErrors)

BINARY("add", v[0] + v[1]);
BINARY("sub", v[0] - v[1]);
BINARY("mul", v[0] * v[1]);
BINARY("maximum", std::max(v[0], v[1]));
BINARY("minimum", std::min(v[0], v[1]));
BINARY("relu_grad", v[1] > 0 ? v[0] : 0.0);
#undef BINARY

DUET_OPINFO(
        .op = "div", .dtypes = kNumeric,
        .samples = [](DType d) { return BinarySamples(d, -5, 5, true); },
        .reference = IntAware([](double a, double b) { return a / b; }, FloorDiv),
        .errors = IntDivByZero);
DUET_OPINFO(
        .op = "floor_mod", .dtypes = kNumeric,
        .samples = [](DType d) { return BinarySamples(d, -5, 5, true); },
        .reference = IntAware(FloorMod, FloorMod), .errors = IntDivByZero);
DUET_OPINFO(
        .op = "pow", .dtypes = kNumeric,
        .samples = [](DType d) { return BinarySamples(d, 0.5, 3, true); },
        .reference = RefElementwise([](const std::vector<double>& v) {
          return std::pow(v[0], v[1]);
        }),
        .errors = BinaryErrors, .rtol = 1e-5);

#define UNARY(name, DTYPES, lo, hi, fn)                                        \
  DUET_OPINFO(                                                                 \
          .op = name, .dtypes = DTYPES,                                        \
          .samples = [](DType d) { return UnarySamples(d, lo, hi); },          \
          .reference = RefElementwise([](const std::vector<double>& v) {       \
            double x = v[0];                                                   \
            return fn;                                                         \
          }),                                                                  \
          .errors =                                                            \
              [] {                                                             \
                return std::vector<ErrorCase>{                                 \
                    {"bool input", {constant({true})}, {}, "has dtype bool"}}; \
              })

UNARY("neg", kNumeric, -3, 3, -x);
UNARY("abs", kNumeric, -3, 3, std::abs(x));
UNARY("square", kNumeric, -3, 3, x* x);
UNARY("relu", kNumeric, -3, 3, x > 0 ? x : 0.0);
UNARY("exp", kFloats, -3, 3, std::exp(x));
UNARY("log", kFloats, 0.1, 5, std::log(x));
UNARY("log1p", kFloats, -0.5, 5, std::log1p(x));
UNARY("sqrt", kFloats, 0, 5, std::sqrt(x));
UNARY("rsqrt", kFloats, 0.1, 5, 1 / std::sqrt(x));
UNARY("tanh", kFloats, -3, 3, std::tanh(x));
UNARY("sigmoid", kFloats, -8, 8, 1 / (1 + std::exp(-x)));
UNARY("softplus", kFloats, -8, 8, std::log(1 + std::exp(x)));
UNARY("sin", kFloats, -3, 3, std::sin(x));
UNARY("cos", kFloats, -3, 3, std::cos(x));
UNARY("floor", kFloats, -3, 3, std::floor(x));
#undef UNARY

const std::vector<DType> kAll = {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64,
                                 DType::kBool};
DUET_OPINFO(
        .op = "identity", .dtypes = kAll, .samples = [](DType d) { return UnarySamples(d); },
        .reference = RefElementwise([](const std::vector<double>& v) { return v[0]; }));
DUET_OPINFO(
        .op = "stop_gradient", .dtypes = kAll, .samples = [](DType d) { return UnarySamples(d); },
        .reference = RefElementwise([](const std::vector<double>& v) { return v[0]; }));
// print returns its input; two samples keep the sweeps' output short.
DUET_OPINFO(
        .op = "print", .dtypes = kAll,
        .samples =
            [](DType d) {
              std::vector<OpSample> out = UnarySamples(d);
              out.resize(std::min<size_t>(out.size(), 2));
              for (OpSample& s : out) s.attrs = {AttrValue(std::string("opinfo print: "))};
              return out;
            },
        .reference = RefElementwise([](const std::vector<double>& v) { return v[0]; }));

#define COMPARE(name, expr)                                                                       \
  DUET_OPINFO(                                                                                    \
          .op = name, .dtypes = kAll, .samples = [](DType d) { return BinarySamples(d, -2, 2); }, \
          .reference = RefElementwise([](const std::vector<double>& v) { return double(expr); },  \
                                      &kBoolOut),                                                 \
          .errors = BinaryErrors)
COMPARE("equal", v[0] == v[1]);
COMPARE("not_equal", v[0] != v[1]);
COMPARE("less", v[0] < v[1]);
COMPARE("less_equal", v[0] <= v[1]);
COMPARE("greater", v[0] > v[1]);
COMPARE("greater_equal", v[0] >= v[1]);
#undef COMPARE

std::vector<ErrorCase> LogicalErrors() {
  return {{"float input",
           {TestTensor({2}, DType::kFloat32), TestTensor({2}, DType::kFloat32)},
           {},
           "has dtype float32"}};
}
DUET_OPINFO(
        .op = "logical_and", .dtypes = {DType::kBool},
        .samples = [](DType d) { return BinarySamples(d); },
        .reference = RefElementwise([](const std::vector<double>& v) {
          return double(v[0] && v[1]);
        }),
        .errors = LogicalErrors);
DUET_OPINFO(
        .op = "logical_or", .dtypes = {DType::kBool},
        .samples = [](DType d) { return BinarySamples(d); },
        .reference = RefElementwise([](const std::vector<double>& v) {
          return double(v[0] || v[1]);
        }),
        .errors = LogicalErrors);
DUET_OPINFO(
        .op = "logical_not", .dtypes = {DType::kBool},
        .samples = [](DType d) { return UnarySamples(d); },
        .reference = RefElementwise([](const std::vector<double>& v) { return double(!v[0]); }),
        .errors =
            [] {
              return std::vector<ErrorCase>{{"int input", {constant({1})}, {}, "has dtype int32"}};
            });

DUET_OPINFO(
        .op = "where", .dtypes = kAll,
        .samples =
            [](DType d) {
              std::vector<OpSample> out;
              uint32_t seed = 3;
              for (auto [c, x, y] : std::vector<std::tuple<Shape, Shape, Shape>>{
                       {Shape{5}, Shape{5}, Shape{5}},
                       {Shape{2, 3}, Shape{3}, Shape{}},
                       {Shape{2, 1}, Shape{1, 3}, Shape{2, 3}},
                       {Shape{}, Shape{4}, Shape{4}}})
                out.push_back({c.to_string(),
                               {TestTensor(c, DType::kBool, 0, 1, seed++),
                                TestTensor(x, d, -3, 3, seed++), TestTensor(y, d, -3, 3, seed++)},
                               {}});
              return out;
            },
        .reference =
            [](const OpSample& s) {
              RefTensor r = RefElementwise(
                  [](const std::vector<double>& v) { return v[0] ? v[1] : v[2]; })(s)[0];
              r.dtype = s.inputs[1].dtype();
              return std::vector<RefTensor>{r};
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"non-bool cond",
                   {constant({1}), constant({1}), constant({2})},
                   {},
                   "has dtype int32"},
                  {"x/y dtypes",
                   {constant({true}), constant({1}), constant({2.f})},
                   {},
                   "must share a dtype"},
                  {"broadcast",
                   {constant({true, false}), constant({1, 2, 3}), constant({2})},
                   {},
                   "cannot broadcast"}};
            });

}  // namespace
}  // namespace duet::testing
