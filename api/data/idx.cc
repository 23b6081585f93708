// ParseIdx: header checks first (sizes in 64-bit with overflow guards), then one conversion
// pass from big-endian elements to the requested dtype.
#include "api/data/idx.h"

#include <bit>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace duet::data {
namespace {

constexpr int kMaxRank = 8;

struct ElementType {
  const char* name;
  int size;
  bool integral;
};

const ElementType* TypeOf(uint8_t code) {
  static const ElementType kU8{"uint8", 1, true}, kI8{"int8", 1, true}, kI16{"int16", 2, true},
      kI32{"int32", 4, true}, kF32{"float32", 4, false}, kF64{"float64", 8, false};
  switch (code) {
    case 0x08:
      return &kU8;
    case 0x09:
      return &kI8;
    case 0x0B:
      return &kI16;
    case 0x0C:
      return &kI32;
    case 0x0D:
      return &kF32;
    case 0x0E:
      return &kF64;
    default:
      return nullptr;
  }
}

uint64_t BigEndian(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

// Element i of the data as a double (exact for every IDX type).
double Element(const unsigned char* data, uint8_t code, int64_t i) {
  switch (code) {
    case 0x08:
      return data[i];
    case 0x09:
      return static_cast<int8_t>(data[i]);
    case 0x0B:
      return static_cast<int16_t>(BigEndian(data + 2 * i, 2));
    case 0x0C:
      return static_cast<int32_t>(BigEndian(data + 4 * i, 4));
    case 0x0D:
      return std::bit_cast<float>(static_cast<uint32_t>(BigEndian(data + 4 * i, 4)));
    default:
      return std::bit_cast<double>(BigEndian(data + 8 * i, 8));
  }
}

template <class T>
void Convert(const unsigned char* data, uint8_t code, double scale, Tensor* out) {
  T* dst = out->mutable_data<T>();
  const int64_t n = out->num_elements();
  if (code == 0x08) {  // the common case (MNIST pixels and labels), without the switch
    for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<T>(data[i] * scale);
    return;
  }
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<T>(Element(data, code, i) * scale);
}

std::string DimsText(const std::vector<int64_t>& dims) { return Shape(dims).to_string(); }

}  // namespace

absl::StatusOr<Tensor> ParseIdx(std::string_view bytes, const IdxOptions& options) {
  auto bad = [](auto&&... parts) { return absl::InvalidArgumentError(absl::StrCat(parts...)); };
  if (bytes.size() < 4)
    return bad("truncated: ", bytes.size(), " bytes, shorter than the 4-byte IDX magic");
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  if (p[0] != 0 || p[1] != 0) {
    return bad(
        absl::StrFormat("bad magic 0x%02x%02x%02x%02x: an IDX file starts with two zero bytes",
                        p[0], p[1], p[2], p[3]));
  }
  const ElementType* type = TypeOf(p[2]);
  if (!type) return bad(absl::StrFormat("unknown IDX element type 0x%02x", p[2]));
  const int rank = p[3];
  if (rank < 1 || rank > kMaxRank) return bad("IDX rank ", rank, " is outside 1..", kMaxRank);
  const uint64_t header = 4 + 4 * static_cast<uint64_t>(rank);
  if (bytes.size() < header) {
    return bad("truncated: the header of a rank-", rank, " IDX file needs ", header,
               " bytes, the file has ", bytes.size());
  }
  std::vector<int64_t> dims(rank);
  uint64_t count = 1;
  bool overflow = false;
  for (int i = 0; i < rank; ++i) {
    dims[i] = static_cast<int64_t>(BigEndian(p + 4 + 4 * i, 4));
    overflow =
        overflow || (dims[i] != 0 && count > (uint64_t{1} << 62) / static_cast<uint64_t>(dims[i]));
    if (!overflow) count *= static_cast<uint64_t>(dims[i]);
  }
  const uint64_t data_bytes = bytes.size() - header;
  if (overflow || count * type->size != data_bytes) {
    return bad("size mismatch: dims ", DimsText(dims), " of ", type->name, " need ",
               overflow ? std::string("an absurd number of") : absl::StrCat(count * type->size),
               " data bytes, the file has ", data_bytes,
               data_bytes < count * type->size && !overflow ? " (truncated)" : "");
  }
  if (!options.expected_dims.empty()) {
    bool ok = options.expected_dims.size() == dims.size();
    for (size_t i = 0; ok && i < dims.size(); ++i)
      ok = options.expected_dims[i] < 0 || options.expected_dims[i] == dims[i];
    if (!ok) {
      return bad("wrong dims: expected ", DimsText(options.expected_dims),
                 " (-1: any), the file has ", DimsText(dims));
    }
  }
  if (options.dtype == DType::kInt32 && !type->integral) {
    return bad("the file holds ", type->name, " values, which do not convert to int32");
  }
  if (options.dtype != DType::kInt32 && options.dtype != DType::kFloat32 &&
      options.dtype != DType::kFloat64) {
    return bad("IDX data converts to int32, float32 or float64, not ", DTypeName(options.dtype));
  }
  Tensor out = Tensor::Empty({Shape(dims), options.dtype});
  const unsigned char* data = p + header;
  if (options.dtype == DType::kInt32)
    Convert<int32_t>(data, p[2], 1.0, &out);
  else if (options.dtype == DType::kFloat32)
    Convert<float>(data, p[2], options.scale, &out);
  else
    Convert<double>(data, p[2], options.scale, &out);
  return out;
}

}  // namespace duet::data
