// Per-target bodies of unary_loops.h for the non-transcendental ops (plain maps GCC vectorizes
// with each target's ISA); the transcendental ones forward to VectorMath.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/cpu/unary_loops.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "hwy/highway.h"
#include "kernels/cpu/elementwise_loops-inl.h"
#include "kernels/cpu/unary_loops.h"
#include "kernels/cpu/vmath.h"
#include "kernels/cpu/wrapping_int.h"

HWY_BEFORE_NAMESPACE();
namespace duet::cpu::HWY_NAMESPACE {

// Integer neg/abs/square wrap on overflow (abs(INT_MIN) == INT_MIN, as TF), see wrapping_int.h.
struct NegFn {
  template <class T>
  T operator()(T x) const {
    return cpu::WrapNeg(x);
  }
};
struct AbsFn {
  template <class T>
  T operator()(T x) const {
    return x < 0 ? cpu::WrapNeg(x) : x;
  }
};
struct SquareFn {
  template <class T>
  T operator()(T x) const {
    return cpu::WrapMul(x, x);
  }
};
struct ReluFn {
  template <class T>
  T operator()(T x) const {
    return x > 0 ? x : T(0);
  }
};
struct FloorFn {
  template <class T>
  T operator()(T x) const {
    return std::floor(x);
  }
};
struct NotFn {
  bool operator()(bool x) const { return !x; }
};

template <class T>
bool Typed(UnaryOp op, const Tensor& x, Tensor& out) {
  switch (op) {
    case UnaryOp::kNeg:
      UnaryMap<T, T>(x, out, NegFn{});
      return true;
    case UnaryOp::kAbs:
      UnaryMap<T, T>(x, out, AbsFn{});
      return true;
    case UnaryOp::kSquare:
      UnaryMap<T, T>(x, out, SquareFn{});
      return true;
    case UnaryOp::kRelu:
      UnaryMap<T, T>(x, out, ReluFn{});
      return true;
    case UnaryOp::kFloor:
      if constexpr (std::is_floating_point_v<T>) {
        UnaryMap<T, T>(x, out, FloorFn{});
        return true;
      }
      return false;
    default:
      return false;
  }
}

bool UnaryImpl(UnaryOp op, const Tensor& x, Tensor& out) {
  switch (x.dtype()) {
    case DType::kFloat32:
      return Typed<float>(op, x, out);
    case DType::kFloat64:
      return Typed<double>(op, x, out);
    case DType::kInt32:
      return Typed<int32_t>(op, x, out);
    case DType::kInt64:
      return Typed<int64_t>(op, x, out);
    case DType::kBool:
      if (op != UnaryOp::kLogicalNot) return false;
      UnaryMap<bool, bool>(x, out, NotFn{});
      return true;
    default:
      return false;
  }
}

}  // namespace duet::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace duet::cpu {
namespace {

// The transcendental ops' vmath function, if `op` is one.
bool MathOf(UnaryOp op, MathFn* fn) {
  switch (op) {
    case UnaryOp::kExp:
      *fn = MathFn::kExp;
      return true;
    case UnaryOp::kLog:
      *fn = MathFn::kLog;
      return true;
    case UnaryOp::kLog1p:
      *fn = MathFn::kLog1p;
      return true;
    case UnaryOp::kTanh:
      *fn = MathFn::kTanh;
      return true;
    case UnaryOp::kSigmoid:
      *fn = MathFn::kSigmoid;
      return true;
    case UnaryOp::kSoftplus:
      *fn = MathFn::kSoftplus;
      return true;
    case UnaryOp::kSqrt:
      *fn = MathFn::kSqrt;
      return true;
    case UnaryOp::kRsqrt:
      *fn = MathFn::kRsqrt;
      return true;
    case UnaryOp::kSin:
      *fn = MathFn::kSin;
      return true;
    case UnaryOp::kCos:
      *fn = MathFn::kCos;
      return true;
    default:
      return false;
  }
}

}  // namespace

HWY_EXPORT(UnaryImpl);

bool Unary(UnaryOp op, const Tensor& x, Tensor& out) {
  MathFn fn;
  if (!MathOf(op, &fn)) return HWY_DYNAMIC_DISPATCH(UnaryImpl)(op, x, out);
  const int64_t n = x.num_elements();
  switch (x.dtype()) {
    case DType::kFloat32:
      VectorMath(fn, x.data<float>(), out.mutable_data<float>(), n);
      return true;
    case DType::kFloat64:
      VectorMath(fn, x.data<double>(), out.mutable_data<double>(), n);
      return true;
    default:
      return false;
  }
}

}  // namespace duet::cpu
#endif  // HWY_ONCE
