// Shape: the dimensions of a tensor. Up to 6 dims live inline (no heap on the eager hot path).
// A dimension of -1 means "unknown size" (only in traced signatures and TensorSpecs).
// Example: Shape{2, 3}.num_elements() == 6; Shape{2, 3}.to_string() == "(2, 3)"; Shape{} is a
// scalar.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"

namespace duet {

class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<int64_t> dims) : dims_(dims.begin(), dims.end()) {}
  Shape(const std::vector<int64_t>& dims)
      : dims_(dims.begin(), dims.end()) {}  // NOLINT: implicit by design
  template <class It>
  Shape(It begin, It end) : dims_(begin, end) {}
  // Copies and moves go element by element: InlinedVector's own memcpy of the whole inline
  // buffer reads its unused slots, which GCC 12 reports as uninitialized at -O2 (-Werror).
  Shape(const Shape& other) : dims_(other.dims_.begin(), other.dims_.end()) {}
  Shape(Shape&& other) noexcept : dims_(other.dims_.begin(), other.dims_.end()) {}
  Shape& operator=(const Shape& other) {
    if (this != &other) dims_.assign(other.dims_.begin(), other.dims_.end());
    return *this;
  }
  Shape& operator=(Shape&& other) noexcept { return *this = other; }

  int rank() const { return static_cast<int>(dims_.size()); }
  std::vector<int64_t> dims() const { return {dims_.begin(), dims_.end()}; }
  // Negative indices count from the end (shape[-1] is the last dim), as API.md's layers use.
  int64_t operator[](int i) const { return dims_[i < 0 ? i + rank() : i]; }
  int64_t& operator[](int i) { return dims_[i < 0 ? i + rank() : i]; }
  // Product of the dims (1 for a scalar); -1 when any dim is unknown; INT64_MAX when the
  // product overflows (Dispatch rejects such shapes: see CheckedNumElements).
  int64_t num_elements() const;
  bool fully_defined() const;
  std::string to_string() const;

  const int64_t* data() const { return dims_.data(); }
  auto begin() const { return dims_.begin(); }
  auto end() const { return dims_.end(); }
  void push_back(int64_t d) { dims_.push_back(d); }
  void insert(int pos, int64_t d) { dims_.insert(dims_.begin() + pos, d); }
  void erase(int pos) { dims_.erase(dims_.begin() + pos); }

  friend bool operator==(const Shape& a, const Shape& b) { return a.dims_ == b.dims_; }
  friend std::ostream& operator<<(std::ostream& os, const Shape& s) { return os << s.to_string(); }

 private:
  absl::InlinedVector<int64_t, 6> dims_;
};

// The largest tensor duet allocates: 1 TiB, or the machine's physical memory if smaller.
// Bigger requests are errors (whatever the kernel's overcommit policy), never bad_alloc.
inline constexpr int64_t kMaxTensorBytes = int64_t{1} << 40;
int64_t MaxTensorBytes();

// The element count of `shape`, -1 when a dim is unknown (-1); an error when a dim is below -1
// or the product overflows int64. Shape computations use this instead of multiplying dims.
// Example: CheckedNumElements(Shape{1 << 40, 1 << 40}) is an error naming the shape.
absl::StatusOr<int64_t> CheckedNumElements(const Shape& shape);
// OK when a fully defined `shape` of `element_size`-byte elements fits in MaxTensorBytes()
// (shapes with unknown dims pass). The message names the shape and the byte count.
absl::Status CheckAllocatable(const Shape& shape, size_t element_size);

// Row-major strides (in elements) of a shape.
absl::InlinedVector<int64_t, 6> RowMajorStrides(const Shape& shape);

}  // namespace duet
