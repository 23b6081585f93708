// Operand: an op argument that is either a Tensor or a C++ number. A number takes the dtype of
// the tensor it meets (`int_tensor + 1` stays int32, `float_tensor * 2.0` stays float32), as
// the API promises; a number alone maps by its C++ type (float->float32, int->int32, ...).
// LocatedOperand also captures the caller's line, for operators (which cannot take defaults).
#pragma once

#include <concepts>
#include <type_traits>
#include <utility>

#include "runtime/tensor.h"

namespace duet {

template <class T>
concept Number = std::is_arithmetic_v<T>;
// Types that convert to a Tensor (Variable does), other than Tensor and numbers.
template <class T>
concept TensorLike = std::convertible_to<const T&, Tensor> && !Number<T> &&
                     !std::same_as<std::remove_cvref_t<T>, Tensor>;

class Operand {
 public:
  Operand(const Tensor& t) : tensor_(t) {}        // NOLINT: implicit by design
  Operand(Tensor&& t) : tensor_(std::move(t)) {}  // NOLINT
  template <TensorLike T>
  Operand(const T& t) : tensor_(static_cast<Tensor>(t)) {}  // NOLINT
  template <Number T>
  Operand(T v)
      : is_number_(true),
        number_(static_cast<double>(v)),
        number_dtype_(NumberDType<T>()) {  // NOLINT
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
      int_value_ = static_cast<int64_t>(v);
  }

  bool is_number() const { return is_number_; }
  const Tensor& tensor() const { return tensor_; }
  // The operand as a tensor; a number becomes a scalar of `like` (its own C++ dtype if none).
  absl::StatusOr<Tensor> ToTensor(const char* op, const DType* like = nullptr) const;

 private:
  template <class T>
  static constexpr DType NumberDType() {
    if constexpr (std::is_same_v<T, bool>)
      return DType::kBool;
    else if constexpr (std::is_floating_point_v<T>)
      return sizeof(T) == 4 ? DType::kFloat32 : DType::kFloat64;
    else
      return sizeof(T) <= 4 ? DType::kInt32 : DType::kInt64;
  }
  Tensor tensor_;
  bool is_number_ = false;
  double number_ = 0;
  int64_t int_value_ = 0;
  DType number_dtype_ = DType::kFloat32;
};

// Both operands as tensors: a number takes the other side's dtype.
absl::StatusOr<std::pair<Tensor, Tensor>> ResolveOperands(const char* op, const Operand& a,
                                                          const Operand& b);

class LocatedOperand : public Operand {
 public:
  template <class T>
  requires std::constructible_from<Operand, const T&> LocatedOperand(
      const T& v, const Loc& loc = Loc::current())
      : Operand(v), loc_(loc) {}  // NOLINT
  const Loc& loc() const { return loc_; }

 private:
  Loc loc_;
};

// A scalar tensor holding `value` converted to `dtype`; an error names `op` when the value does
// not fit (1.5 into int32, 1e10 into int32).
absl::StatusOr<Tensor> ScalarTensor(const char* op, double value, int64_t int_value, bool is_int,
                                    DType dtype);

}  // namespace duet
