// The .npy layout (numpy/lib/format.py): "\x93NUMPY", major, minor, header length (uint16 LE
// for 1.0, uint32 LE for 2.0/3.0), then a Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a final '\n' so the data starts at a multiple of 64 bytes, then the
// raw little-endian elements in C order.
#include "runtime/npy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/atomic_file.h"
#include "runtime/device_copy.h"
#include "runtime/status_macros.h"

namespace duet {
namespace {

static_assert(std::endian::native == std::endian::little, "npy I/O assumes a little-endian host");

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;
constexpr size_t kAlign = 64;
constexpr uint32_t kMaxHeaderLen = 1 << 20;  // far above any real header; guards corrupt lengths

struct DescrEntry {
  const char* descr;
  DType dtype;
};
constexpr DescrEntry kDescrs[] = {
    {"<f4", DType::kFloat32}, {"<f8", DType::kFloat64}, {"<i4", DType::kInt32},
    {"<i8", DType::kInt64},   {"|b1", DType::kBool},    {"<f2", DType::kFloat16},
};

std::string Quoted(const std::string& path) { return absl::StrCat("'", path, "'"); }

absl::Status LoadError(const std::string& path, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("[load_npy] ", Quoted(path), ": ", what));
}

absl::Status SaveError(const std::string& path, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("[save_npy] ", Quoted(path), ": ", what));
}

// Header bytes quoted in a message: escaped, so a NUL or a control byte cannot cut the message
// (and drop the user's line after it) or garble a terminal.
std::string Escaped(const std::string& bytes) { return absl::CHexEscape(bytes); }

std::string ShapeTuple(const Shape& shape) { return shape.to_string(); }  // (), (5,), (2, 3)

// ---------------------------------------------------------------- header dict parsing
// A Python literal value of the header: a string, a bool, or a tuple of ints.
struct PyValue {
  enum Kind { kString, kBool, kTuple } kind = kString;
  std::string str;
  bool boolean = false;
  std::vector<int64_t> ints;
};

class HeaderParser {
 public:
  explicit HeaderParser(const std::string& text) : s_(text) {}

