// Half (IEEE float16) and BFloat16: storage types with exact conversions to and from float.
// They hold bits only; arithmetic happens after a cast to float32. Example: float(Half(1.5f))
// == 1.5f.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace duet {

struct BFloat16 {
  uint16_t bits = 0;
  BFloat16() = default;
  explicit BFloat16(float f) {
    uint32_t u = std::bit_cast<uint32_t>(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) {
      bits = 0x7fc0;
      return;
    }                                 // NaN stays NaN
    u += 0x7fffu + ((u >> 16) & 1u);  // round to nearest even
    bits = static_cast<uint16_t>(u >> 16);
  }
  explicit operator float() const {
    return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16);
  }
};

struct Half {
  uint16_t bits = 0;
  Half() = default;
  explicit Half(float f) {
    uint32_t x = std::bit_cast<uint32_t>(f);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t mag = x & 0x7fffffffu;
    if (mag > 0x7f800000u) {
      bits = static_cast<uint16_t>(sign | 0x7e00u);
      return;
    }  // NaN
    if (mag >= 0x477ff000u) {
      bits = static_cast<uint16_t>(sign | 0x7c00u);
      return;
    }                         // overflow -> inf
    if (mag < 0x38800000u) {  // subnormal half (or zero): scale into the integer mantissa
      float scaled = std::bit_cast<float>(mag) * 16777216.0f;  // * 2^24: exact
      uint32_t m = static_cast<uint32_t>(__builtin_nearbyintf(scaled));
      bits = static_cast<uint16_t>(sign | m);
      return;
    }
    uint32_t rounded = mag + 0xfffu + ((mag >> 13) & 1u);  // round to nearest even
    bits = static_cast<uint16_t>(sign | ((rounded - 0x38000000u) >> 13));
  }
  explicit operator float() const {
    uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
    uint32_t exp = (bits >> 10) & 0x1fu, man = bits & 0x3ffu;
    if (exp == 0) {  // zero or subnormal
      float f = static_cast<float>(man) / 16777216.0f;
      return sign ? -f : f;
    }
    if (exp == 31) return std::bit_cast<float>(sign | 0x7f800000u | (man << 13));
    return std::bit_cast<float>(sign | ((exp + 112) << 23) | (man << 13));
  }
};

}  // namespace duet
