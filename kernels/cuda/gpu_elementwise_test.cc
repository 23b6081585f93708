// The GPU kernels of the elementwise, cast and shape ops against host references computed
// here (the CPU kernels' documented semantics), through the registered kernels.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kernels/cuda/backend_test_util.h"
#include "runtime/half.h"

namespace duet::cuda::test {
namespace {

using Fn1 = std::function<double(double)>;

struct UnaryCase {
  const char* op;
  float lo, hi;  // input range
  Fn1 ref;
};

double Sigmoid(double x) {
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}
double Softplus(double x) { return (x > 0 ? x : 0) + std::log1p(std::exp(-std::fabs(x))); }

const std::vector<UnaryCase>& FloatUnaryCases() {
  static const std::vector<UnaryCase> cases = {
      {"neg", -4, 4, [](double x) { return -x; }},
      {"abs", -4, 4, [](double x) { return std::fabs(x); }},
      {"square", -4, 4, [](double x) { return x * x; }},
      {"relu", -4, 4, [](double x) { return x > 0 ? x : 0; }},
      {"floor", -4, 4, [](double x) { return std::floor(x); }},
      {"exp", -6, 6, [](double x) { return std::exp(x); }},
      {"log", 0.01f, 10, [](double x) { return std::log(x); }},
      {"log1p", -0.9f, 10, [](double x) { return std::log1p(x); }},
      {"sqrt", 0, 10, [](double x) { return std::sqrt(x); }},
      {"rsqrt", 0.01f, 10, [](double x) { return 1 / std::sqrt(x); }},
      {"tanh", -4, 4, [](double x) { return std::tanh(x); }},
      {"sigmoid", -20, 20, Sigmoid},
      {"softplus", -20, 20, Softplus},
      {"sin", -6, 6, [](double x) { return std::sin(x); }},
      {"cos", -6, 6, [](double x) { return std::cos(x); }},
  };
  return cases;
}

TEST(GpuUnary, Float32MatchesHostReference) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  uint32_t seed = 1;
  for (const UnaryCase& c : FloatUnaryCases()) {
    const Shape shape{3, 7, 11};
    std::vector<float> x = RandomFloats(shape.num_elements(), c.lo, c.hi, seed++);
    ASSERT_OK_AND_ASSIGN(Tensor y, RunGpu(c.op, {HostTensor(shape, x)}));
    EXPECT_EQ(y.dtype(), DType::kFloat32);
    std::vector<double> want;
    for (float v : x) want.push_back(static_cast<float>(c.ref(v)));  // rounded like the kernel
    ExpectAllNear(Values<float>(y), want, 1e-5, 1e-6, c.op);
  }
}

TEST(GpuUnary, Float64MatchesHostReference) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  uint32_t seed = 100;
  for (const UnaryCase& c : FloatUnaryCases()) {
    const Shape shape{257};
    std::vector<float> xf = RandomFloats(shape.num_elements(), c.lo, c.hi, seed++);
    std::vector<double> x(xf.begin(), xf.end());
    ASSERT_OK_AND_ASSIGN(Tensor y, RunGpu(c.op, {HostTensor(shape, x)}));
    std::vector<double> want;
    for (double v : x) want.push_back(c.ref(v));
    ExpectAllNear(Values<double>(y), want, 1e-13, 1e-15, c.op);
  }
}

