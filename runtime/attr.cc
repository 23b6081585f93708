#include "runtime/attr.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace duet {

AttrKind KindOf(const AttrValue& v) { return static_cast<AttrKind>(v.index()); }

const char* AttrKindName(AttrKind kind) {
  static constexpr const char* kNames[] = {"bool", "int",   "float", "string",
                                           "ints", "dtype", "shape"};
  return kNames[static_cast<int>(kind)];
}

std::string AttrToString(const AttrValue& v) {
  struct Printer {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return absl::StrCat(i); }
    std::string operator()(double d) const { return absl::StrCat(d); }
    std::string operator()(const std::string& s) const { return absl::StrCat("\"", s, "\""); }
    std::string operator()(const std::vector<int64_t>& v) const {
      return absl::StrCat("[", absl::StrJoin(v, ", "), "]");
    }
    std::string operator()(DType d) const { return std::string(DTypeName(d)); }
    std::string operator()(const Shape& s) const { return s.to_string(); }
  };
  return std::visit(Printer{}, v);
}

}  // namespace duet
