// Making tensors from C++ values: constant() from numbers, nested braced lists or vectors,
// and zeros/ones/fill. The dtype follows the C++ type (float->float32, double->float64,
// int->int32, int64_t->int64, bool->bool) unless one is given.
// Example: constant({{1, 2}, {3, 4}}) is int32 (2, 2); zeros({3, 4}) is float32.
#pragma once

#include <initializer_list>
#include <vector>

#include "runtime/operand.h"
#include "runtime/tensor.h"

namespace duet {

namespace internal {
template <class T>
constexpr DType NumberDType() {
  if constexpr (std::is_same_v<T, bool>)
    return DType::kBool;
  else if constexpr (std::is_floating_point_v<T>)
    return sizeof(T) == 4 ? DType::kFloat32 : DType::kFloat64;
  else
    return sizeof(T) <= 4 ? DType::kInt32 : DType::kInt64;
}
// Copies `values` (C++ type T) into a new tensor of `dtype`, converting each element.
template <class T>
Tensor MakeTensor(const T* values, const Shape& shape, DType dtype) {
  Tensor t = Tensor::Empty({shape, dtype});
  int64_t n = t.num_elements();
  VisitDType(dtype, [&](auto tag) {
    using U = decltype(tag);
    U* out = t.mutable_data<U>();
    for (int64_t i = 0; i < n; ++i) {
      if constexpr (std::is_same_v<U, Half> || std::is_same_v<U, BFloat16>)
        out[i] = U(static_cast<float>(values[i]));
      else
        out[i] = static_cast<U>(values[i]);
    }
  });
  return t;
}
// Flattens a nested braced list, checking it is rectangular.
template <class T, Number V>
void Flatten(const V& v, std::vector<T>& out, Shape&, int, const Loc&) {
  out.push_back(static_cast<T>(v));
}
template <class T, class Inner>
void Flatten(std::initializer_list<Inner> list, std::vector<T>& out, Shape& shape, int depth,
             const Loc& loc) {
  if (shape.rank() == depth)
    shape.push_back(static_cast<int64_t>(list.size()));
  else if (shape[depth] != static_cast<int64_t>(list.size()))
    ThrowError(absl::InvalidArgumentError(
                   "[constant] ragged nested list: rows of different lengths " +
                   std::to_string(shape[depth]) + " and " + std::to_string(list.size())),
               loc);
  for (const Inner& x : list) Flatten<T>(x, out, shape, depth + 1, loc);
}
// std::vector<bool> has no data(): bools are gathered as bytes.
template <class T>
using FlatStorage = std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>;
template <class T, class List>
Tensor ConstantFromList(const List& list, const Loc& loc, const DType* dtype = nullptr) {
  std::vector<FlatStorage<T>> flat;
  Shape shape;
  Flatten<FlatStorage<T>>(list, flat, shape, 0, loc);
  return MakeTensor(flat.data(), shape, dtype ? *dtype : NumberDType<T>());
}
}  // namespace internal

template <Number T>
Tensor constant(T value) {
  return internal::MakeTensor(&value, Shape{}, internal::NumberDType<T>());
}
template <Number T>
Tensor constant(T value, DType dtype) {
  return internal::MakeTensor(&value, Shape{}, dtype);
}

template <Number T>
Tensor constant(std::initializer_list<T> v, const Loc& loc = Loc::current()) {
  return internal::ConstantFromList<T>(v, loc);
}
template <Number T>
Tensor constant(std::initializer_list<std::initializer_list<T>> v,
                const Loc& loc = Loc::current()) {
  return internal::ConstantFromList<T>(v, loc);
}
template <Number T>
Tensor constant(std::initializer_list<std::initializer_list<std::initializer_list<T>>> v,
                const Loc& loc = Loc::current()) {
  return internal::ConstantFromList<T>(v, loc);
}
template <Number T>
Tensor constant(
    std::initializer_list<std::initializer_list<std::initializer_list<std::initializer_list<T>>>> v,
    const Loc& loc = Loc::current()) {
  return internal::ConstantFromList<T>(v, loc);
}
template <Number T>
Tensor constant(std::initializer_list<T> v, DType dtype, const Loc& loc = Loc::current()) {
  return internal::ConstantFromList<T>(v, loc, &dtype);
}
template <Number T>
Tensor constant(std::initializer_list<std::initializer_list<T>> v, DType dtype,
                const Loc& loc = Loc::current()) {
  return internal::ConstantFromList<T>(v, loc, &dtype);
}

// From a flat vector: rank 1, or laid out row-major in `shape`.
template <Number T>
Tensor constant(const std::vector<T>& values, const Shape& shape, const Loc& loc = Loc::current());
template <Number T>
Tensor constant(const std::vector<T>& values) {
  return constant(values, Shape{static_cast<int64_t>(values.size())});
}
template <Number T>
Tensor constant(const std::vector<T>& values, const Shape& shape, const Loc& loc) {
  if (shape.num_elements() != static_cast<int64_t>(values.size()))
    ThrowError(absl::InvalidArgumentError("[constant] " + std::to_string(values.size()) +
                                          " values cannot fill shape " + shape.to_string()),
               loc);
  if constexpr (std::is_same_v<T, bool>) {
    std::vector<uint8_t> bytes(values.begin(), values.end());
    return internal::MakeTensor(bytes.data(), shape, DType::kBool);
  } else {
    return internal::MakeTensor(values.data(), shape, internal::NumberDType<T>());
  }
}

// A tensor of `shape` with every element `value` converted to `dtype`.
Tensor fill(const Shape& shape, double value, DType dtype = DType::kFloat32,
            const Loc& loc = Loc::current());
// A tensor of `spec` with every element equal to the one-element tensor `scalar` (same dtype).
Tensor FillLike(const TensorSpec& spec, const Tensor& scalar);
Tensor zeros(const Shape& shape, DType dtype = DType::kFloat32, const Loc& loc = Loc::current());
Tensor ones(const Shape& shape, DType dtype = DType::kFloat32, const Loc& loc = Loc::current());

}  // namespace duet