TEST(GpuUnary, HalfStorageComputesInFloat) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  for (const char* op : {"neg", "abs", "relu", "exp", "tanh", "sigmoid", "sqrt"}) {
    const bool positive = std::string(op) == "sqrt";
    std::vector<float> xf = RandomFloats(100, positive ? 0.f : -3.f, 3.f, 7);
    std::vector<Half> xh;
    std::vector<BFloat16> xb;
    for (float v : xf) xh.push_back(Half(v)), xb.push_back(BFloat16(v));
    ASSERT_OK_AND_ASSIGN(Tensor yh, RunGpu(op, {HostTensor(Shape{100}, xh)}));
    ASSERT_OK_AND_ASSIGN(Tensor yb, RunGpu(op, {HostTensor(Shape{100}, xb)}));
    const UnaryCase* c = nullptr;
    for (const UnaryCase& u : FloatUnaryCases())
      if (std::string(u.op) == op) c = &u;
    ASSERT_NE(c, nullptr);
    std::vector<double> want_h, want_b;
    std::vector<float> got_h, got_b;
    for (int i = 0; i < 100; ++i) {
      want_h.push_back(c->ref(static_cast<float>(xh[i])));
      want_b.push_back(c->ref(static_cast<float>(xb[i])));
      got_h.push_back(static_cast<float>(yh.data<Half>()[i]));
      got_b.push_back(static_cast<float>(yb.data<BFloat16>()[i]));
    }
    ExpectAllNear(got_h, want_h, 1e-3, 1e-4, std::string(op) + " float16");  // half an ulp: 2^-11
    ExpectAllNear(got_b, want_b, 8e-3, 1e-3, std::string(op) + " bfloat16");
  }
}

TEST(GpuUnary, IntegersWrapAsOnTheCpu) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  std::vector<int32_t> x = {-5, 0, 7, kMin, 46341, -3};
  ASSERT_OK_AND_ASSIGN(Tensor neg, RunGpu("neg", {HostTensor(Shape{6}, x)}));
  ASSERT_OK_AND_ASSIGN(Tensor abs, RunGpu("abs", {HostTensor(Shape{6}, x)}));
  ASSERT_OK_AND_ASSIGN(Tensor sq, RunGpu("square", {HostTensor(Shape{6}, x)}));
  ASSERT_OK_AND_ASSIGN(Tensor relu, RunGpu("relu", {HostTensor(Shape{6}, x)}));
  EXPECT_EQ(Values<int32_t>(neg), (std::vector<int32_t>{5, 0, -7, kMin, -46341, 3}));
  EXPECT_EQ(Values<int32_t>(abs), (std::vector<int32_t>{5, 0, 7, kMin, 46341, 3}));
  EXPECT_EQ(Values<int32_t>(sq),
            (std::vector<int32_t>{25, 0, 49, 0, static_cast<int32_t>(46341u * 46341u), 9}));
  EXPECT_EQ(Values<int32_t>(relu), (std::vector<int32_t>{0, 0, 7, 0, 46341, 0}));
}

TEST(GpuUnary, ReluOfNanIsZeroAndLogicalNot) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const float nan = std::numeric_limits<float>::quiet_NaN();
  ASSERT_OK_AND_ASSIGN(Tensor r,
                       RunGpu("relu", {HostTensor(Shape{3}, std::vector<float>{nan, -1, 2})}));
  EXPECT_EQ(Values<float>(r), (std::vector<float>{0, 0, 2}));
  ASSERT_OK_AND_ASSIGN(Tensor n, RunGpu("logical_not", {BoolTensor(Shape{3}, {1, 0, 1})}));
  EXPECT_EQ(Values<bool>(n), (std::vector<bool>{false, true, false}));
}

// ---- binary ops --------------------------------------------------------------------------

using Fn2 = std::function<double(double, double)>;

// out = op(a, b) with broadcasting, the reference applied per output element.
template <class T>
void CheckBinary(const char* op, const Shape& sa, const Shape& sb, const Shape& so,
                 const std::vector<T>& a, const std::vector<T>& b, const Fn2& ref, double rel,
                 double abs) {
  ASSERT_OK_AND_ASSIGN(Tensor z, RunGpu(op, {HostTensor(sa, a), HostTensor(sb, b)}));
  ASSERT_EQ(z.shape(), so) << op;
  std::vector<double> want;
  for (int64_t i = 0; i < so.num_elements(); ++i) {
    std::vector<int64_t> idx = Unravel(i, so);
    want.push_back(static_cast<T>(ref(a[BroadcastOffset(idx, sa)], b[BroadcastOffset(idx, sb)])));
  }
  ExpectAllNear(Values<T>(z), want, rel, abs,
                absl::StrCat(op, " ", sa.to_string(), " ", sb.to_string()));
}

