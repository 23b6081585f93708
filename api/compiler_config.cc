#include "api/compiler_config.h"

#include "compiler/compile.h"

namespace duet::config {

void set_disabled_passes(const std::vector<std::string>& names, const Loc& loc) {
  ThrowIfError(compiler::SetDisabledPasses(names), loc);
}

std::vector<std::string> disabled_passes() { return compiler::DisabledPasses(); }

std::vector<std::string> pass_names() { return compiler::PassNames(); }

}  // namespace duet::config
