// The one debugging flag: DUET_DUMP=1 (or a path) makes every layer write what a bug needs
// (the eager op log, later the traced graph and the IR after each pass) to stderr (or the file).
#pragma once

#include <string_view>

namespace duet {

bool DumpEnabled();  // read once from the environment
void DumpLine(std::string_view line);

}  // namespace duet