struct BinaryCase {
  const char* op;
  Fn2 ref;
};

double FloorModF(double a, double b) {
  double r = std::fmod(a, b);
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

const std::vector<BinaryCase>& FloatBinaryCases() {
  static const std::vector<BinaryCase> cases = {
      {"add", [](double a, double b) { return a + b; }},
      {"sub", [](double a, double b) { return a - b; }},
      {"mul", [](double a, double b) { return a * b; }},
      {"div", [](double a, double b) { return a / b; }},
      {"pow", [](double a, double b) { return std::pow(std::fabs(a), b); }},
      {"maximum", [](double a, double b) { return a > b ? a : b; }},
      {"minimum", [](double a, double b) { return a < b ? a : b; }},
      {"floor_mod", FloorModF},
      {"relu_grad", [](double dy, double x) { return x > 0 ? dy : 0; }},
  };
  return cases;
}

struct Shapes {
  Shape a, b, out;
};
const std::vector<Shapes>& BroadcastShapes() {
  static const std::vector<Shapes> shapes = {
      {{2, 3, 4}, {2, 3, 4}, {2, 3, 4}},  // collapses to one dim
      {{2, 3, 4}, {3, 1}, {2, 3, 4}},
      {{4, 1, 3}, {1, 5, 1}, {4, 5, 3}},
      {{}, {7}, {7}},
      {{2, 1, 3, 1, 2, 2}, {1, 4, 1, 3, 2, 1}, {2, 4, 3, 3, 2, 2}},  // rank 6 after collapsing
      {{0, 3}, {3}, {0, 3}},
  };
  return shapes;
}

TEST(GpuBinary, Float32BroadcastsAsNumPy) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  uint32_t seed = 10;
  for (const BinaryCase& c : FloatBinaryCases())
    for (const Shapes& s : BroadcastShapes()) {
      std::vector<float> a = RandomFloats(s.a.num_elements(), -3, 3, seed++);
      std::vector<float> b = RandomFloats(s.b.num_elements(), 0.5f, 3, seed++);  // no 0 divisor
      if (std::string(c.op) == "pow")
        for (float& v : a) v = std::fabs(v);
      CheckBinary<float>(c.op, s.a, s.b, s.out, a, b, c.ref, 1e-5, 1e-6);
    }
}

TEST(GpuBinary, Float64) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  for (const BinaryCase& c : FloatBinaryCases()) {
    std::vector<float> af = RandomFloats(24, 0.1f, 3, 3), bf = RandomFloats(4, -3, 3, 4);
    std::vector<double> a(af.begin(), af.end()), b(bf.begin(), bf.end());
    CheckBinary<double>(c.op, Shape{6, 4}, Shape{4}, Shape{6, 4}, a, b, c.ref, 1e-13, 1e-15);
  }
}

TEST(GpuBinary, MaximumAndMinimumPropagateNan) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> a = {nan, 1, 2}, b = {0, nan, 1};
  for (const char* op : {"maximum", "minimum"}) {
    ASSERT_OK_AND_ASSIGN(Tensor z, RunGpu(op, {HostTensor(Shape{3}, a), HostTensor(Shape{3}, b)}));
    std::vector<float> v = Values<float>(z);
    EXPECT_TRUE(std::isnan(v[0]) && std::isnan(v[1])) << op;
    EXPECT_EQ(v[2], std::string(op) == "maximum" ? 2.f : 1.f);
  }
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
int64_t FloorMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

