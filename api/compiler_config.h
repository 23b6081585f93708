// config:: switches for the compiler (API.md "Compiling"): which passes run, by name.
// Example: config::set_disabled_passes({"fuse-elementwise"});  // functions compiled from now on
#pragma once

#include <string>
#include <vector>

#include "runtime/error.h"

namespace duet::config {

// Passes left out of functions compiled from now on; {} = none. Throws duet::Error for a name
// that is not in the pipeline (listing it). DUET_DISABLE_PASSES=a,b sets the starting list.
void set_disabled_passes(const std::vector<std::string>& names, const Loc& loc = Loc::current());
std::vector<std::string> disabled_passes();
// The pipeline a function is compiled with, in order (without the disabled passes).
std::vector<std::string> pass_names();

}  // namespace duet::config
