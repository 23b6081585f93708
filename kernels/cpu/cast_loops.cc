// Per-target body of Cast (cast_loops.h): ConvertTo inlines into the loop, which GCC vectorizes
// with each Highway target's ISA; the entry point dispatches at run time.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/cpu/cast_loops.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "kernels/cpu/cast_loops.h"

HWY_BEFORE_NAMESPACE();
namespace duet::cpu::HWY_NAMESPACE {

template <class From, class To>
void CastLoop(const From* __restrict in, To* __restrict out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = ConvertTo<To>(in[i]);
}

void CastImpl(const Tensor& x, Tensor& out) {
  VisitDType(x.dtype(), [&](auto from_tag) {
    VisitDType(out.dtype(), [&](auto to_tag) {
      using From = decltype(from_tag);
      using To = decltype(to_tag);
      CastLoop<From, To>(x.data<From>(), out.mutable_data<To>(), x.num_elements());
    });
  });
}

}  // namespace duet::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace duet::cpu {

HWY_EXPORT(CastImpl);

void Cast(const Tensor& x, Tensor& out) { HWY_DYNAMIC_DISPATCH(CastImpl)(x, out); }

}  // namespace duet::cpu
#endif  // HWY_ONCE
