#include "kernels/cpu/cast_loops.h"

namespace duet::cpu {
namespace {

template <class From, class To>
void CastLoop(const From* __restrict in, To* __restrict out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = ConvertTo<To>(in[i]);
}

}  // namespace

void Cast(const Tensor& x, Tensor& out) {
  VisitDType(x.dtype(), [&](auto from_tag) {
    VisitDType(out.dtype(), [&](auto to_tag) {
      using From = decltype(from_tag);
      using To = decltype(to_tag);
      CastLoop<From, To>(x.data<From>(), out.mutable_data<To>(), x.num_elements());
    });
  });
}

}  // namespace duet::cpu