TEST(GpuBinary, IntegerDivisionFloorsAndModTakesTheDivisorsSign) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  std::vector<int32_t> a = RandomInts<int32_t>(60, -50, 50, 5);
  std::vector<int32_t> b = RandomInts<int32_t>(6, -7, 7, 6);
  for (int32_t& v : b)
    if (v == 0) v = 3;
  const Shape sa{10, 6}, sb{6}, so{10, 6};
  CheckBinary<int32_t>(
      "div", sa, sb, so, a, b, [](double x, double y) { return FloorDiv(int64_t(x), int64_t(y)); },
      0, 0);
  CheckBinary<int32_t>(
      "floor_mod", sa, sb, so, a, b,
      [](double x, double y) { return FloorMod(int64_t(x), int64_t(y)); }, 0, 0);
  CheckBinary<int32_t>(
      "add", sa, sb, so, a, b, [](double x, double y) { return x + y; }, 0, 0);
  CheckBinary<int32_t>(
      "mul", sa, sb, so, a, b, [](double x, double y) { return x * y; }, 0, 0);
  std::vector<int64_t> a64(a.begin(), a.end()), e64 = {0, 1, 2, 3, 5, 7};
  CheckBinary<int64_t>(
      "pow", sa, sb, so, a64, e64, [](double x, double y) { return std::pow(x, y); }, 0, 0);
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  ASSERT_OK_AND_ASSIGN(Tensor q, RunGpu("div", {HostTensor(Shape{1}, std::vector<int32_t>{kMin}),
                                                HostTensor(Shape{1}, std::vector<int32_t>{-1})}));
  EXPECT_EQ(Values<int32_t>(q)[0], kMin);  // wraps instead of trapping
}

TEST(GpuBinary, IntegerZeroDivisorsAndNegativeExponentsAreErrors) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  Tensor a = HostTensor(Shape{3}, std::vector<int32_t>{1, 2, 3});
  Tensor zero = HostTensor(Shape{3}, std::vector<int32_t>{1, 0, 2});
  Tensor negative = HostTensor(Shape{3}, std::vector<int32_t>{1, -1, 2});
  for (const char* op : {"div", "floor_mod"}) {
    absl::StatusOr<Tensor> r = RunGpu(op, {a, zero});
    ASSERT_FALSE(r.ok()) << op;
    EXPECT_NE(r.status().message().find("integer division by zero"), std::string::npos)
        << r.status();
    EXPECT_EQ(r.status().message().rfind(absl::StrCat("[", op, "]"), 0), 0u) << r.status();
  }
  absl::StatusOr<Tensor> p = RunGpu("pow", {a, negative});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("negative integer powers"), std::string::npos) << p.status();
  EXPECT_TRUE(RunGpu("pow", {a, zero}).ok());  // 0 is a fine exponent
}

// The device loads both halves to float, computes one float operation and rounds once, so its
// bits equal the same float operation on the host, rounded by runtime/half.h.
float FloatOp(const std::string& op, float a, float b) {
  if (op == "add") return a + b;
  if (op == "sub") return a - b;
  if (op == "mul") return a * b;
  if (op == "div") return a / b;
  return a > b ? a : b;  // maximum (no NaN here)
}

TEST(GpuBinary, HalfStorageRoundsOnceFromFloat) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  std::vector<float> af = RandomFloats(64, -4, 4, 21), bf = RandomFloats(64, 0.5f, 4, 22);
  std::vector<Half> ah, bh;
  std::vector<BFloat16> ab, bb;
  for (int i = 0; i < 64; ++i) {
    ah.push_back(Half(af[i])), bh.push_back(Half(bf[i]));
    ab.push_back(BFloat16(af[i])), bb.push_back(BFloat16(bf[i]));
  }
  const Shape s{8, 8};
  for (const char* op : {"add", "sub", "mul", "div", "maximum"}) {
    ASSERT_OK_AND_ASSIGN(Tensor zh, RunGpu(op, {HostTensor(s, ah), HostTensor(s, bh)}));
    ASSERT_OK_AND_ASSIGN(Tensor zb, RunGpu(op, {HostTensor(s, ab), HostTensor(s, bb)}));
    for (int i = 0; i < 64; ++i) {
      const float rh = FloatOp(op, static_cast<float>(ah[i]), static_cast<float>(bh[i]));
      const float rb = FloatOp(op, static_cast<float>(ab[i]), static_cast<float>(bb[i]));
      EXPECT_EQ(zh.data<Half>()[i].bits, Half(rh).bits) << op << " float16 at " << i;
      EXPECT_EQ(zb.data<BFloat16>()[i].bits, BFloat16(rb).bits) << op << " bfloat16 at " << i;
    }
  }
}

