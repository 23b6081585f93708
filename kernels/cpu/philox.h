// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11): a
// counter-based generator, so a value depends only on (seed, counter) and is the same on
// every run and machine. kernels/cpu/random_fill.h turns its words into tensors.
// Example: Philox4x32({0, 0, 0, 0}, {0, 0}) == {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}
#pragma once

#include <array>
#include <cstdint>

namespace duet::cpu {

using PhiloxWords = std::array<uint32_t, 4>;

inline PhiloxWords Philox4x32(PhiloxWords c, std::array<uint32_t, 2> k) {
  for (int round = 0; round < 10; ++round) {
    if (round) k[0] += 0x9E3779B9u, k[1] += 0xBB67AE85u;
    uint64_t p0 = uint64_t{0xD2511F53u} * c[0];
    uint64_t p1 = uint64_t{0xCD9E8D57u} * c[2];
    c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
         static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
  }
  return c;
}

// The 4 words of block `b` of the stream keyed by `seed`.
inline PhiloxWords PhiloxBlock(uint64_t seed, uint64_t b) {
  return Philox4x32({static_cast<uint32_t>(b), static_cast<uint32_t>(b >> 32), 0, 0},
                    {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
}

// Uniform in [0, 1) with 24 (float) or 53 (double) random bits; add one ulp for (0, 1].
inline double Unit24(uint32_t w) { return static_cast<double>(w >> 8) * 0x1p-24; }
inline double Unit53(uint32_t hi, uint32_t lo) {
  return static_cast<double>(((uint64_t{hi} << 32) | lo) >> 11) * 0x1p-53;
}

}  // namespace duet::cpu
