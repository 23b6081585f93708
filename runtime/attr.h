// Op attributes: compile-time parameters of an op call (axes, strides, padding, dtype, ...).
// They are positional: attrs[i] belongs to the op's i-th declared AttrDef, so the eager hot
// path never looks up a name. Example: Attrs{AttrValue(int64_t{1}), AttrValue(true)}.
#pragma once

#include <cstdint>
#include <string>
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

AttrKind KindOf(const AttrValue& v);
const char* AttrKindName(AttrKind kind);
std::string AttrToString(
    const AttrValue& v);  // "3", "true", "[1, 2]", "\"SAME\"", "float32", "(2, 3)"

struct AttrDef {
  std::string name;
  AttrKind kind;
};

}  // namespace duet
