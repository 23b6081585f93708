#include "api/train/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace duet::train {
namespace {

// Closes the descriptor on every return path.
struct Fd {
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  int fd;
};

}  // namespace

absl::StatusOr<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes,
                                          const std::string& what) {
  auto error = [&](const std::string& message) {
    return absl::InvalidArgumentError(absl::StrCat("[", what, "] '", path, "': ", message));
  };
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) {
    std::string message =
        absl::StrCat("[", what, "] '", path, "': cannot open: ", std::strerror(errno));
    return errno == ENOENT ? absl::NotFoundError(message) : absl::InvalidArgumentError(message);
  }
  struct stat st;
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) return error("not a regular file");
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes)
    return error(absl::StrCat("file of ", size, " bytes exceeds the limit of ", max_bytes));
  std::string bytes(size, '\0');
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(f.fd, bytes.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return error(absl::StrCat("read failed: ", std::strerror(errno)));
    if (n == 0)
      return error(absl::StrCat("file shrank while reading (", done, " of ", size, " bytes)"));
    done += static_cast<size_t>(n);
  }
  return bytes;
}

}  // namespace duet::train
