// FileWriter: decodes the event file with the same protos, checks every record's length and
// data CRC, the file version record, scalar and histogram values, and when data reaches disk.
#include "api/summary/file_writer.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <regex>
#include <sstream>

#include "api/duet.h"
#include "api/summary/crc32c.h"
#include "api/summary/event.pb.h"
#include "api/summary/event_reader_for_test.h"
#include "api/summary/histogram.h"
#include "api/summary/record_writer.h"
#include "gtest/gtest.h"
#include "runtime/test_dir.h"
#include "tests/expect_error.h"

namespace duet::summary {
namespace {

TEST(Crc32c, MatchesTheStandardTestVectorAndTFRecordMasking) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(""), 0u);
  EXPECT_EQ(MaskCrc(0xE3069283u), ((0xE3069283u >> 15) | (0xE3069283u << 17)) + 0xa282ead8u);
}

TEST(Records, RoundTripAndDetectCorruption) {
  std::string stream = EncodeRecord("hello") + EncodeRecord("");
  EXPECT_EQ(stream.size(), 16u + 5 + 16);
  absl::StatusOr<std::vector<std::string>> r = ParseRecords(stream);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"hello", ""}));
  std::string bad = stream;
  bad[13] ^= 1;
  EXPECT_EQ(ParseRecords(bad).status().message(),
            "[ParseRecords] record at offset 0: data CRC mismatch");
  bad = stream;
  bad[0] ^= 1;
  EXPECT_EQ(ParseRecords(bad).status().message(),
            "[ParseRecords] record at offset 0: length CRC mismatch");
  EXPECT_EQ(ParseRecords(stream.substr(0, 20)).status().message(),
            "[ParseRecords] record at offset 0: truncated data (length 5)");
}

TEST(FileWriter, WritesScalarsAndHistogramsTensorBoardReads) {
  const std::string dir = TestDir("logs");
  std::string path;
  {
    FileWriter writer(dir);
    path = writer.path();
    writer.scalar("loss", 0.25, 1);
    writer.scalar("accuracy", constant(0.5f), 2);
    writer.histogram("w", constant({-1.0, 0.5, 0.5, 3.0}), 3);
    writer.flush();
  }
  EXPECT_TRUE(std::regex_match(std::filesystem::path(path).filename().string(),
                               std::regex(R"(events\.out\.tfevents\.\d{10}\.[^/]+)")))
      << path;
  std::vector<tensorboard::Event> events = ReadEvents(path);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].file_version(), "brain.Event:2");
  EXPECT_GT(events[0].wall_time(), 1.6e9);
  EXPECT_EQ(events[1].step(), 1);
  ASSERT_EQ(events[1].summary().value_size(), 1);
  EXPECT_EQ(events[1].summary().value(0).tag(), "loss");
  EXPECT_EQ(events[1].summary().value(0).simple_value(), 0.25f);
  EXPECT_EQ(events[2].summary().value(0).tag(), "accuracy");
  EXPECT_EQ(events[2].summary().value(0).simple_value(), 0.5f);
  EXPECT_EQ(events[2].step(), 2);

  const tensorboard::HistogramProto& h = events[3].summary().value(0).histo();
  EXPECT_EQ(events[3].summary().value(0).tag(), "w");
  EXPECT_EQ(h.min(), -1.0);
  EXPECT_EQ(h.max(), 3.0);
  EXPECT_EQ(h.num(), 4);
  EXPECT_EQ(h.sum(), 3.0);
  EXPECT_EQ(h.sum_squares(), 1 + 0.25 + 0.25 + 9);
  ASSERT_EQ(h.bucket_size(), h.bucket_limit_size());
  EXPECT_EQ(std::accumulate(h.bucket().begin(), h.bucket().end(), 0.0), 4.0);
  EXPECT_TRUE(std::is_sorted(h.bucket_limit().begin(), h.bucket_limit().end()));
  // The two 0.5s share a bucket whose upper limit is the first default limit above 0.5.
  for (int i = 0; i < h.bucket_size(); ++i)
    if (h.bucket(i) == 2) {
      EXPECT_GT(h.bucket_limit(i), 0.5) << i;
    }
}

TEST(FileWriter, BuffersUntilTheQueueFillsAndFlushesOnDestruction) {
  const std::string dir = TestDir("buffered");
  std::string path;
  {
    FileWriter writer(dir, {.max_queue = 3, .flush_secs = 1e9});
    path = writer.path();
    EXPECT_EQ(ReadEvents(path).size(), 1u);  // the version record is written at once
    writer.scalar("a", 1, 1);
    writer.scalar("a", 2, 2);
    EXPECT_EQ(ReadEvents(path).size(), 1u);
    writer.scalar("a", 3, 3);  // the third fills the queue
    EXPECT_EQ(ReadEvents(path).size(), 4u);
    writer.scalar("a", 4, 4);
  }
  std::vector<tensorboard::Event> events = ReadEvents(path);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[4].summary().value(0).simple_value(), 4.f);
}

TEST(FileWriter, TwoWritersInOneSecondGetTwoFiles) {
  const std::string dir = TestDir("two");
  FileWriter a(dir), b(dir);
  EXPECT_NE(a.path(), b.path());
}

TEST(FileWriter, BadInputIsAClearError) {
  const std::string dir = TestDir("errors");
  FileWriter writer(dir);
  ExpectError(
      [&] {
        writer.scalar("s", constant({1.f, 2.f}), 0);
      },
      "[FileWriter.scalar] 's': expected one value, got float32(2,)");
  ExpectError([&] { writer.histogram("h", Tensor(), 0); },
              "[FileWriter.histogram] 'h': the tensor is undefined");
  std::ofstream(dir + "/file") << "x";
  ExpectError([&] { FileWriter(dir + "/file/sub"); },
              "[FileWriter] cannot create the log directory");
}

TEST(Histogram, DefaultBucketsAreSymmetricAndEmptyRunsCollapse) {
  const std::vector<double>& limits = DefaultBucketLimits();
  ASSERT_EQ(limits.size() % 2, 1u);
  EXPECT_EQ(limits[limits.size() / 2], 0.0);
  EXPECT_EQ(limits.front(), -limits.back());
  tensorboard::HistogramProto h = MakeHistogram({});
  EXPECT_EQ(h.num(), 0);
  EXPECT_EQ(h.bucket_size(), 1);  // one collapsed empty run up to DBL_MAX
  h = MakeHistogram({std::nan(""), 1.0});
  EXPECT_EQ(h.num(), 1);
  EXPECT_EQ(h.bucket_size(), 3);  // empty run, the value's bucket, empty run
}

}  // namespace
}  // namespace duet::summary
