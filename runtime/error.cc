#include "runtime/error.h"

#include <string_view>

#include "absl/strings/str_cat.h"

namespace duet {

std::string FormatLoc(const Loc& loc) {
  const char* file = loc.file_name();
  if (!file || !*file || loc.line() == 0) return "";
  return absl::StrCat(file, ":", loc.line());
}

void ThrowError(const absl::Status& status, const Loc& loc) {
  std::string where = FormatLoc(loc);
  std::string msg(status.message());
  throw Error(where.empty() ? msg : absl::StrCat(msg, " (at ", where, ")"));
}

}  // namespace duet
