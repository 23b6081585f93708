// Per-target body of select_loops.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/cpu/select_loops.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <bit>
#include <cstdint>
#include <type_traits>

#include "hwy/highway.h"
#include "kernels/cpu/elementwise_loops-inl.h"
#include "kernels/cpu/select_loops.h"

HWY_BEFORE_NAMESPACE();
namespace duet::cpu::HWY_NAMESPACE {

// Branch-free select on the bits: masks are random (a relu's gradient), and branches on them
// mispredict half the time; this form also vectorizes.
template <class T>
T Select(bool c, T x, T y) {
  using U = std::conditional_t<
      sizeof(T) == 1, uint8_t,
      std::conditional_t<sizeof(T) == 2, uint16_t,
                         std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;
  const U mask = static_cast<U>(U{0} - static_cast<U>(c));
  return std::bit_cast<T>(
      static_cast<U>((std::bit_cast<U>(x) & mask) | (std::bit_cast<U>(y) & static_cast<U>(~mask))));
}

void WhereImpl(const Tensor& cond, const Tensor& x, const Tensor& y, Tensor& out) {
  VisitDType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    TernaryMap<bool, T>(cond, x, y, out, [](bool c, T a, T b) { return Select<T>(c, a, b); });
  });
}

}  // namespace duet::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace duet::cpu {

HWY_EXPORT(WhereImpl);

void Where(const Tensor& cond, const Tensor& x, const Tensor& y, Tensor& out) {
  HWY_DYNAMIC_DISPATCH(WhereImpl)(cond, x, y, out);
}

}  // namespace duet::cpu
#endif  // HWY_ONCE
