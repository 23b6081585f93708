// DTypeSet: a set of dtypes, one bit each, for the dtypes an op input accepts (and the dtypes a
// kernel is registered for). Constant-time membership: the eager hot path checks it per input.
// Example: constexpr DTypeSet kFloats{DType::kFloat32, DType::kFloat64}; kFloats.contains(d);
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "runtime/dtype.h"

namespace duet {

class DTypeSet {
 public:
  constexpr DTypeSet() = default;
  constexpr DTypeSet(std::initializer_list<DType> dtypes) {  // NOLINT: {DType::kBool} converts
    for (DType d : dtypes) bits_ |= Bit(d);
  }
  static constexpr DTypeSet All() {
    DTypeSet s;
    s.bits_ = (uint32_t{1} << kNumDTypes) - 1;
    return s;
  }

  constexpr bool contains(DType d) const { return (bits_ & Bit(d)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool all() const { return bits_ == All().bits_; }
  constexpr DTypeSet operator|(DTypeSet o) const {
    DTypeSet s;
    s.bits_ = bits_ | o.bits_;
    return s;
  }
  friend constexpr bool operator==(DTypeSet, DTypeSet) = default;

  template <class Fn>
  void ForEach(Fn&& fn) const {
    for (int d = 0; d < kNumDTypes; ++d)
      if (bits_ & (uint32_t{1} << d)) fn(static_cast<DType>(d));
  }
  // "float32, float64"
  std::string ToString() const {
    std::string out;
    ForEach([&](DType d) {
      if (!out.empty()) out += ", ";
      out += DTypeName(d);
    });
    return out;
  }

 private:
  static constexpr uint32_t Bit(DType d) { return uint32_t{1} << static_cast<int>(d); }
  uint32_t bits_ = 0;
};

inline constexpr DTypeSet kAnyDType = DTypeSet::All();
inline constexpr DTypeSet kFloatDTypes{DType::kFloat32, DType::kFloat64};
inline constexpr DTypeSet kIndexDTypes{DType::kInt32, DType::kInt64};
inline constexpr DTypeSet kNumericDTypes = kFloatDTypes | kIndexDTypes;
inline constexpr DTypeSet kBoolDType{DType::kBool};

}  // namespace duet