  // Fills `out` with key -> value; false (with error()) on anything that is not a flat dict.
  bool ParseDict(std::map<std::string, PyValue>& out) {
    SkipSpace();
    if (!Consume('{')) return Fail("expected '{'");
    for (;;) {
      SkipSpace();
      if (Consume('}')) break;
      std::string key;
      if (!ParseString(key)) return false;
      SkipSpace();
      if (!Consume(':')) return Fail("expected ':' after key '" + Escaped(key) + "'");
      SkipSpace();
      PyValue value;
      if (!ParseValue(value)) return false;
      out[key] = value;
      SkipSpace();
      if (Consume(',')) continue;
      if (Consume('}')) break;
      return Fail("expected ',' or '}'");
    }
    SkipSpace();
    if (pos_ != s_.size()) return Fail("unexpected text after the dict");
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  bool Fail(const std::string& what) {
    error_ = absl::StrCat(what, " at offset ", pos_);
    return false;
  }
  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool Consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  bool ConsumeWord(const char* w) {
    size_t n = std::strlen(w);
    if (s_.compare(pos_, n, w) != 0) return false;
    pos_ += n;
    return true;
  }
  bool ParseString(std::string& out) {
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"'))
      return Fail("expected a quoted string");
    char quote = s_[pos_++];
    size_t end = s_.find(quote, pos_);
    if (end == std::string::npos) return Fail("unterminated string");
    out = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return true;
  }
  bool ParseInt(int64_t& out) {
    size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    if (pos_ == start || pos_ - start > 18)
      return Fail("expected a dimension (a non-negative integer)");
    out = std::stoll(s_.substr(start, pos_ - start));
    Consume('L');  // Python 2 longs: (2L, 3L)
    return true;
  }
  bool ParseValue(PyValue& v) {
    if (ConsumeWord("True")) return v.kind = PyValue::kBool, v.boolean = true, true;
    if (ConsumeWord("False")) return v.kind = PyValue::kBool, v.boolean = false, true;
    if (Consume('(')) {
      v.kind = PyValue::kTuple;
      for (;;) {
        SkipSpace();
        if (Consume(')')) return true;
        int64_t d;
        if (!ParseInt(d)) return false;
        v.ints.push_back(d);
        SkipSpace();
        if (Consume(',')) continue;
        if (Consume(')')) return true;
        return Fail("expected ',' or ')' in the shape");
      }
    }
    v.kind = PyValue::kString;
    return ParseString(v.str);
  }

  const std::string& s_;
  size_t pos_ = 0;
  std::string error_;
};

absl::StatusOr<TensorSpec> ParseHeader(const std::string& header, const std::string& path) {
  std::map<std::string, PyValue> dict;
  HeaderParser parser(header);
  if (!parser.ParseDict(dict))
    return LoadError(path,
                     absl::StrCat("corrupt header (", parser.error(), "): ", Escaped(header)));
  for (const char* key : {"descr", "fortran_order", "shape"})
    if (!dict.count(key))
      return LoadError(path, absl::StrCat("corrupt header: no '", key, "' key: ", Escaped(header)));
  if (dict.size() != 3)
    return LoadError(path, absl::StrCat("corrupt header: unexpected keys: ", Escaped(header)));
  const PyValue& descr = dict["descr"];
  const PyValue& fortran = dict["fortran_order"];
  const PyValue& shape = dict["shape"];
  if (descr.kind != PyValue::kString || fortran.kind != PyValue::kBool ||
      shape.kind != PyValue::kTuple)
    return LoadError(path, absl::StrCat("corrupt header: wrong value types: ", Escaped(header)));
  if (fortran.boolean)
    return LoadError(path,
                     "fortran_order=True arrays are not supported; save a C-ordered array "
                     "(np.ascontiguousarray)");
  DType dtype = DType::kFloat32;
  bool found = false;
  for (const DescrEntry& e : kDescrs)
    if (descr.str == e.descr) dtype = e.dtype, found = true;
  if (!found && descr.str == "<b1") dtype = DType::kBool, found = true;
  if (!found) {
    if (!descr.str.empty() && descr.str[0] == '>')
      return LoadError(path, absl::StrCat("big-endian dtype '", Escaped(descr.str),
                                          "' is not supported; convert it with "
                                          "a.astype(a.dtype.newbyteorder('<')) before saving"));
    std::vector<std::string> names;
    for (const DescrEntry& e : kDescrs) names.push_back(e.descr);
    return LoadError(path, absl::StrCat("unsupported dtype '", Escaped(descr.str),
                                        "'; supported: ", absl::StrJoin(names, " ")));
  }
  return TensorSpec(Shape(shape.ints), dtype);
}

// ---------------------------------------------------------------- writing
std::string MakeHeader(const Tensor& t, const char* descr) {
  std::string dict = absl::StrCat(
      "{'descr': '", descr, "', 'fortran_order': False, 'shape': ", ShapeTuple(t.shape()), ", }");
  // magic + version + uint16 length + dict + padding + '\n' == a multiple of kAlign.
  size_t unpadded = kMagicLen + 2 + 2 + dict.size() + 1;
  dict.append((kAlign - unpadded % kAlign) % kAlign, ' ');
  dict += '\n';
  std::string out(kMagic, kMagicLen);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict;
}

// A read-only file descriptor closed on scope exit.
struct NpyFile {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever. It has
  // no effect on regular files, the only kind ReadNpy goes on to read.
  explicit NpyFile(const std::string& path)
      : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)) {}
  ~NpyFile() {
    if (fd >= 0) ::close(fd);
  }
  // Exactly n bytes, or false.
  bool Read(void* out, size_t n) {
    char* p = static_cast<char*>(out);
    while (n > 0) {
      ssize_t r = ::read(fd, p, n);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      p += r;
      n -= static_cast<size_t>(r);
    }
    return true;
  }
  int fd;
};

}  // namespace

