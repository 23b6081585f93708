#include "runtime/shape.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace duet {

int64_t Shape::num_elements() const {
  int64_t n = 1;
  for (int64_t d : dims_) {
    if (d < 0) return -1;
    n *= d;
  }
  return n;
}

bool Shape::fully_defined() const {
  for (int64_t d : dims_) if (d < 0) return false;
  return true;
}

std::string Shape::to_string() const {
  if (dims_.size() == 1) return absl::StrCat("(", dims_[0], ",)");  // Python's 1-tuple, as TF prints
  return absl::StrCat("(", absl::StrJoin(dims_, ", "), ")");
}

absl::InlinedVector<int64_t, 6> RowMajorStrides(const Shape& shape) {
  absl::InlinedVector<int64_t, 6> strides(shape.rank());
  int64_t s = 1;
  for (int i = shape.rank() - 1; i >= 0; --i) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

}  // namespace duet
