#include "eager/functional.h"

#include "absl/strings/str_cat.h"

namespace duet::internal {

void CheckScalarResult(const Tensor& y, const char* what, const Loc& loc) {
  if (!y.defined() || y.num_elements() != 1)
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[", what, "] the function must return a scalar, got ",
                                y.defined() ? y.spec().to_string() : "an undefined tensor")),
               loc);
}

void CheckCustomGradients(const std::vector<Tensor>& grads, const std::vector<TensorSpec>& inputs,
                          const Loc& loc) {
  if (grads.size() > inputs.size())
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[custom_gradient] the gradient function returned ", grads.size(),
                                " gradients for ", inputs.size(), " inputs")),
               loc);
  auto compatible = [](const TensorSpec& g,
                       const TensorSpec& x) {  // -1 dims (traced) match any size
    if (g.dtype != x.dtype || g.shape.rank() != x.shape.rank()) return false;
    for (int d = 0; d < g.shape.rank(); ++d)
      if (g.shape[d] >= 0 && x.shape[d] >= 0 && g.shape[d] != x.shape[d]) return false;
    return true;
  };
  for (size_t i = 0; i < grads.size(); ++i)
    if (grads[i].defined() && !compatible(grads[i].spec(), inputs[i]))
      ThrowError(absl::InvalidArgumentError(absl::StrCat(
                     "[custom_gradient] the gradient function returned ",
                     grads[i].spec().to_string(), " for input ", i, ", which is ",
                     inputs[i].to_string(), "; a gradient has its input's dtype and shape")),
                 loc);
}

void RecordCustomGradient(const std::vector<Tensor>& inputs, const std::vector<Tensor>& outputs,
                          CustomGradFn fn) {
  ForEachObserver([&](OpObserver* o) { o->OnCustomGradient(inputs, outputs, fn); });
}

}  // namespace duet::internal
