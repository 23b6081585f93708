#include "runtime/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace duet {
namespace {

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

absl::Status ErrnoError(const std::string& path, const char* what, int err) {
  return absl::InternalError(
      absl::StrCat("cannot write '", path, "': ", what, ": ", std::strerror(err)));
}

// Stale "<base>.tmp*" files left by a process killed between naming and renaming.
void RemoveStaleTemps(const std::string& path) {
  const std::string dir = DirOf(path);
  const std::string prefix =
      path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1) + ".tmp";
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d))
    if (std::strncmp(e->d_name, prefix.c_str(), prefix.size()) == 0)
      ::unlink((dir + "/" + e->d_name).c_str());
  ::closedir(d);
}

}  // namespace

absl::Status FileSink::Write(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return absl::InternalError(
          absl::StrCat("write failed: ", std::strerror(n < 0 ? errno : EIO)));
    p += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(dir, "cannot open the directory", errno);
  int err = ::fsync(fd) != 0 ? errno : 0;
  ::close(fd);
  return err ? ErrnoError(dir, "fsync of the directory", err) : absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::FunctionRef<absl::Status(FileSink&)> fill) {
  const std::string dir = DirOf(path);
  RemoveStaleTemps(path);
  // Unnamed first: a kill before linkat leaves nothing behind.
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  std::string tmp = path + ".tmpXXXXXX";
  bool named = false;
  if (fd < 0) {  // filesystems without O_TMPFILE
    fd = ::mkstemp(tmp.data());
    if (fd < 0) return ErrnoError(path, "cannot create a file there", errno);
    named = true;
  }
  FileSink sink(fd);
  absl::Status status = fill(sink);
  int err = 0;
  if (status.ok() && ::fchmod(fd, 0644) != 0) err = errno;  // mkstemp makes 0600
  if (status.ok() && !err && ::fsync(fd) != 0)
    err = errno;  // data on disk before a name points at it
  if (status.ok() && !err && !named) {
    tmp = path + ".tmp" + std::to_string(::getpid());
    std::string proc = absl::StrCat("/proc/self/fd/", fd);
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) != 0)
      err = errno;
    else
      named = true;
  }
  if (::close(fd) != 0 && status.ok() && !err) err = errno;
  if (status.ok() && !err && std::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (!status.ok() || err) {
    if (named) std::remove(tmp.c_str());
    if (!status.ok())
      return absl::Status(status.code(),
                          absl::StrCat("cannot write '", path, "': ", status.message()));
    return ErrnoError(path, "write failed", err);
  }
  return SyncDirectory(dir);
}

}  // namespace duet
