// The runtime-dispatched loops (binary ops, comparisons, where, unary, casts, reductions,
// axpy with alpha 1) give bit-identical results on every Highway target this CPU supports: they are
// the same C++ vectorized for each ISA (no FMA contraction, same summation order), so any
// difference is a dispatch bug. (The transcendental ops and float pow use FMA where the target
// has it and may differ by an ulp; vmath_test bounds them on every target.) Inputs include NaN,
// infinities, signed zeros and broadcasts. Example: bazel test //kernels/cpu:dispatch_test
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hwy/targets.h"
#include "kernels/cpu/axpy.h"
#include "kernels/cpu/binary_loops.h"
#include "kernels/cpu/cast_loops.h"
#include "kernels/cpu/reduce_loops.h"
#include "kernels/cpu/select_loops.h"
#include "kernels/cpu/unary_loops.h"
#include "kernels/cpu/wrapping_int.h"
#include "runtime/tensor.h"

namespace duet::cpu {
namespace {

template <class T>
Tensor Random(const Shape& shape, uint32_t seed) {
  Tensor t = Tensor::Empty({shape, DTypeOf<T>::value});
  std::mt19937 rng(seed);
  T* p = t.mutable_data<T>();
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    if constexpr (std::is_same_v<T, bool>) {
      p[i] = rng() & 1;
    } else if constexpr (std::is_floating_point_v<T>) {
      const T special[] = {T(NAN), T(INFINITY), T(-INFINITY), T(0), T(-0.0), T(1e-40)};
      p[i] = rng() % 16 == 0 ? special[rng() % 6]
                             : static_cast<T>(std::ldexp(double(int32_t(rng())), -28));
    } else {
      p[i] = static_cast<T>(int32_t(rng()) >> 8);
    }
  }
  return t;
}

// The output's bytes, every NaN made the same (which NaN an operation returns depends on the
// operand order the compiler picked, and duet promises only NaN-ness).
std::string Bytes(const Tensor& t) {
  std::string b(static_cast<const char*>(t.raw_data()), t.num_elements() * SizeOf(t.dtype()));
  auto canonical = [&](auto tag) {
    using T = decltype(tag);
    for (size_t i = 0; i + sizeof(T) <= b.size(); i += sizeof(T)) {
      T v;
      std::memcpy(&v, b.data() + i, sizeof(T));
      if (std::isnan(v))
        v = std::numeric_limits<T>::quiet_NaN(), std::memcpy(b.data() + i, &v, sizeof(T));
    }
  };
  if (t.dtype() == DType::kFloat32) canonical(float{});
  if (t.dtype() == DType::kFloat64) canonical(double{});
  return b;
}

// Runs `make` once per supported target and expects the same bytes as on the first.
void ExpectSameOnEveryTarget(const std::string& what, const std::function<Tensor()>& make) {
  hwy::SetSupportedTargetsForTest(0);
  const std::vector<int64_t> targets = hwy::SupportedAndGeneratedTargets();
  ASSERT_GE(targets.size(), 1u);
  std::string first;
  for (size_t k = 0; k < targets.size(); ++k) {
    hwy::SetSupportedTargetsForTest(targets[k]);
    const std::string got = Bytes(make());
    if (k == 0)
      first = got;
    else
      EXPECT_TRUE(got == first) << what << " differs on " << hwy::TargetName(targets[k]) << " from "
                                << hwy::TargetName(targets[0]);
  }
  hwy::SetSupportedTargetsForTest(0);
}

template <class T>
void CheckBinaryOps() {
  const Shape shapes[][3] = {{{1001}, {1001}, {1001}},
                             {{1001}, {}, {1001}},
                             {{37, 1}, {1, 53}, {37, 53}},
                             {{5, 1, 7}, {5, 9, 7}, {5, 9, 7}},
                             // A repeated trailing block (a bias row), both ways round, shorter and
                             // longer than the loops' 512-element tile.
                             {{300, 7}, {7}, {300, 7}},
                             {{1, 7}, {300, 7}, {300, 7}},
                             {{4, 3, 600}, {1, 600}, {4, 3, 600}}};
  const BinaryOp ops[] = {BinaryOp::kAdd,     BinaryOp::kSub,     BinaryOp::kMul,
                          BinaryOp::kDiv,     BinaryOp::kMaximum, BinaryOp::kMinimum,
                          BinaryOp::kEqual,   BinaryOp::kLess,    BinaryOp::kGreaterEqual,
                          BinaryOp::kReluGrad};
  for (const auto& s : shapes) {
    const Tensor a = Random<T>(s[0], 1), b = Random<T>(s[1], 2);
    for (BinaryOp op : ops) {
      const bool cmp = op >= BinaryOp::kEqual;
      ExpectSameOnEveryTarget(
          "binary op " + std::to_string(int(op)) + " on " + s[2].to_string(), [&] {
            Tensor out = Tensor::Empty({s[2], cmp ? DType::kBool : DTypeOf<T>::value});
            EXPECT_TRUE(Binary(op, a, b, out));
            return out;
          });
    }
    const Tensor c = Random<bool>(s[0], 3);
    ExpectSameOnEveryTarget("where on " + s[2].to_string(), [&] {
      Tensor out = Tensor::Empty({s[2], DTypeOf<T>::value});
      Where(c, a, b, out);
      return out;
    });
  }
}

// The repeated-block fast path against a plain index walk: a[i] + b[i mod nb] (or reversed).
TEST(Dispatch, TrailingBlockBroadcastMatchesIndexWalk) {
  for (const auto& [full, block] : std::vector<std::pair<Shape, Shape>>{
           {{300, 7}, {7}}, {{4, 3, 600}, {1, 600}}, {{2, 513}, {513}}}) {
    const Tensor a = Random<int32_t>(full, 7), b = Random<int32_t>(block, 8);
    for (bool block_first : {false, true}) {
      Tensor out = Tensor::Empty({full, DType::kInt32});
      ASSERT_TRUE(Binary(BinaryOp::kSub, block_first ? b : a, block_first ? a : b, out));
      const int64_t nb = b.num_elements();
      for (int64_t i = 0; i < a.num_elements(); ++i) {
        const int32_t x = a.data<int32_t>()[i], y = b.data<int32_t>()[i % nb];
        ASSERT_EQ(out.data<int32_t>()[i], block_first ? WrapSub(y, x) : WrapSub(x, y))
            << full.to_string() << " at " << i;
      }
    }
  }
}

TEST(Dispatch, BinaryAndWhereFloat32) { CheckBinaryOps<float>(); }
TEST(Dispatch, BinaryAndWhereFloat64) { CheckBinaryOps<double>(); }
TEST(Dispatch, BinaryAndWhereInt32) { CheckBinaryOps<int32_t>(); }

TEST(Dispatch, UnaryCastReduceAxpy) {
  const Tensor x = Random<float>({64, 129}, 4), xd = Random<double>({64, 129}, 5);
  for (UnaryOp op :
       {UnaryOp::kNeg, UnaryOp::kAbs, UnaryOp::kSquare, UnaryOp::kRelu, UnaryOp::kFloor}) {
    ExpectSameOnEveryTarget("unary " + std::to_string(int(op)), [&] {
      Tensor out = Tensor::Empty({x.shape(), DType::kFloat32});
      EXPECT_TRUE(Unary(op, x, out));
      return out;
    });
  }
  for (DType to : {DType::kInt32, DType::kInt64, DType::kFloat64, DType::kBool, DType::kFloat16}) {
    ExpectSameOnEveryTarget("cast float32 to " + std::string(DTypeName(to)), [&] {
      Tensor out = Tensor::Empty({x.shape(), to});
      Cast(x, out);
      return out;
    });
  }
  ExpectSameOnEveryTarget("cast float64 to float32", [&] {
    Tensor out = Tensor::Empty({xd.shape(), DType::kFloat32});
    Cast(xd, out);
    return out;
  });
  for (ReduceKind kind :
       {ReduceKind::kSum, ReduceKind::kMean, ReduceKind::kMax, ReduceKind::kMin}) {
    for (std::vector<bool> mask : {std::vector<bool>{true, true}, {false, true}, {true, false}}) {
      ExpectSameOnEveryTarget("reduce " + std::to_string(int(kind)), [&] {
        Tensor out = Tensor::Empty({Shape{mask[0] ? 1 : 64, mask[1] ? 1 : 129}, DType::kFloat32});
        Reduce(kind, x, CollapseForReduce(x.shape(), mask), out);
        return out;
      });
    }
  }
  ExpectSameOnEveryTarget("argmax", [&] {
    Tensor out = Tensor::Empty({Shape{64}, DType::kInt64});
    ArgMax(x, 1, out);
    return out;
  });
  ExpectSameOnEveryTarget("axpy with alpha 1", [&] {
    Tensor v = Random<float>({64, 129}, 6);
    EXPECT_TRUE(AxpyInPlace(v, x, 1.0));
    return v;
  });
  // v += a * x may contract to an FMA where the target has one: equal within one rounding.
  hwy::SetSupportedTargetsForTest(0);
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    Tensor v = Random<float>({64, 129}, 6);
    const Tensor v0 = Random<float>({64, 129}, 6);
    EXPECT_TRUE(AxpyInPlace(v, x, -0.37));
    for (int64_t i = 0; i < v.num_elements(); ++i) {
      const double want =
          double(v0.data<float>()[i]) + double(float(-0.37)) * double(x.data<float>()[i]);
      const float got = v.data<float>()[i];
      if (std::isnan(want) || std::isinf(want)) continue;
      EXPECT_NEAR(got, want,
                  1e-6 * (std::fabs(want) + std::fabs(0.37 * x.data<float>()[i])) + 1e-30)
          << "axpy on " << hwy::TargetName(target) << " at " << i;
    }
  }
  hwy::SetSupportedTargetsForTest(0);
}

