// summary::FileWriter: TensorBoard event files, like tf.summary.create_file_writer.
//
// Writes "<logdir>/events.out.tfevents.<unix seconds>.<hostname>" (a ".<n>" suffix if two writers
// start in the same second): TFRecord-framed Event protos (record_writer.h), the first with
// file_version "brain.Event:2", then one Event per scalar (Summary.Value.simple_value) or
// histogram (Summary.Value.histo). Events are buffered and written when max_queue are waiting or
// flush_secs have passed since the last write (checked at each event), on flush() and on
// destruction. Safe to use from several threads.
//
// Deviation from DESIGN.md's atomic writes, on purpose: an event file is an append-only log that
// TensorBoard reads while it grows (holding it open), so it is appended to and fsynced on each
// flush, not replaced by rename. A crash can only cut the last record short, which TensorBoard's
// reader skips.
// Example:
//   summary::FileWriter writer("logs/");
//   writer.scalar("loss", 0.25, /*step=*/1);
//   writer.histogram("dense/kernel", kernel.value(), 1);
//   writer.flush();   // `tensorboard --logdir logs` shows both
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "runtime/error.h"
#include "runtime/tensor.h"

namespace duet::summary {

struct FileWriterOptions {
  int max_queue = 10;      // events buffered before a write
  double flush_secs = 10;  // or this long since the last write
  std::string filename_suffix;
};

class FileWriter {
 public:
  explicit FileWriter(const std::string& logdir, const FileWriterOptions& options = {},
                      const Loc& loc = Loc::current());
  ~FileWriter();  // flushes; an error there is reported on stderr (destructors cannot throw)
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void scalar(const std::string& tag, double value, int64_t step, const Loc& loc = Loc::current());
  // A one-element tensor of any real dtype (e.g. a metric's result()).
  void scalar(const std::string& tag, const Tensor& value, int64_t step,
              const Loc& loc = Loc::current());
  // The distribution of all of a tensor's values.
  void histogram(const std::string& tag, const Tensor& values, int64_t step,
                 const Loc& loc = Loc::current());
  void flush(const Loc& loc = Loc::current());

  const std::string& path() const { return path_; }  // the event file

 private:
  // Queues one serialized Event; writes when the queue is full or flush_secs have passed.
  absl::Status Add(std::string event);
  absl::Status WriteQueued();  // mu_ held

  FileWriterOptions options_;
  std::string path_;
  int fd_ = -1;
  std::mutex mu_;
  std::string queued_;  // framed records not yet written
  int num_queued_ = 0;
  std::chrono::steady_clock::time_point last_write_;
};

}  // namespace duet::summary
