// Per-target bodies of binary_loops.h: the functors inline into elementwise_loops-inl.h's maps,
// which GCC vectorizes with each target's ISA.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/cpu/binary_loops.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "hwy/highway.h"
#include "kernels/cpu/binary_loops.h"
#include "kernels/cpu/elementwise_loops-inl.h"
#include "kernels/cpu/elementwise_loops.h"
#include "kernels/cpu/vmath.h"
#include "kernels/cpu/wrapping_int.h"

HWY_BEFORE_NAMESPACE();
namespace duet::cpu::HWY_NAMESPACE {

// Integer semantics (binary_ops.h): +, -, * and ** wrap on overflow (wrapping_int.h: computed in
// the unsigned type, which GCC still vectorizes); division floors; INT_MIN / -1 wraps to INT_MIN
// and INT_MIN mod -1 is 0; zero divisors are rejected by binary_ops.cc before the loop.
template <class T>
T FloorDiv(T a, T b) {
  T q = cpu::WrapDiv(a, b);
  return (cpu::WrapRem(a, b) != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;  // q - 1 > min here
}
template <class T>
T FloorMod(T a, T b) {
  T r = cpu::WrapRem(a, b);
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b
                                          : r;  // |r| < |b| with opposite signs: no overflow
}
template <class T>
T IntPow(T base, T exp) {
  T result = 1;
  for (; exp > 0; exp >>= 1, base = cpu::WrapMul(base, base))
    if (exp & 1) result = cpu::WrapMul(result, base);
  return result;
}

struct AddFn {
  template <class T>
  T operator()(T a, T b) const {
    return cpu::WrapAdd(a, b);
  }
};
struct SubFn {
  template <class T>
  T operator()(T a, T b) const {
    return cpu::WrapSub(a, b);
  }
};
struct MulFn {
  template <class T>
  T operator()(T a, T b) const {
    return cpu::WrapMul(a, b);
  }
};
struct DivFn {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>)
      return FloorDiv(a, b);
    else
      return a / b;
  }
};
struct IntPowFn {
  template <class T>
  T operator()(T a, T b) const {
    return IntPow(a, b);
  }
};
struct MaxFn {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>)
      if (std::isnan(a) || std::isnan(b)) return a + b;  // NaN wins, as TF
    return a > b ? a : b;
  }
};
struct MinFn {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>)
      if (std::isnan(a) || std::isnan(b)) return a + b;
    return a < b ? a : b;
  }
};
struct FloorModFn {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>)
      return FloorMod(a, b);
    else {
      T r = std::fmod(a, b);
      return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    }
  }
};
struct ReluGradFn {
  template <class T>
  T operator()(T dy, T x) const {
    return x > T(0) ? dy : T(0);
  }
};
struct EqFn {
  template <class T>
  bool operator()(T a, T b) const {
    return a == b;
  }
};
struct NeFn {
  template <class T>
  bool operator()(T a, T b) const {
    return a != b;
  }
};
struct LtFn {
  template <class T>
  bool operator()(T a, T b) const {
    return a < b;
  }
};
struct LeFn {
  template <class T>
  bool operator()(T a, T b) const {
    return a <= b;
  }
};
struct GtFn {
  template <class T>
  bool operator()(T a, T b) const {
    return a > b;
  }
};
struct GeFn {
  template <class T>
  bool operator()(T a, T b) const {
    return a >= b;
  }
};
struct AndFn {
  bool operator()(bool a, bool b) const { return a && b; }
};
struct OrFn {
  bool operator()(bool a, bool b) const { return a || b; }
};

