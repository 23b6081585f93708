// Per-target body of AxpyInPlace (axpy.h), dispatched at run time.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/cpu/axpy.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "kernels/cpu/axpy.h"

#include "kernels/cpu/wrapping_int.h"

HWY_BEFORE_NAMESPACE();
namespace duet::cpu::HWY_NAMESPACE {

// Integers are updated on the unsigned type's bits, so overflow wraps (wrapping_int.h).
template <class T>
void Axpy(T* __restrict value, const T* __restrict x, double alpha, int64_t n) {
  using U = WrapType<T>;
  U* __restrict v = reinterpret_cast<U*>(value);
  const U* __restrict p = reinterpret_cast<const U*>(x);
  const U a = static_cast<U>(static_cast<T>(alpha));
  if (alpha == 1)
    for (int64_t i = 0; i < n; ++i) v[i] += p[i];
  else
    for (int64_t i = 0; i < n; ++i) v[i] += a * p[i];
}

bool AxpyImpl(Tensor& value, const Tensor& x, double alpha) {
  const int64_t n = value.num_elements();
  switch (value.dtype()) {
    case DType::kFloat32:
      Axpy(value.mutable_data<float>(), x.data<float>(), alpha, n);
      return true;
    case DType::kFloat64:
      Axpy(value.mutable_data<double>(), x.data<double>(), alpha, n);
      return true;
    case DType::kInt32:
      Axpy(value.mutable_data<int32_t>(), x.data<int32_t>(), alpha, n);
      return true;
    case DType::kInt64:
      Axpy(value.mutable_data<int64_t>(), x.data<int64_t>(), alpha, n);
      return true;
    default:
      return false;
  }
}

}  // namespace duet::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace duet::cpu {

HWY_EXPORT(AxpyImpl);

bool AxpyInPlace(Tensor& value, const Tensor& x, double alpha) {
  value.mark_modified();  // caches keyed on the old contents (reordered conv weights) go stale
  return HWY_DYNAMIC_DISPATCH(AxpyImpl)(value, x, alpha);
}

}  // namespace duet::cpu
#endif  // HWY_ONCE
