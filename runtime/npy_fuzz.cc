// libFuzzer target for the .npy loader: the input bytes are a file handed to ReadNpy (through a
// memfd, so the loader's own open/fstat/read path runs and nothing touches the disk). A load
// either fails with a "[load_npy] ..." error whose text has no NUL byte, or gives a
// tensor whose size the file really holds. Seeds: corpus/npy_fuzz/ (tools/fuzz/fuzz.bzl).
// Example: ./dev fuzz //runtime:npy_fuzz 600
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "runtime/npy.h"

namespace {

[[noreturn]] void Broken(const char* what, const std::string& detail) {
  std::fprintf(stderr, "npy_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

int Memfd() {
  static const int fd = [] {
    int f = memfd_create("npy_fuzz", MFD_CLOEXEC);
    if (f < 0) Broken("memfd_create failed", "");
    return f;
  }();
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fd = Memfd();
  if (ftruncate(fd, 0) != 0 ||
      (size > 0 && pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)))
    Broken("cannot fill the memfd", "");
  const std::string path = "/proc/self/fd/" + std::to_string(fd);

  absl::StatusOr<duet::Tensor> t = duet::ReadNpy(path);
  if (!t.ok()) {
    const std::string msg(t.status().message());
    if (msg.rfind("[load_npy] ", 0) != 0) Broken("error without the op name", msg);
    for (unsigned char c : msg)
      if (c == 0) Broken("NUL byte in the error message (cuts it and the user's line)", msg);
    return 0;
  }
  if (!t->defined() || t->is_symbolic()) Broken("loaded tensor is not concrete", "");
  for (int64_t d : t->shape())
    if (d < 0) Broken("negative dimension", t->spec().to_string());
  if (t->num_bytes() > size) Broken("tensor larger than the file", t->spec().to_string());
  if (t->dtype() == duet::DType::kBool) {
    const uint8_t* b = static_cast<const uint8_t*>(t->raw_data());
    for (int64_t i = 0; i < t->num_elements(); ++i)
      if (b[i] > 1) Broken("bool element not 0/1", t->spec().to_string());
  }
  return 0;
}