// Float pow: each innermost run (operands contiguous or repeated scalars) goes to VectorPow.
template <class T>
void FloatPow(const Tensor& a, const Tensor& b, Tensor& out) {
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  T* po = out.mutable_data<T>();
  const int64_t n = out.num_elements();
  const int64_t na = a.num_elements(), nb = b.num_elements();
  if ((na == n || na == 1) && (nb == n || nb == 1)) {
    VectorPow(pa, na == n ? 1 : 0, pb, nb == n ? 1 : 0, po, n);
    return;
  }
  const Shape* shapes[2] = {&a.shape(), &b.shape()};
  ForEachBroadcast<2>(out.shape(), shapes, [&](int64_t m, const int64_t* offs, const int64_t* st) {
    VectorPow(pa + offs[0], st[0], pb + offs[1], st[1], po, m);
    po += m;
  });
}

template <class T>
bool Arithmetic(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  switch (op) {
    case BinaryOp::kAdd:
      BinaryMap<T, T>(a, b, out, AddFn{});
      return true;
    case BinaryOp::kSub:
      BinaryMap<T, T>(a, b, out, SubFn{});
      return true;
    case BinaryOp::kMul:
      BinaryMap<T, T>(a, b, out, MulFn{});
      return true;
    case BinaryOp::kDiv:
      BinaryMap<T, T>(a, b, out, DivFn{});
      return true;
    case BinaryOp::kPow:
      if constexpr (std::is_floating_point_v<T>)
        FloatPow<T>(a, b, out);
      else
        BinaryMap<T, T>(a, b, out, IntPowFn{});
      return true;
    case BinaryOp::kMaximum:
      BinaryMap<T, T>(a, b, out, MaxFn{});
      return true;
    case BinaryOp::kMinimum:
      BinaryMap<T, T>(a, b, out, MinFn{});
      return true;
    case BinaryOp::kFloorMod:
      BinaryMap<T, T>(a, b, out, FloorModFn{});
      return true;
    case BinaryOp::kReluGrad:
      BinaryMap<T, T>(a, b, out, ReluGradFn{});
      return true;
    default:
      return false;
  }
}

template <class T>
bool Comparison(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  switch (op) {
    case BinaryOp::kEqual:
      BinaryMap<T, bool>(a, b, out, EqFn{});
      return true;
    case BinaryOp::kNotEqual:
      BinaryMap<T, bool>(a, b, out, NeFn{});
      return true;
    case BinaryOp::kLess:
      BinaryMap<T, bool>(a, b, out, LtFn{});
      return true;
    case BinaryOp::kLessEqual:
      BinaryMap<T, bool>(a, b, out, LeFn{});
      return true;
    case BinaryOp::kGreater:
      BinaryMap<T, bool>(a, b, out, GtFn{});
      return true;
    case BinaryOp::kGreaterEqual:
      BinaryMap<T, bool>(a, b, out, GeFn{});
      return true;
    default:
      return false;
  }
}

template <class T>
bool Typed(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  if (op >= BinaryOp::kEqual && op <= BinaryOp::kGreaterEqual) return Comparison<T>(op, a, b, out);
  if constexpr (std::is_same_v<T, bool>) {
    if (op == BinaryOp::kLogicalAnd) {
      BinaryMap<bool, bool>(a, b, out, AndFn{});
      return true;
    }
    if (op == BinaryOp::kLogicalOr) {
      BinaryMap<bool, bool>(a, b, out, OrFn{});
      return true;
    }
    return false;
  } else {
    return Arithmetic<T>(op, a, b, out);
  }
}

bool BinaryImpl(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  switch (a.dtype()) {
    case DType::kFloat32:
      return Typed<float>(op, a, b, out);
    case DType::kFloat64:
      return Typed<double>(op, a, b, out);
    case DType::kInt32:
      return Typed<int32_t>(op, a, b, out);
    case DType::kInt64:
      return Typed<int64_t>(op, a, b, out);
    case DType::kBool:
      return Typed<bool>(op, a, b, out);
    default:
      return false;
  }
}

}  // namespace duet::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace duet::cpu {

HWY_EXPORT(BinaryImpl);

bool Binary(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  return HWY_DYNAMIC_DISPATCH(BinaryImpl)(op, a, b, out);
}

}  // namespace duet::cpu
#endif  // HWY_ONCE
