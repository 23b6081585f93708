#include "runtime/shape.h"

#include <unistd.h>

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace duet {

int64_t Shape::num_elements() const {
  int64_t n = 1;
  bool overflow = false;
  for (int64_t d : dims_) {
    if (d < 0) return -1;
    overflow |= __builtin_mul_overflow(n, d, &n);
  }
  if (overflow) [[unlikely]]
    for (int64_t d : dims_)
      if (d == 0) return 0;  // a zero dim makes any product 0, whatever overflowed before it
  return overflow ? std::numeric_limits<int64_t>::max() : n;
}

absl::StatusOr<int64_t> CheckedNumElements(const Shape& shape) {
  int64_t n = 1;
  bool unknown = false, overflow = false;
  for (int64_t d : shape) {
    if (d < -1)
      return absl::InvalidArgumentError(
          absl::StrCat("shape ", shape.to_string(), " has a negative dimension"));
    if (d == -1)
      unknown = true;
    else
      overflow |= __builtin_mul_overflow(n, d, &n);
  }
  if (unknown) return int64_t{-1};
  if (overflow) {
    for (int64_t d : shape)
      if (d == 0) return int64_t{0};
    return absl::InvalidArgumentError(
        absl::StrCat("the element count of shape ", shape.to_string(), " overflows int64"));
  }
  return n;
}

int64_t MaxTensorBytes() {
  static const int64_t limit = [] {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0) return kMaxTensorBytes;
    return std::min(kMaxTensorBytes, static_cast<int64_t>(pages) * page);
  }();
  return limit;
}

absl::Status CheckAllocatable(const Shape& shape, size_t element_size) {
  absl::StatusOr<int64_t> n = CheckedNumElements(shape);
  if (!n.ok() || *n < 0) return n.status();
  int64_t bytes = 0;
  if (__builtin_mul_overflow(*n, static_cast<int64_t>(element_size), &bytes) ||
      bytes > MaxTensorBytes())
    return absl::ResourceExhaustedError(
        absl::StrCat("shape ", shape.to_string(), " (", *n, " elements of ", element_size,
                     " bytes) is larger than the ", MaxTensorBytes(),
                     "-byte tensor limit (physical memory, at most 1 TiB)"));
  return absl::OkStatus();
}

bool Shape::fully_defined() const {
  for (int64_t d : dims_)
    if (d < 0) return false;
  return true;
}

std::string Shape::to_string() const {
  if (dims_.size() == 1)
    return absl::StrCat("(", dims_[0], ",)");  // Python's 1-tuple, as TF prints
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