// Integer overflow wraps (wrapping_int.h) on every target, in the vector body and the tail:
// 1001 lanes of INT_MIN / INT_MAX / -1 give the same wrapped value everywhere.
template <class T>
Tensor Filled(T v, int64_t n = 1001) {
  Tensor t = Tensor::Empty({Shape{n}, DTypeOf<T>::value});
  for (int64_t i = 0; i < n; ++i) t.mutable_data<T>()[i] = v;
  return t;
}

template <class T>
void ExpectAll(const Tensor& t, T want, const std::string& what) {
  for (int64_t i = 0; i < t.num_elements(); ++i)
    ASSERT_EQ(t.data<T>()[i], want) << what << " at " << i;
}

template <class T>
void CheckIntegerWrap() {
  using L = std::numeric_limits<T>;
  const Tensor max = Filled<T>(L::max()), min = Filled<T>(L::min()), one = Filled<T>(1),
               minus_one = Filled<T>(-1), two = Filled<T>(2);
  hwy::SetSupportedTargetsForTest(0);
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    const std::string on = std::string(" on ") + hwy::TargetName(target);
    auto binary = [&](BinaryOp op, const Tensor& a, const Tensor& b) {
      Tensor out = Tensor::Empty({a.shape(), DTypeOf<T>::value});
      EXPECT_TRUE(Binary(op, a, b, out));
      return out;
    };
    auto unary = [&](UnaryOp op, const Tensor& a) {
      Tensor out = Tensor::Empty({a.shape(), DTypeOf<T>::value});
      EXPECT_TRUE(Unary(op, a, out));
      return out;
    };
    ExpectAll<T>(binary(BinaryOp::kAdd, max, one), L::min(), "max + 1" + on);
    ExpectAll<T>(binary(BinaryOp::kSub, min, one), L::max(), "min - 1" + on);
    ExpectAll<T>(binary(BinaryOp::kMul, max, two), T(-2), "max * 2" + on);
    ExpectAll<T>(binary(BinaryOp::kDiv, min, minus_one), L::min(), "min / -1" + on);
    ExpectAll<T>(binary(BinaryOp::kFloorMod, min, minus_one), T(0), "min mod -1" + on);
    ExpectAll<T>(binary(BinaryOp::kPow, two, Filled<T>(sizeof(T) * 8)), T(0), "2 ** bits" + on);
    ExpectAll<T>(unary(UnaryOp::kNeg, min), L::min(), "-min" + on);
    ExpectAll<T>(unary(UnaryOp::kAbs, min), L::min(), "abs(min)" + on);
    ExpectAll<T>(unary(UnaryOp::kSquare, max), T(1), "square(max)" + on);
    Tensor v = Filled<T>(L::max());
    EXPECT_TRUE(AxpyInPlace(v, one, 1.0));
    ExpectAll<T>(v, L::min(), "axpy max + 1" + on);
    Tensor sum = Tensor::Empty({Shape{1}, DTypeOf<T>::value});
    Reduce(ReduceKind::kSum, max, CollapseForReduce(max.shape(), {true}), sum);
    ExpectAll<T>(sum, WrapMul<T>(L::max(), T(1001)), "sum of 1001 max" + on);
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(Dispatch, IntegerOverflowWrapsInt32) { CheckIntegerWrap<int32_t>(); }
TEST(Dispatch, IntegerOverflowWrapsInt64) { CheckIntegerWrap<int64_t>(); }

}  // namespace
}  // namespace duet::cpu