TEST(GpuCompare, ComparisonsWriteBool) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const std::vector<std::pair<const char*, std::function<bool(int, int)>>> cases = {
      {"equal", [](int a, int b) { return a == b; }},
      {"not_equal", [](int a, int b) { return a != b; }},
      {"less", [](int a, int b) { return a < b; }},
      {"less_equal", [](int a, int b) { return a <= b; }},
      {"greater", [](int a, int b) { return a > b; }},
      {"greater_equal", [](int a, int b) { return a >= b; }},
  };
  std::vector<int32_t> a = RandomInts<int32_t>(30, -2, 2, 31),
                       b = RandomInts<int32_t>(5, -2, 2, 32);
  std::vector<float> af(a.begin(), a.end()), bf(b.begin(), b.end());
  const Shape sa{6, 5}, sb{5};
  for (const auto& [op, ref] : cases) {
    ASSERT_OK_AND_ASSIGN(Tensor zi, RunGpu(op, {HostTensor(sa, a), HostTensor(sb, b)}));
    ASSERT_OK_AND_ASSIGN(Tensor zf, RunGpu(op, {HostTensor(sa, af), HostTensor(sb, bf)}));
    ASSERT_EQ(zi.dtype(), DType::kBool);
    for (int i = 0; i < 30; ++i) {
      EXPECT_EQ(zi.data<bool>()[i], ref(a[i], b[i % 5])) << op << " int32 at " << i;
      EXPECT_EQ(zf.data<bool>()[i], ref(a[i], b[i % 5])) << op << " float32 at " << i;
    }
  }
}

TEST(GpuCompare, LogicalOpsAndWhere) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  Tensor p = BoolTensor(Shape{4}, {1, 1, 0, 0}), q = BoolTensor(Shape{4}, {1, 0, 1, 0});
  ASSERT_OK_AND_ASSIGN(Tensor land, RunGpu("logical_and", {p, q}));
  ASSERT_OK_AND_ASSIGN(Tensor lor, RunGpu("logical_or", {p, q}));
  EXPECT_EQ(Values<bool>(land), (std::vector<bool>{true, false, false, false}));
  EXPECT_EQ(Values<bool>(lor), (std::vector<bool>{true, true, true, false}));

  // where(cond (2, 1, 4), x (3, 4), y ()) -> (2, 3, 4)
  std::vector<uint8_t> cond = {1, 0, 1, 1, 0, 0, 1, 0};
  std::vector<float> x = RandomFloats(12, -1, 1, 41);
  const float y = 42.f;
  ASSERT_OK_AND_ASSIGN(
      Tensor z, RunGpu("where", {BoolTensor(Shape{2, 1, 4}, cond), HostTensor(Shape{3, 4}, x),
                                 HostTensor(Shape{}, std::vector<float>{y})}));
  ASSERT_EQ(z.shape(), (Shape{2, 3, 4}));
  for (int64_t i = 0; i < 24; ++i) {
    std::vector<int64_t> idx = Unravel(i, Shape{2, 3, 4});
    const float want = cond[idx[0] * 4 + idx[2]] ? x[idx[1] * 4 + idx[2]] : y;
    EXPECT_EQ(z.data<float>()[i], want) << "at " << i;
  }
  // 8-byte elements move as bits.
  std::vector<int64_t> xi = {1, 2, 3, 4}, yi = {-1, -2, -3, -4};
  ASSERT_OK_AND_ASSIGN(Tensor zi,
                       RunGpu("where", {q, HostTensor(Shape{4}, xi), HostTensor(Shape{4}, yi)}));
  EXPECT_EQ(Values<int64_t>(zi), (std::vector<int64_t>{1, -2, 3, -4}));
}