absl::Status WriteNpy(const Tensor& value, const std::string& path) {
  if (!value.defined()) return SaveError(path, "the tensor is undefined");
  if (value.is_symbolic())
    return SaveError(path, absl::StrCat("cannot save symbolic tensor ", value.spec().to_string(),
                                        " while a function is being traced"));
  absl::StatusOr<Tensor> host = HostReadable(value);  // waits for async values, copies off devices
  if (!host.ok()) return SaveError(path, std::string(host.status().message()));
  const Tensor& t = *host;
  const char* descr = nullptr;
  for (const DescrEntry& e : kDescrs)
    if (e.dtype == t.dtype()) descr = e.descr;
  if (!descr)
    return SaveError(path, absl::StrCat(DTypeName(t.dtype()),
                                        " has no NumPy dtype; cast to float32 first, e.g. "
                                        "save_npy(cast(x, DType::kFloat32), path)"));
  std::string header = MakeHeader(t, descr);
  if (header.size() - 10 > 0xffff) return SaveError(path, "shape too long for a .npy 1.0 header");
  std::vector<uint8_t> bools;
  const void* data = t.raw_data();
  if (t.dtype() == DType::kBool) {  // one byte 0/1 per element, whatever bool's bits are
    bools.resize(t.num_elements());
    for (int64_t i = 0; i < t.num_elements(); ++i) bools[i] = t.data<bool>()[i] ? 1 : 0;
    data = bools.data();
  }

  absl::Status written = WriteFileAtomically(path, [&](FileSink& out) {
    RETURN_IF_ERROR(out.Write(header.data(), header.size()));
    return out.Write(data, t.num_bytes());
  });
  if (!written.ok()) return SaveError(path, std::string(written.message()));
  return absl::OkStatus();
}

absl::StatusOr<Tensor> ReadNpy(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))  // a FIFO or device: never open it
    return LoadError(path, "not a regular file (a directory, FIFO, socket or device)");
  NpyFile f(path);
  if (f.fd < 0) return LoadError(path, absl::StrCat("cannot open: ", std::strerror(errno)));
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode))  // replaced since the stat above
    return LoadError(path, "not a regular file (a directory, FIFO, socket or device)");
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);

  char prefix[kMagicLen + 2];
  if (!f.Read(prefix, sizeof(prefix)) || std::memcmp(prefix, kMagic, kMagicLen) != 0)
    return LoadError(path, "not a .npy file (it does not start with \\x93NUMPY)");
  int major = static_cast<uint8_t>(prefix[kMagicLen]),
      minor = static_cast<uint8_t>(prefix[kMagicLen + 1]);
  if (major < 1 || major > 3)
    return LoadError(path, absl::StrCat("unsupported .npy format version ", major, ".", minor));
  unsigned char len_bytes[4] = {0, 0, 0, 0};
  size_t len_size = major == 1 ? 2 : 4;
  if (!f.Read(len_bytes, len_size)) return LoadError(path, "truncated header");
  uint32_t header_len =
      len_bytes[0] | (len_bytes[1] << 8) | (len_bytes[2] << 16) | (uint32_t{len_bytes[3]} << 24);
  uint64_t data_offset = kMagicLen + 2 + len_size + uint64_t{header_len};
  if (header_len > kMaxHeaderLen || data_offset > file_size)
    return LoadError(path, absl::StrCat("truncated or corrupt header (header length ", header_len,
                                        ", file size ", file_size, ")"));
  std::string header(header_len, '\0');
  if (!f.Read(header.data(), header_len)) return LoadError(path, "truncated header");

  ASSIGN_OR_RETURN(const TensorSpec spec, ParseHeader(header, path));
  for (int64_t d : spec.shape)
    if (d < 0)
      return LoadError(path, absl::StrCat("corrupt header: shape ", spec.shape.to_string(),
                                          " has a negative dim"));
  if (absl::Status s = CheckAllocatable(spec.shape, SizeOf(spec.dtype)); !s.ok())
    return LoadError(path, absl::StrCat("corrupt header: ", s.message()));
  const uint64_t n = static_cast<uint64_t>(spec.shape.num_elements());
  uint64_t needed = n * SizeOf(spec.dtype);
  if (file_size - data_offset < needed)
    return LoadError(path, absl::StrCat("truncated data: shape ", spec.shape.to_string(), " ",
                                        DTypeName(spec.dtype), " needs ", needed,
                                        " bytes, the file has ", file_size - data_offset));
  ASSIGN_OR_RETURN(Tensor t, Tensor::TryEmpty(spec));
  if (!f.Read(t.mutable_raw_data(), needed))
    return LoadError(path, absl::StrCat("read failed: ", std::strerror(errno)));
  if (spec.dtype == DType::kBool) {  // any nonzero byte is True, as in NumPy
    uint8_t* bytes = static_cast<uint8_t*>(t.mutable_raw_data());
    for (uint64_t i = 0; i < n; ++i) bytes[i] = bytes[i] != 0;
  }
  return t;
}

void save_npy(const Tensor& t, const std::string& path, const Loc& loc) {
  ThrowIfError(WriteNpy(t, path), loc);
}

Tensor load_npy(const std::string& path, const Loc& loc) {
  return ValueOrThrow(ReadNpy(path), loc);
}

}  // namespace duet
