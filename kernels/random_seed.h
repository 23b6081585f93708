// The seed state behind random ops (random::set_seed): shared by the op definitions and every
// backend's random kernels, so a backend computes the same Philox key for a call.
// Example: uint64_t key = RandomKeyFor(ctx.attr<int64_t>("seed"));
#pragma once

#include <cstdint>

namespace duet {

// The Philox key of one call: the explicit seed, or (seed -1) a fresh one from the global seed
// and a per-process call counter.
uint64_t RandomKeyFor(int64_t seed);
// Sets the global seed and restarts the call counter.
void SetGlobalSeed(int64_t seed);

}  // namespace duet
