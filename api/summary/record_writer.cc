#include "api/summary/record_writer.h"

#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "api/summary/crc32c.h"

namespace duet::summary {
namespace {

void AppendLE32(std::string& out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out.append(b, 4);
}

uint32_t LoadLE32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

std::string EncodeRecord(std::string_view data) {
  std::string out;
  out.reserve(data.size() + 16);
  const uint64_t length = data.size();
  char len[8];
  std::memcpy(len, &length, 8);
  out.append(len, 8);
  AppendLE32(out, MaskCrc(Crc32c(len, 8)));
  out.append(data);
  AppendLE32(out, MaskCrc(Crc32c(data)));
  return out;
}

absl::StatusOr<std::vector<std::string>> ParseRecords(std::string_view stream) {
  std::vector<std::string> records;
  size_t at = 0;
  while (at < stream.size()) {
    auto fail = [&](const std::string& what) {
      return absl::InvalidArgumentError(
          absl::StrCat("[ParseRecords] record at offset ", at, ": ", what));
    };
    if (stream.size() - at < 12) return fail("truncated length");
    uint64_t length;
    std::memcpy(&length, stream.data() + at, 8);
    if (LoadLE32(stream.data() + at + 8) != MaskCrc(Crc32c(stream.data() + at, 8)))
      return fail("length CRC mismatch");
    if (length > stream.size() - at - 12 || stream.size() - at - 12 - length < 4)
      return fail(absl::StrCat("truncated data (length ", length, ")"));
    std::string_view data = stream.substr(at + 12, length);
    if (LoadLE32(stream.data() + at + 12 + length) != MaskCrc(Crc32c(data)))
      return fail("data CRC mismatch");
    records.emplace_back(data);
    at += 16 + length;
  }
  return records;
}

}  // namespace duet::summary
