// ReadEvents for tests: the Event protos of a TensorBoard event file, decoded with a reader
// written apart from record_writer.cc (checking every record's length and data CRC by hand, as
// gtest expectations), so a test of anything that logs can check what TensorBoard would see.
// Example: std::vector<tensorboard::Event> e = ReadEvents(writer.path());  e[0].file_version();
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/summary/crc32c.h"
#include "api/summary/event.pb.h"
#include "gtest/gtest.h"

namespace duet::summary {

// The events in a file, checking the framing by hand (not with ParseRecords).
inline std::vector<tensorboard::Event> ReadEvents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string s = ss.str();
  std::vector<tensorboard::Event> events;
  size_t at = 0;
  while (at < s.size()) {
    uint64_t len;
    uint32_t len_crc, data_crc;
    if (s.size() - at < 16) {
      ADD_FAILURE() << "a truncated record header at " << at;
      break;
    }
    std::memcpy(&len, s.data() + at, 8);
    std::memcpy(&len_crc, s.data() + at + 8, 4);
    EXPECT_EQ(len_crc, MaskCrc(Crc32c(s.data() + at, 8))) << "length CRC of the record at " << at;
    if (len > s.size() - at - 16) {
      ADD_FAILURE() << "the record at " << at << " claims " << len << " bytes, past the end";
      break;
    }
    std::memcpy(&data_crc, s.data() + at + 12 + len, 4);
    EXPECT_EQ(data_crc, MaskCrc(Crc32c(s.data() + at + 12, len)))
        << "data CRC of the record at " << at;
    tensorboard::Event e;
    EXPECT_TRUE(e.ParseFromArray(s.data() + at + 12, static_cast<int>(len)));
    events.push_back(e);
    at += 16 + len;
  }
  return events;
}

}  // namespace duet::summary
