// DUET_HWY_TARGET=scalar|avx2|avx3 restricts Highway's dispatch to that one target for the
// whole benchmark run (before main), so one binary measures each ISA; unset: the best target.
// An unknown or unsupported name is reported and ignored.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "hwy/targets.h"

namespace {

int64_t TargetNamed(const char* name) {
  if (std::strcmp(name, "scalar") == 0) return HWY_SCALAR;
  if (std::strcmp(name, "avx2") == 0) return HWY_AVX2;
  if (std::strcmp(name, "avx3") == 0) return HWY_AVX3;
  return 0;
}

const bool kTargetSet = [] {
  const char* name = std::getenv("DUET_HWY_TARGET");
  if (name == nullptr) return false;
  const int64_t target = TargetNamed(name);
  if (target == 0 || (hwy::SupportedTargets() & target) == 0) {
    std::fprintf(stderr, "DUET_HWY_TARGET=%s: not a supported target (scalar, avx2, avx3)\n", name);
    return false;
  }
  hwy::SetSupportedTargetsForTest(target);
  std::fprintf(stderr, "Highway target: %s\n", hwy::TargetName(target));
  return true;
}();

}  // namespace
