#include "api/summary/file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "api/summary/event.pb.h"
#include "api/summary/histogram.h"
#include "api/summary/record_writer.h"
#include "kernels/cast_ops.h"
#include "runtime/atomic_file.h"
#include "runtime/status_macros.h"

namespace duet::summary {
namespace {

double WallTime() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string HostName() {
  char name[256] = {0};
  if (::gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

absl::Status Errno(const std::string& what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat("[FileWriter] ", what, " '", path, "': ", std::strerror(errno)));
}

// The values of a concrete CPU tensor as doubles.
absl::StatusOr<std::vector<double>> Values(const Tensor& t, const std::string& op,
                                           const std::string& tag) {
  auto fail = [&](const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat("[FileWriter.", op, "] '", tag, "': ", what));
  };
  if (!t.defined()) return fail("the tensor is undefined");
  if (t.is_symbolic())
    return fail(absl::StrCat("cannot log symbolic tensor ", t.spec().to_string(),
                             " while a function is traced; log outside the function"));
  if (!IsNumeric(t.dtype()) && t.dtype() != DType::kFloat16 && t.dtype() != DType::kBFloat16 &&
      t.dtype() != DType::kBool)
    return fail(absl::StrCat("cannot log a ", DTypeName(t.dtype()), " tensor"));
  if (t.device() != kCPU0) return fail(absl::StrCat("the tensor is on ", t.device().to_string()));
  Tensor d = t.dtype() == DType::kFloat64 ? t : cast(t, DType::kFloat64);
  return d.to_vector<double>();
}

std::string SummaryEvent(int64_t step, tensorboard::Summary::Value value) {
  tensorboard::Event event;
  event.set_wall_time(WallTime());
  event.set_step(step);
  *event.mutable_summary()->add_value() = std::move(value);
  return event.SerializeAsString();
}

}  // namespace

FileWriter::FileWriter(const std::string& logdir, const FileWriterOptions& options, const Loc& loc)
    : options_(options), last_write_(std::chrono::steady_clock::now()) {
  std::error_code ec;
  std::filesystem::create_directories(logdir, ec);
  if (ec)
    ThrowError(absl::InternalError(absl::StrCat("[FileWriter] cannot create the log directory '",
                                                logdir, "': ", ec.message())),
               loc);
  const std::string base = absl::StrCat(
      logdir, logdir.empty() || logdir.back() == '/' ? "" : "/", "events.out.tfevents.",
      static_cast<int64_t>(std::time(nullptr)), ".", HostName(), options.filename_suffix);
  for (int n = 0; fd_ < 0; ++n) {
    path_ = n == 0 ? base : absl::StrCat(base, ".", n);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0 && (errno != EEXIST || n > 1000))
      ThrowError(Errno("cannot create the event file", path_), loc);
  }
  tensorboard::Event version;
  version.set_wall_time(WallTime());
  version.set_file_version("brain.Event:2");
  std::lock_guard<std::mutex> lock(mu_);
  queued_ = EncodeRecord(version.SerializeAsString());
  num_queued_ = 1;
  absl::Status s = WriteQueued();
  if (s.ok()) s = SyncDirectory(std::filesystem::path(path_).parent_path().string());
  if (!s.ok()) {
    ::close(fd_);
    ThrowError(s, loc);
  }
}

FileWriter::~FileWriter() {
  std::lock_guard<std::mutex> lock(mu_);
  absl::Status s = WriteQueued();
  if (!s.ok()) std::cerr << s.message() << "\n";
  ::close(fd_);
}

void FileWriter::scalar(const std::string& tag, double value, int64_t step, const Loc& loc) {
  tensorboard::Summary::Value v;
  v.set_tag(tag);
  v.set_simple_value(static_cast<float>(value));
  ThrowIfError(Add(SummaryEvent(step, std::move(v))), loc);
}

void FileWriter::scalar(const std::string& tag, const Tensor& value, int64_t step, const Loc& loc) {
  std::vector<double> values = ValueOrThrow(Values(value, "scalar", tag), loc);
  if (values.size() != 1)
    ThrowError(
        absl::InvalidArgumentError(absl::StrCat(
            "[FileWriter.scalar] '", tag, "': expected one value, got ", value.spec().to_string())),
        loc);
  scalar(tag, values[0], step, loc);
}

void FileWriter::histogram(const std::string& tag, const Tensor& values, int64_t step,
                           const Loc& loc) {
  tensorboard::Summary::Value v;
  v.set_tag(tag);
  *v.mutable_histo() = MakeHistogram(ValueOrThrow(Values(values, "histogram", tag), loc));
  ThrowIfError(Add(SummaryEvent(step, std::move(v))), loc);
}

void FileWriter::flush(const Loc& loc) {
  std::lock_guard<std::mutex> lock(mu_);
  ThrowIfError(WriteQueued(), loc);
}

absl::Status FileWriter::Add(std::string event) {
  std::lock_guard<std::mutex> lock(mu_);
  queued_ += EncodeRecord(event);
  ++num_queued_;
  const double since =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - last_write_).count();
  if (num_queued_ >= options_.max_queue || since >= options_.flush_secs) return WriteQueued();
  return absl::OkStatus();
}

absl::Status FileWriter::WriteQueued() {
  last_write_ = std::chrono::steady_clock::now();
  if (queued_.empty()) return absl::OkStatus();
  FileSink sink(fd_);
  absl::Status s = sink.Write(queued_.data(), queued_.size());
  if (!s.ok())
    return absl::InternalError(absl::StrCat("[FileWriter] '", path_, "': ", s.message()));
  if (::fdatasync(fd_) != 0) return Errno("fsync of", path_);
  queued_.clear();
  num_queued_ = 0;
  return absl::OkStatus();
}

}  // namespace duet::summary
