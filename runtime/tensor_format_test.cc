// Tensor printing. Every expected string was produced by NumPy 1.24 (str(np.array(...)), which
// TensorFlow's EagerTensor.__str__ prints) for the same values and dtype.
#include "runtime/tensor_format.h"

#include <limits>
#include <sstream>

#include "gtest/gtest.h"
#include "runtime/float_repr.h"
#include "runtime/tensor_factory.h"

namespace duet {
namespace {

template <class T>
Tensor Make(const std::vector<T>& values, const Shape& shape) {
  return Tensor::FromData(values.data(), shape);
}

template <class T>
Tensor Range(int64_t n, const Shape& shape, double scale = 1, double offset = 0) {
  std::vector<T> v(n);
  for (int64_t i = 0; i < n; ++i) v[i] = static_cast<T>(i * scale + offset);
  return Make(v, shape);
}

template <class T>
Tensor Reduced(const std::vector<float>& values, const Shape& shape) {  // float16/bfloat16
  std::vector<T> v;
  for (float f : values) v.push_back(T(f));
  return Make(v, shape);
}

std::string Print(const Tensor& t) {
  std::ostringstream os;
  os << t;
  return os.str();
}

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

TEST(TensorFormat, TensorFlowFrame) {
  EXPECT_EQ(Print(constant({{1, 2}, {3, 4}})),
            "duet.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32)");
  EXPECT_EQ(Print(constant(4)), "duet.Tensor(4, shape=(), dtype=int32)");
  EXPECT_EQ(Print(constant({1.5f, 2.0f})), "duet.Tensor([1.5 2. ], shape=(2,), dtype=float32)");
  // TF starts the values on a new line exactly when they span several lines.
  EXPECT_EQ(Print(constant({{1, 2}})), "duet.Tensor([[1 2]], shape=(1, 2), dtype=int32)");
  EXPECT_EQ(
      Print(Range<float>(30, {30})),
      "duet.Tensor(\n[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.\n"
      " 18. 19. 20. 21. 22. 23. 24. 25. 26. 27. 28. 29.], shape=(30,), dtype=float32)");
  EXPECT_EQ(Print(Tensor::Empty({Shape{0}, DType::kFloat32})),
            "duet.Tensor([], shape=(0,), dtype=float32)");
  EXPECT_EQ(Print(Tensor::Empty({Shape{2, 0}, DType::kInt64})),
            "duet.Tensor([], shape=(2, 0), dtype=int64)");
}

TEST(TensorFormat, SymbolicAndUndefinedDoNotCrash) {
  EXPECT_EQ(Print(Tensor()), "duet.Tensor(<undefined>)");
  try {  // API.md: printing a symbolic tensor with << throws, suggesting duet::print
    Print(Tensor::Symbolic({Shape{2, -1}, DType::kFloat32}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("duet::print"), std::string::npos) << e.what();
  }
  EXPECT_EQ(FormatValues(Tensor::Symbolic({Shape{}, DType::kInt32})), "<symbolic>");
}

TEST(TensorFormat, ScalarsPrintLikeNumPyScalars) {
  EXPECT_EQ(FormatValues(constant(2.0f)), "2.0");
  EXPECT_EQ(FormatValues(constant(1e20f)), "1e+20");
  EXPECT_EQ(FormatValues(constant(1e-4f)), "1e-04");  // float32(1e-4) is just below 1e-4
  EXPECT_EQ(FormatValues(constant(0.1 + 0.2)), "0.30000000000000004");
  EXPECT_EQ(FormatValues(constant(-0.0f)), "-0.0");
  EXPECT_EQ(FormatValues(constant(true)), "True");
  EXPECT_EQ(FormatValues(constant(int64_t{-7})), "-7");
  EXPECT_EQ(FormatValues(Reduced<Half>({44256.f}, {})), "44260.0");  // shortest float16 digits
}

TEST(TensorFormat, FloatsPositional) {
  EXPECT_EQ(FormatValues(constant({0.1f, 1.0f})), "[0.1 1. ]");
  EXPECT_EQ(FormatValues(constant({1.f, -2.f})), "[ 1. -2.]");
  EXPECT_EQ(FormatValues(constant({-0.0f, 1.0f})), "[-0.  1.]");
  EXPECT_EQ(FormatValues(constant({1.0 / 3, 2.0})), "[0.33333333 2.        ]");
  EXPECT_EQ(FormatValues(Range<float>(24, {2, 3, 4}, 1, -5)),
            "[[[-5. -4. -3. -2.]\n  [-1.  0.  1.  2.]\n  [ 3.  4.  5.  6.]]\n\n"
            " [[ 7.  8.  9. 10.]\n  [11. 12. 13. 14.]\n  [15. 16. 17. 18.]]]");
}

TEST(TensorFormat, FloatsScientific) {
  EXPECT_EQ(FormatValues(constant({0.001, 1000.})), "[1.e-03 1.e+03]");
  EXPECT_EQ(FormatValues(constant({1e8f, 1.f})), "[1.e+08 1.e+00]");
  EXPECT_EQ(FormatValues(constant({1e-4f, 1.f})), "[1.e-04 1.e+00]");
  EXPECT_EQ(FormatValues(constant({1e5f, 1e-3f})), "[1.e+05 1.e-03]");
  EXPECT_EQ(FormatValues(constant({1.23e-5f, 0.1f})), "[1.23e-05 1.00e-01]");
  EXPECT_EQ(FormatValues(constant({1e-100, 1.0})), "[1.e-100 1.e+000]");  // common exponent width
}

TEST(TensorFormat, NonFinite) {
  EXPECT_EQ(FormatValues(constant({kNaN, kInf, -kInf, 1.5f})), "[ nan  inf -inf  1.5]");
  EXPECT_EQ(FormatValues(constant({kNaN, kInf})), "[nan inf]");
}

TEST(TensorFormat, ReducedPrecisionFloats) {
  EXPECT_EQ(FormatValues(Reduced<Half>({0.1f, 44256.f}, {2})), "[9.998e-02 4.426e+04]");
  EXPECT_EQ(FormatValues(Reduced<Half>({44256.f, -16608.f}, {2})), "[ 44256. -16608.]");
  // bfloat16 has no NumPy dtype: it follows the same rules with its own shortest digits.
  EXPECT_EQ(FormatValues(Reduced<BFloat16>({1.5f, 2.f, 0.1f}, {3})), "[1.5 2.  0.1]");
}

TEST(TensorFormat, IntsAndBools) {
  EXPECT_EQ(FormatValues(constant({-1, 10, -100})), "[  -1   10 -100]");
  EXPECT_EQ(FormatValues(Range<int64_t>(8, {2, 2, 2})), "[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]");
  EXPECT_EQ(FormatValues(constant({true, false})), "[ True False]");
  EXPECT_EQ(FormatValues(constant({{true, false}, {false, true}})),
            "[[ True False]\n [False  True]]");
}

TEST(TensorFormat, WrapsAt75ColumnsWithNumPyIndent) {
  EXPECT_EQ(FormatValues(Range<int64_t>(40, {2, 20}, 1000003)),
            "[[       0  1000003  2000006  3000009  4000012  5000015  6000018  7000021\n"
            "   8000024  9000027 10000030 11000033 12000036 13000039 14000042 15000045\n"
            "  16000048 17000051 18000054 19000057]\n"
            " [20000060 21000063 22000066 23000069 24000072 25000075 26000078 27000081\n"
            "  28000084 29000087 30000090 31000093 32000096 33000099 34000102 35000105\n"
            "  36000108 37000111 38000114 39000117]]");
}

TEST(TensorFormat, SummarizesPast1000Elements) {
  EXPECT_EQ(FormatValues(Range<int32_t>(2000, {2000})), "[   0    1    2 ... 1997 1998 1999]");
  EXPECT_EQ(FormatValues(Range<int32_t>(1000, {1000})).find("..."), std::string::npos);
  EXPECT_EQ(FormatValues(Range<int32_t>(1002, {2, 501})),
            "[[   0    1    2 ...  498  499  500]\n [ 501  502  503 ...  999 1000 1001]]");
  EXPECT_EQ(FormatValues(Range<int64_t>(1001, {1001, 1})),
            "[[   0]\n [   1]\n [   2]\n ...\n [ 998]\n [ 999]\n [1000]]");
  // Only the printed corners decide the format (here scientific, 7 digits), and wrapped rows.
  std::vector<float> sevenths(1100);
  for (int i = 0; i < 1100; ++i)
    sevenths[i] = static_cast<float>(i) / 7.0f;  // np.arange(1100, dtype=np.float32) / 7
  EXPECT_EQ(FormatValues(Make(sevenths, {11, 100})),
            "[[0.0000000e+00 1.4285715e-01 2.8571430e-01 ... 1.3857142e+01\n"
            "  1.4000000e+01 1.4142858e+01]\n"
            " [1.4285714e+01 1.4428572e+01 1.4571428e+01 ... 2.8142857e+01\n"
            "  2.8285715e+01 2.8428572e+01]\n"
            " [2.8571428e+01 2.8714285e+01 2.8857143e+01 ... 4.2428570e+01\n"
            "  4.2571430e+01 4.2714287e+01]\n"
            " ...\n"
            " [1.1428571e+02 1.1442857e+02 1.1457143e+02 ... 1.2814285e+02\n"
            "  1.2828572e+02 1.2842857e+02]\n"
            " [1.2857143e+02 1.2871428e+02 1.2885715e+02 ... 1.4242857e+02\n"
            "  1.4257143e+02 1.4271428e+02]\n"
            " [1.4285715e+02 1.4300000e+02 1.4314285e+02 ... 1.5671428e+02\n"
            "  1.5685715e+02 1.5700000e+02]]");
}

// The digit generator against np.format_float_* / str(np.float*) on values where the shortest
// digits, ties and type-specific precision matter.
TEST(FloatRepr, MatchesNumPyDragon4) {
  EXPECT_EQ(FormatScientific(101036256.0, FloatKind::kFloat32, -1, -1, Trim::kZeros),
            "1.0103626e+08");
  EXPECT_EQ(FormatPositional(44256.0, FloatKind::kFloat16, 8, -1, Trim::kZeros), "44260.");
  EXPECT_EQ(FormatPositional(44256.0, FloatKind::kFloat16, 8, 0, Trim::kZeros), "44256.");
  EXPECT_EQ(FormatScientific(0.1f, FloatKind::kFloat32, 8, 8, Trim::kNone), "1.00000001e-01");
  EXPECT_EQ(FormatScientific(0.1, FloatKind::kFloat64, 8, 8, Trim::kNone), "1.00000000e-01");
  EXPECT_EQ(FormatScalar(0.1f, FloatKind::kFloat32), "0.1");
  EXPECT_EQ(FormatScalar(5e-324, FloatKind::kFloat64), "5e-324");
  EXPECT_EQ(FormatScalar(1.7976931348623157e308, FloatKind::kFloat64), "1.7976931348623157e+308");
  EXPECT_EQ(FormatScalar(1e16, FloatKind::kFloat64), "1e+16");
  EXPECT_EQ(FormatScalar(1e15, FloatKind::kFloat64), "1000000000000000.0");
}

}  // namespace
}  // namespace duet
