#include "runtime/operand.h"

#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace duet {

absl::StatusOr<Tensor> ScalarTensor(const char* op, double value, int64_t int_value, bool is_int,
                                    DType dtype) {
  Tensor t = Tensor::Empty({Shape{}, dtype});
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "[", op, "] the number ", is_int ? absl::StrCat(int_value) : absl::StrCat(value),
        " cannot be represented as ", DTypeName(dtype)));
  };
  switch (dtype) {
    case DType::kFloat32:
      *t.mutable_data<float>() =
          static_cast<float>(is_int ? static_cast<double>(int_value) : value);
      break;
    case DType::kFloat64:
      *t.mutable_data<double>() = is_int ? static_cast<double>(int_value) : value;
      break;
    case DType::kFloat16:
      *t.mutable_data<Half>() = Half(static_cast<float>(value));
      break;
    case DType::kBFloat16:
      *t.mutable_data<BFloat16>() = BFloat16(static_cast<float>(value));
      break;
    case DType::kBool:
      *t.mutable_data<bool>() = value != 0;
      break;
    case DType::kInt32: {
      // Range-check the double before converting it: casting inf or NaN to an integer is UB.
      if (!is_int && (std::trunc(value) != value || std::abs(value) > 2147483647.0)) return bad();
      int64_t v = is_int ? int_value : static_cast<int64_t>(value);
      if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
        return bad();
      *t.mutable_data<int32_t>() = static_cast<int32_t>(v);
      break;
    }
    case DType::kInt64:
      if (!is_int && (std::trunc(value) != value || std::abs(value) > 9.2e18)) return bad();
      *t.mutable_data<int64_t>() = is_int ? int_value : static_cast<int64_t>(value);
      break;
  }
  return t;
}

absl::StatusOr<Tensor> Operand::ToTensor(const char* op, const DType* like) const {
  if (!is_number_) return tensor_;
  bool is_int = number_dtype_ == DType::kInt32 || number_dtype_ == DType::kInt64;
  return ScalarTensor(op, number_, int_value_, is_int, like ? *like : number_dtype_);
}

absl::StatusOr<std::pair<Tensor, Tensor>> ResolveOperands(const char* op, const Operand& a,
                                                          const Operand& b) {
  if (!a.is_number() && !b.is_number()) return std::pair(a.tensor(), b.tensor());
  const DType* like = nullptr;
  DType d;
  if (!a.is_number() && a.tensor().defined())
    like = &(d = a.tensor().dtype());
  else if (!b.is_number() && b.tensor().defined())
    like = &(d = b.tensor().dtype());
  ASSIGN_OR_RETURN(Tensor ta, a.ToTensor(op, like));
  ASSIGN_OR_RETURN(Tensor tb, b.ToTensor(op, like));
  return std::pair(std::move(ta), std::move(tb));
}

}  // namespace duet