// ---- cast ----------------------------------------------------------------------------------

absl::StatusOr<Tensor> Cast(const Tensor& x, DType to) {
  return RunGpu("cast", {x}, {{"dtype", to}});
}

TEST(GpuCast, FloatToIntTruncatesSaturatesAndZeroesNan) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  Tensor x = HostTensor(Shape{7}, std::vector<float>{-1.7f, 2.9f, nan, 1e10f, -1e10f, inf, 0.f});
  ASSERT_OK_AND_ASSIGN(Tensor i32, Cast(x, DType::kInt32));
  ASSERT_OK_AND_ASSIGN(Tensor i64, Cast(x, DType::kInt64));
  ASSERT_OK_AND_ASSIGN(Tensor b, Cast(x, DType::kBool));
  const int32_t kMax = std::numeric_limits<int32_t>::max(),
                kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(Values<int32_t>(i32), (std::vector<int32_t>{-1, 2, 0, kMax, kMin, kMax, 0}));
  EXPECT_EQ(Values<int64_t>(i64), (std::vector<int64_t>{-1, 2, 0, 10000000000LL, -10000000000LL,
                                                        std::numeric_limits<int64_t>::max(), 0}));
  EXPECT_EQ(Values<bool>(b), (std::vector<bool>{true, true, true, true, true, true, false}));
}

TEST(GpuCast, IntsWrapAndConvertToFloatsAndHalves) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  std::vector<int64_t> v = {(int64_t{1} << 32) + 5, -3, 70000, 0};
  ASSERT_OK_AND_ASSIGN(Tensor i32, Cast(HostTensor(Shape{4}, v), DType::kInt32));
  EXPECT_EQ(Values<int32_t>(i32), (std::vector<int32_t>{5, -3, 70000, 0}));
  ASSERT_OK_AND_ASSIGN(Tensor f, Cast(HostTensor(Shape{4}, v), DType::kFloat32));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(f.data<float>()[i], static_cast<float>(v[i]));
  ASSERT_OK_AND_ASSIGN(Tensor h, Cast(HostTensor(Shape{4}, v), DType::kFloat16));
  ASSERT_OK_AND_ASSIGN(Tensor bf, Cast(HostTensor(Shape{4}, v), DType::kBFloat16));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(h.data<Half>()[i].bits, Half(static_cast<float>(v[i])).bits) << i;
    EXPECT_EQ(bf.data<BFloat16>()[i].bits, BFloat16(static_cast<float>(v[i])).bits) << i;
  }
  ASSERT_OK_AND_ASSIGN(Tensor from_bool, Cast(BoolTensor(Shape{3}, {1, 0, 1}), DType::kFloat32));
  EXPECT_EQ(Values<float>(from_bool), (std::vector<float>{1, 0, 1}));
}

