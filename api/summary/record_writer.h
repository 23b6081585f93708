// TFRecord framing, the container of TensorBoard event files: each record is
//   uint64 length (LE) | uint32 masked CRC32C of those 8 bytes | data | uint32 masked CRC32C of
//   data
// EncodeRecord frames one record; ParseRecords splits a stream back (checking both CRCs), for
// tests and tools that read event files.
// Example:
//   std::string framed = EncodeRecord(event.SerializeAsString());
//   ASSIGN_OR_RETURN(std::vector<std::string> records, ParseRecords(file_bytes));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace duet::summary {

std::string EncodeRecord(std::string_view data);

// InvalidArgument on a truncated record or a CRC mismatch (naming the record's offset).
absl::StatusOr<std::vector<std::string>> ParseRecords(std::string_view stream);

}  // namespace duet::summary
