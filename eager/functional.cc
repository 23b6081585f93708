#include "eager/functional.h"

#include "absl/strings/str_cat.h"

namespace duet::internal {

void CheckScalarResult(const Tensor& y, const char* what, const Loc& loc) {
  if (!y.defined() || y.num_elements() != 1)
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[", what, "] the function must return a scalar, got ",
                                                       y.defined() ? y.spec().to_string() : "an undefined tensor")),
               loc);
}

void RecordCustomGradient(const std::vector<Tensor>& inputs, const std::vector<Tensor>& outputs, CustomGradFn fn) {
  if (!HasObservers()) return;
  absl::InlinedVector<OpObserver*, 4> observers(CurrentObservers().begin(), CurrentObservers().end());
  for (OpObserver* o : observers) o->OnCustomGradient(inputs, outputs, fn);
}

}  // namespace duet::internal
