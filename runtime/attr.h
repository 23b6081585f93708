// Op attributes: compile-time parameters of an op call (axes, strides, padding, dtype, ...).
// An op declares them by name and kind (AttrDef); a call's Attrs holds the values in that
// declaration order. Code reads them by name through AttrOf / ctx.attr<T>("name") (op_def.h)
// and builds them with MakeAttrs, which checks the order.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "runtime/dtype.h"
#include "runtime/shape.h"

namespace duet {

enum class AttrKind : uint8_t { kBool, kInt, kFloat, kString, kInts, kDType, kShape };

using AttrValue =
    std::variant<bool, int64_t, double, std::string, std::vector<int64_t>, DType, Shape>;
using Attrs = absl::InlinedVector<AttrValue, 4>;
using Ints = std::vector<int64_t>;  // the kInts value type

AttrKind KindOf(const AttrValue& v);
// The kind whose value type is T (AttrKind follows AttrValue's alternatives).
template <class T, class Variant>
struct AttrIndexOf;
template <class T, class... Ts>
struct AttrIndexOf<T, std::variant<Ts...>> {
  static constexpr size_t Find() {
    size_t i = 0;
    bool found = false;
    ((found = found || std::is_same_v<T, Ts>, i += found ? 0 : 1), ...);
    return i;
  }
  static_assert(Find() < sizeof...(Ts), "not an attribute value type");
};
template <class T>
constexpr AttrKind AttrKindFor() {
  return static_cast<AttrKind>(AttrIndexOf<T, AttrValue>::Find());
}
const char* AttrKindName(AttrKind kind);
std::string AttrToString(
    const AttrValue& v);  // "3", "true", "[1, 2]", "\"SAME\"", "float32", "(2, 3)"

struct AttrDef {
  std::string name;
  AttrKind kind;
};

}  // namespace duet