TEST(GpuCast, HalvesRoundTripAndMatchHostBits) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  std::vector<float> x = RandomFloats(500, -70000, 70000, 51);
  x.push_back(std::numeric_limits<float>::quiet_NaN());
  x.push_back(1e-7f);  // a float16 subnormal
  x.push_back(-0.f);
  const Shape s{static_cast<int64_t>(x.size())};
  ASSERT_OK_AND_ASSIGN(Tensor h, Cast(HostTensor(s, x), DType::kFloat16));
  ASSERT_OK_AND_ASSIGN(Tensor b, Cast(HostTensor(s, x), DType::kBFloat16));
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(h.data<Half>()[i].bits, Half(x[i]).bits) << "float16 of " << x[i];
    EXPECT_EQ(b.data<BFloat16>()[i].bits, BFloat16(x[i]).bits) << "bfloat16 of " << x[i];
  }
  ASSERT_OK_AND_ASSIGN(Tensor back, Cast(h, DType::kFloat32));
  for (size_t i = 0; i < x.size(); ++i) {
    const float want = static_cast<float>(h.data<Half>()[i]);
    if (std::isnan(want))
      EXPECT_TRUE(std::isnan(back.data<float>()[i]));
    else
      EXPECT_EQ(back.data<float>()[i], want) << i;
  }
  ASSERT_OK_AND_ASSIGN(Tensor same, Cast(HostTensor(s, x), DType::kFloat32));  // a view
  EXPECT_EQ(Values<float>(same).size(), x.size());
}

// ---- shape ops -----------------------------------------------------------------------------

TEST(GpuShape, TransposeBroadcastToAndViews) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const Shape s{2, 3, 4};
  std::vector<int32_t> x(24);
  for (int i = 0; i < 24; ++i) x[i] = i;
  ASSERT_OK_AND_ASSIGN(Tensor t,
                       RunGpu("transpose", {HostTensor(s, x)}, {{"perm", Ints{2, 0, 1}}}));
  ASSERT_EQ(t.shape(), (Shape{4, 2, 3}));
  for (int64_t i = 0; i < 24; ++i) {
    std::vector<int64_t> o = Unravel(i, Shape{4, 2, 3});  // (k, i, j) <- x[i][j][k]
    EXPECT_EQ(t.data<int32_t>()[i], x[(o[1] * 3 + o[2]) * 4 + o[0]]) << i;
  }
  ASSERT_OK_AND_ASSIGN(Tensor rev, RunGpu("transpose", {HostTensor(s, x)}, {{"perm", Ints{}}}));
  ASSERT_EQ(rev.shape(), (Shape{4, 3, 2}));
  EXPECT_EQ(rev.data<int32_t>()[1], x[12]);  // (0, 0, 1) <- x[1][0][0]

  std::vector<float> row = {1, 2, 3};
  ASSERT_OK_AND_ASSIGN(Tensor b, RunGpu("broadcast_to", {HostTensor(Shape{3, 1}, row)},
                                        {{"shape", Shape{2, 3, 4}}}));
  ASSERT_EQ(b.shape(), (Shape{2, 3, 4}));
  for (int64_t i = 0; i < 24; ++i) EXPECT_EQ(b.data<float>()[i], row[Unravel(i, b.shape())[1]]);

  ASSERT_OK_AND_ASSIGN(Tensor r, RunGpu("reshape", {HostTensor(s, x)}, {{"shape", Shape{6, 4}}}));
  EXPECT_EQ(r.shape(), (Shape{6, 4}));
  EXPECT_EQ(Values<int32_t>(r), x);
  ASSERT_OK_AND_ASSIGN(Tensor id, RunGpu("identity", {HostTensor(s, x)}));
  EXPECT_EQ(Values<int32_t>(id), x);
  ASSERT_OK_AND_ASSIGN(Tensor sg, RunGpu("stop_gradient", {HostTensor(s, x)}));
  EXPECT_EQ(Values<int32_t>(sg), x);
  ASSERT_OK_AND_ASSIGN(Tensor e, RunGpu("expand_dims", {HostTensor(s, x)}, {{"axis", int64_t{1}}}));
  EXPECT_EQ(e.shape(), (Shape{2, 1, 3, 4}));
  EXPECT_EQ(Values<int32_t>(e), x);
  ASSERT_OK_AND_ASSIGN(Tensor q, RunGpu("squeeze", {e}, {{"axes", Ints{1}}}));
  EXPECT_EQ(q.shape(), s);
  EXPECT_EQ(Values<int32_t>(q), x);
}

}  // namespace
}  // namespace duet::cuda::test
