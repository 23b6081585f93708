#include "api/saved_model/atomic_dir.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "runtime/atomic_file.h"
#include "runtime/status_macros.h"

namespace duet::saved_model {
namespace {

namespace fs = std::filesystem;

std::string Parent(const std::string& dir) {
  fs::path p = fs::path(dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p.has_parent_path() ? p.parent_path().string() : ".";
}

std::string Base(const std::string& dir) {
  fs::path p = fs::path(dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p.filename().string();
}

absl::Status Errno(const std::string& what, const std::string& path, int err) {
  return absl::InternalError(
      absl::StrCat("[saved_model.save] cannot ", what, " '", path, "': ", std::strerror(err)));
}

}  // namespace

void RemoveStaleTemporaries(const std::string& dir) {
  std::error_code ec;
  const std::string prefix = Base(dir) + ".tmp-";
  for (const fs::directory_entry& e : fs::directory_iterator(Parent(dir), ec))
    if (absl::StartsWith(e.path().filename().string(), prefix)) fs::remove_all(e.path(), ec);
}

absl::Status WriteDirectoryAtomically(
    const std::string& dir, const std::vector<std::pair<std::string, std::string_view>>& files) {
  const std::string parent = Parent(dir);
  const std::string target = parent + "/" + Base(dir);
  RemoveStaleTemporaries(target);
  std::string tmp = target + ".tmp-XXXXXX";
  if (!::mkdtemp(tmp.data())) return Errno("create a directory beside", target, errno);
  auto fail = [&](absl::Status s) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
    return s;
  };
  for (const auto& [name, bytes] : files) {
    absl::Status s = WriteFileAtomically(
        tmp + "/" + name, [&](FileSink& out) { return out.Write(bytes.data(), bytes.size()); });
    if (!s.ok())
      return fail(absl::Status(s.code(), absl::StrCat("[saved_model.save] ", s.message())));
  }
  if (absl::Status s = SyncDirectory(tmp); !s.ok()) return fail(s);
  struct stat st;
  bool exists = ::lstat(target.c_str(), &st) == 0;
  if (exists && !S_ISDIR(st.st_mode))
    return fail(absl::FailedPreconditionError(
        absl::StrCat("[saved_model.save] '", target, "' exists and is not a directory")));
  if (exists) {
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      if (errno != EINVAL && errno != ENOSYS) return fail(Errno("replace", target, errno));
      // No exchange on this file system: move the old one aside first (a kill in between
      // leaves the old export under a temporary name, and no `dir`).
      std::string old = target + ".tmp-old" + std::to_string(::getpid());
      if (std::rename(target.c_str(), old.c_str()) != 0)
        return fail(Errno("move aside", target, errno));
      if (std::rename(tmp.c_str(), target.c_str()) != 0) {
        int err = errno;
        std::rename(old.c_str(), target.c_str());
        return fail(Errno("rename a directory to", target, err));
      }
      tmp = old;
    }
    std::error_code ec;
    fs::remove_all(tmp, ec);  // now the old export
  } else if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    return fail(Errno("rename a directory to", target, errno));
  }
  return SyncDirectory(parent);
}

}  // namespace duet::saved_model
