// Entry layout: "duet-kernel 1\n", key size and object size (u64, little-endian), the key, the
// object, then the CRC-32 (zlib) of key and object (u32, little-endian).
#include "compiler/codegen/kernel_cache.h"

#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "compiler/codegen/object_jit.h"
#include "runtime/atomic_file.h"

namespace duet::codegen {
namespace {

constexpr char kMagic[] = "duet-kernel 1\n";
constexpr size_t kMagicSize = sizeof(kMagic) - 1;
constexpr size_t kHeaderSize = kMagicSize + 16;
constexpr uint64_t kMaxEntryBytes = uint64_t{256} << 20;  // no kernel object comes near this

void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return v;
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return v;
}
uint32_t Crc(std::string_view a, std::string_view b) {
  uLong crc = crc32_z(0L, Z_NULL, 0);
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(a.data()), a.size());
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(b.data()), b.size());
  return static_cast<uint32_t>(crc);
}

std::string DefaultDirectory() {
  if (const char* dir = std::getenv("DUET_KERNEL_CACHE")) {
    std::string d = dir;
    return d == "off" || d == "0" ? std::string() : d;
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return absl::StrCat(xdg, "/duet/kernels");
  if (const char* home = std::getenv("HOME"); home && *home)
    return absl::StrCat(home, "/.cache/duet/kernels");
  return std::string();
}

}  // namespace

KernelDiskCache& KernelDiskCache::Default() {
  static KernelDiskCache* cache = new KernelDiskCache(DefaultDirectory());
  return *cache;
}

std::string KernelDiskCache::PathFor(std::string_view key) const {
  return absl::StrFormat("%s/%016x.kernel", directory_, StableHash(key));
}

std::optional<std::string> KernelDiskCache::Read(std::string_view key) const {
  if (!enabled()) return std::nullopt;
  std::ifstream in(PathFor(key), std::ios::binary);
  if (!in) return std::nullopt;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < static_cast<std::streamoff>(kHeaderSize + 4) ||
      static_cast<uint64_t>(size) > kMaxEntryBytes)
    return std::nullopt;
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) return std::nullopt;
  if (std::memcmp(bytes.data(), kMagic, kMagicSize) != 0) return std::nullopt;
  const uint64_t key_size = GetU64(bytes.data() + kMagicSize);
  const uint64_t object_size = GetU64(bytes.data() + kMagicSize + 8);
  const uint64_t body = bytes.size() - kHeaderSize - 4;
  if (key_size > body || object_size != body - key_size) return std::nullopt;
  std::string_view stored_key(bytes.data() + kHeaderSize, key_size);
  std::string_view object(stored_key.data() + key_size, object_size);
  if (stored_key != key) return std::nullopt;  // a hash collision or a foreign file
  if (GetU32(object.data() + object_size) != Crc(stored_key, object)) return std::nullopt;
  return std::string(object);
}

absl::Status KernelDiskCache::Write(std::string_view key, std::string_view object) const {
  if (!enabled()) return absl::OkStatus();
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec)
    return absl::UnavailableError(absl::StrCat("kernel cache ", directory_, ": ", ec.message()));
  std::string header(kMagic, kMagicSize);
  PutU64(header, key.size());
  PutU64(header, object.size());
  std::string crc;
  PutU64(crc, Crc(key, object));
  crc.resize(4);
  return WriteFileAtomically(PathFor(key), [&](FileSink& out) -> absl::Status {
    for (std::string_view part : {std::string_view(header), key, object, std::string_view(crc)})
      if (absl::Status s = out.Write(part.data(), part.size()); !s.ok()) return s;
    return absl::OkStatus();
  });
}

}  // namespace duet::codegen
