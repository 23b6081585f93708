#include "runtime/tensor_factory.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace duet {

namespace {

Tensor FillNamed(const char* name, const Shape& shape, double value, DType dtype, const Loc& loc) {
  if (!shape.fully_defined())
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[", name, "] shape ", shape.to_string(),
                                                       " has a negative dimension")),
               loc);
  if (absl::Status s = CheckAllocatable(shape, SizeOf(dtype)); !s.ok())
    ThrowError(
        absl::Status(s.code(), absl::StrCat("[", name, "] ", DTypeName(dtype), " ", s.message())),
        loc);
  return FillLike(
      {shape, dtype},
      ValueOrThrow(ScalarTensor(name, value, static_cast<int64_t>(value), false, dtype), loc));
}

}  // namespace

Tensor fill(const Shape& shape, double value, DType dtype, const Loc& loc) {
  return FillNamed("fill", shape, value, dtype, loc);
}

Tensor FillLike(const TensorSpec& spec, const Tensor& scalar) {
  Tensor t = Tensor::Empty(spec);
  size_t width = SizeOf(spec.dtype);
  auto* out = static_cast<char*>(t.mutable_raw_data());
  const char* v = static_cast<const char*>(scalar.raw_data());
  for (int64_t i = 0, n = t.num_elements(); i < n; ++i) std::copy(v, v + width, out + i * width);
  return t;
}

Tensor zeros(const Shape& shape, DType dtype, const Loc& loc) {
  return FillNamed("zeros", shape, 0.0, dtype, loc);
}
Tensor ones(const Shape& shape, DType dtype, const Loc& loc) {
  return FillNamed("ones", shape, 1.0, dtype, loc);
}

}  // namespace duet
