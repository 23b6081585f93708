// zlib's inflate in gzip mode (windowBits 16 + MAX_WBITS), growing the output in chunks up to
// the cap; concatenated members are inflated one after another, as gunzip does.
#include "api/data/gzip_file.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace duet::data {

absl::StatusOr<std::string> Gunzip(std::string_view compressed, size_t max_output_bytes) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    return absl::InternalError("zlib inflateInit2 failed");
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());  // callers cap inputs far below 4 GiB
  absl::Status status;
  while (true) {
    if (out.size() == max_output_bytes) {
      status = absl::InvalidArgumentError(
          absl::StrCat("gzip data inflates to more than ", max_output_bytes, " bytes"));
      break;
    }
    const size_t chunk =
        std::min<size_t>(max_output_bytes - out.size(), std::max<size_t>(out.size(), 1 << 16));
    const size_t before = out.size();
    out.resize(before + chunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    z.avail_out = static_cast<uInt>(chunk);
    int rc = inflate(&z, Z_NO_FLUSH);
    out.resize(out.size() - z.avail_out);
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      inflateReset(&z);  // another gzip member follows
      continue;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) {
      status = absl::InvalidArgumentError(
          absl::StrCat("truncated gzip data: the stream ends after ", compressed.size(), " bytes"));
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      status = absl::InvalidArgumentError(
          absl::StrCat("corrupt gzip data: ", z.msg ? z.msg : zError(rc)));
      break;
    }
  }
  inflateEnd(&z);
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::string> ReadMaybeGzipFile(const std::string& path, size_t max_output_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    return absl::NotFoundError(absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  const std::streamoff size = in.tellg();
  if (size < 0 || static_cast<uint64_t>(size) > max_output_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is ", size, " bytes, more than the ", max_output_bytes, " allowed"));
  }
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) return absl::DataLossError(absl::StrCat("cannot read ", path));
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
      static_cast<unsigned char>(bytes[1]) == 0x8b) {
    absl::StatusOr<std::string> inflated = Gunzip(bytes, max_output_bytes);
    if (!inflated.ok()) {
      return absl::Status(inflated.status().code(),
                          absl::StrCat(path, ": ", inflated.status().message()));
    }
    return inflated;
  }
  return bytes;
}

}  // namespace duet::data
