// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven, and TFRecord's masking.
// zlib only has CRC32; TFRecord framing needs CRC32C, and a 256-entry table is ten lines.
// Example: Crc32c("123456789") == 0xE3069283; MaskCrc(c) == ((c >> 15) | (c << 17)) + 0xa282ead8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace duet::summary {

uint32_t Crc32c(const void* data, size_t size);
inline uint32_t Crc32c(std::string_view s) { return Crc32c(s.data(), s.size()); }
inline uint32_t MaskCrc(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }

}  // namespace duet::summary
