// DType: the element types a Tensor can hold, their sizes and names.
// Example: SizeOf(DType::kFloat32) == 4; DTypeName(DType::kInt64) == "int64".
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/half.h"

namespace duet {

enum class DType : uint8_t { kFloat32, kFloat64, kInt32, kInt64, kBool, kFloat16, kBFloat16 };
inline constexpr int kNumDTypes = 7;

size_t SizeOf(DType dtype);
const char* DTypeName(DType dtype);
bool IsFloating(DType dtype);  // float32/64/16, bfloat16
bool IsInteger(DType dtype);   // int32/int64
// The dtypes most kernels implement: float32/64 and int32/64 (no arithmetic on f16/bf16/bool).
bool IsNumeric(DType dtype);

// The dtype a C++ type maps to (float->float32, double->float64, int->int32, ...).
template <class T>
struct DTypeOf;
template <>
struct DTypeOf<float> {
  static constexpr DType value = DType::kFloat32;
};
template <>
struct DTypeOf<double> {
  static constexpr DType value = DType::kFloat64;
};
template <>
struct DTypeOf<int32_t> {
  static constexpr DType value = DType::kInt32;
};
template <>
struct DTypeOf<int64_t> {
  static constexpr DType value = DType::kInt64;
};
template <>
struct DTypeOf<bool> {
  static constexpr DType value = DType::kBool;
};
template <>
struct DTypeOf<Half> {
  static constexpr DType value = DType::kFloat16;
};
template <>
struct DTypeOf<BFloat16> {
  static constexpr DType value = DType::kBFloat16;
};
template <class T>
inline constexpr DType kDTypeOf = DTypeOf<T>::value;

// Calls fn(T{}) with T the C++ type of `dtype`. Example: VisitDType(d, [&](auto t) { using T =
// decltype(t); ... });
template <class Fn>
decltype(auto) VisitDType(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::kFloat32:
      return fn(float{});
    case DType::kFloat64:
      return fn(double{});
    case DType::kInt32:
      return fn(int32_t{});
    case DType::kInt64:
      return fn(int64_t{});
    case DType::kBool:
      return fn(bool{});
    case DType::kFloat16:
      return fn(Half{});
    case DType::kBFloat16:
      break;
  }
  return fn(BFloat16{});
}

}  // namespace duet
