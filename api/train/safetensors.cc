#include "api/train/safetensors.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "api/train/read_file.h"
#include "nlohmann/json.hpp"
#include "runtime/atomic_file.h"
#include "runtime/status_macros.h"

namespace duet::train {
namespace {

static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes little-endian");

using Json = nlohmann::json;

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the reference reader's limit
constexpr uint64_t kMaxFileBytes = uint64_t{1} << 40;
constexpr char kMetadataKey[] = "__metadata__";

struct DTypeCode {
  const char* code;
  DType dtype;
};
constexpr DTypeCode kDTypeCodes[] = {
    {"F32", DType::kFloat32},   {"F64", DType::kFloat64}, {"I32", DType::kInt32},
    {"I64", DType::kInt64},     {"BOOL", DType::kBool},   {"F16", DType::kFloat16},
    {"BF16", DType::kBFloat16},
};

// One tensor's header entry, validated but not yet read.
struct Entry {
  std::string name;
  TensorSpec spec;
  uint64_t begin = 0, end = 0;
};

class Parser {
 public:
  Parser(std::string_view bytes, const std::string& file, const std::string& what)
      : bytes_(bytes), file_(file), what_(what) {}

  absl::StatusOr<SafetensorsContents> Parse() {
    if (bytes_.size() < 8)
      return Fail(absl::StrCat("truncated: ", bytes_.size(),
                               " bytes, shorter than the 8-byte header length"));
    uint64_t header_len = 0;
    std::memcpy(&header_len, bytes_.data(), 8);
    if (header_len > kMaxHeaderBytes || header_len > bytes_.size() - 8)
      return Fail(absl::StrCat("header length ", header_len, " exceeds the file (", bytes_.size(),
                               " bytes) or the 100 MB limit: truncated or not a safetensors file"));
    std::string_view header = bytes_.substr(8, header_len);
    data_ = bytes_.substr(8 + header_len);
    if (header.empty() || header[0] != '{') return Fail("the header is not a JSON object");
    Json json = Json::parse(header.begin(), header.end(), nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) return Fail("the header is not valid JSON");

    SafetensorsContents out;
    std::vector<Entry> entries;
    for (const auto& [name, value] : json.items()) {
      if (name == kMetadataKey) {
        RETURN_IF_ERROR(ParseMetadata(value, out.metadata));
        continue;
      }
      ASSIGN_OR_RETURN(Entry e, ParseEntry(name, value));
      entries.push_back(std::move(e));
    }
    RETURN_IF_ERROR(CheckTiling(entries));
    for (const Entry& e : entries) out.tensors.emplace_back(e.name, Read(e));
    return out;
  }

 private:
  absl::Status Fail(const std::string& message) const {
    return absl::InvalidArgumentError(absl::StrCat("[", what_, "] '", file_, "': ", message));
  }
  absl::Status FailEntry(const std::string& name, const std::string& message) const {
    return Fail(absl::StrCat("entry '", PrintableName(name), "': ", message));
  }

  absl::Status ParseMetadata(const Json& value, std::map<std::string, std::string>& out) const {
    if (!value.is_object()) return Fail("__metadata__ is not an object of strings");
    for (const auto& [key, v] : value.items()) {
      if (!v.is_string())
        return Fail(
            absl::StrCat("__metadata__ value of '", PrintableName(key), "' is not a string"));
      out[key] = v.get<std::string>();
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Entry> ParseEntry(const std::string& name, const Json& value) const {
    if (!value.is_object()) return FailEntry(name, "not an object");
    for (const auto& [key, v] : value.items())
      if (key != "dtype" && key != "shape" && key != "data_offsets")
        return FailEntry(name, absl::StrCat("unexpected field '", PrintableName(key), "'"));
    auto dtype = value.find("dtype");
    auto shape = value.find("shape");
    auto offsets = value.find("data_offsets");
    if (dtype == value.end() || shape == value.end() || offsets == value.end())
      return FailEntry(name, "needs the fields dtype, shape and data_offsets");
    Entry e;
    e.name = name;
    if (!dtype->is_string()) return FailEntry(name, "dtype is not a string");
    const std::string code = dtype->get<std::string>();
    std::optional<DType> known = DTypeOfSafetensorsCode(code);
    if (known) e.spec.dtype = *known;
    if (!known)
      return FailEntry(name, absl::StrCat("unsupported dtype '", PrintableName(code.substr(0, 32)),
                                          "' (duet reads F32 F64 I32 I64 BOOL F16 BF16)"));
    if (!shape->is_array()) return FailEntry(name, "shape is not an array");
    if (shape->size() > 32)
      return FailEntry(name, absl::StrCat("rank ", shape->size(), " is above 32"));
    uint64_t elements = 1;
    std::vector<int64_t> dims;
    for (const Json& d : *shape) {
      if (!d.is_number_unsigned())
        return FailEntry(name, "a dimension is not a non-negative integer");
      uint64_t dim = d.get<uint64_t>();
      if (dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
          __builtin_mul_overflow(elements, dim, &elements))
        return FailEntry(name, "the shape's element count overflows");
      dims.push_back(static_cast<int64_t>(dim));
    }
    e.spec.shape = Shape(dims);
    uint64_t bytes = 0;
    if (__builtin_mul_overflow(elements, uint64_t{SizeOf(e.spec.dtype)}, &bytes))
      return FailEntry(name, "the shape's byte size overflows");
    if (!offsets->is_array() || offsets->size() != 2 || !(*offsets)[0].is_number_unsigned() ||
        !(*offsets)[1].is_number_unsigned())
      return FailEntry(name, "data_offsets is not [begin, end] of non-negative integers");
    e.begin = (*offsets)[0].get<uint64_t>();
    e.end = (*offsets)[1].get<uint64_t>();
    if (e.begin > e.end || e.end > data_.size())
      return FailEntry(name,
                       absl::StrCat("data_offsets [", e.begin, ", ", e.end, "] lie outside the ",
                                    data_.size(), " data bytes (truncated file?)"));
    if (e.end - e.begin != bytes)
      return FailEntry(name, absl::StrCat(e.spec.to_string(), " needs ", bytes,
                                          " bytes, data_offsets span ", e.end - e.begin));
    return e;
  }

  // Sorted by offset, the spans must follow each other from 0 to the end of the data.
  absl::Status CheckTiling(std::vector<Entry>& entries) const {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    uint64_t at = 0;
    for (const Entry& e : entries) {
      if (e.begin != at)
        return FailEntry(e.name,
                         absl::StrCat("data_offsets [", e.begin, ", ", e.end, "] ",
                                      e.begin < at ? "overlap the previous tensor" : "leave a gap",
                                      " (expected to begin at ", at, ")"));
      at = e.end;
    }
    if (at != data_.size())
      return Fail(absl::StrCat("the tensors cover ", at, " of the ", data_.size(), " data bytes"));
    return absl::OkStatus();
  }

  Tensor Read(const Entry& e) const {
    Tensor t = Tensor::Empty(e.spec);
    if (e.end > e.begin) std::memcpy(t.mutable_raw_data(), data_.data() + e.begin, e.end - e.begin);
    if (e.spec.dtype == DType::kBool) {  // any nonzero byte is true
      uint8_t* p = static_cast<uint8_t*>(t.mutable_raw_data());
      for (uint64_t i = 0; i < e.end - e.begin; ++i) p[i] = p[i] != 0;
    }
    return t;
  }

  std::string_view bytes_;
  std::string file_, what_;
  std::string_view data_;
};

}  // namespace

std::string PrintableName(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size() && i < 80; ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f)
      out += absl::StrFormat("\\x%02x", c);
    else
      out += name[i];
  }
  if (name.size() > 80) out += "...";
  return out;
}

const char* SafetensorsCode(DType dtype) {
  for (const DTypeCode& c : kDTypeCodes)
    if (c.dtype == dtype) return c.code;
  return "?";
}

std::optional<DType> DTypeOfSafetensorsCode(std::string_view code) {
  for (const DTypeCode& c : kDTypeCodes)
    if (code == c.code) return c.dtype;
  return std::nullopt;
}

absl::StatusOr<std::string> EncodeSafetensors(const NamedTensors& tensors,
                                              const std::map<std::string, std::string>& metadata,
                                              const std::string& file) {
  auto fail = [&](const std::string& message) {
    return absl::InvalidArgumentError(absl::StrCat("[save_safetensors] '", file, "': ", message));
  };
  Json header = Json::object();
  std::set<std::string> names;
  uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    if (name == kMetadataKey) return fail("'__metadata__' is reserved and cannot name a tensor");
    if (!names.insert(name).second)
      return fail(absl::StrCat("the name '", name, "' appears twice"));
    if (!t.defined()) return fail(absl::StrCat("tensor '", name, "' is undefined"));
    if (t.is_symbolic())
      return fail(absl::StrCat("tensor '", name, "' ", t.spec().to_string(),
                               " is symbolic (saving inside a traced function)"));
    if (t.device() != kCPU0)
      return fail(absl::StrCat("tensor '", name, "' is on ", t.device().to_string(),
                               "; copy it to the CPU"));
    header[name] = {{"dtype", SafetensorsCode(t.dtype())},
                    {"shape", t.shape().dims()},
                    {"data_offsets", {offset, offset + t.num_bytes()}}};
    offset += t.num_bytes();
  }
  if (!metadata.empty()) header[kMetadataKey] = metadata;
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  const uint64_t header_len = text.size();
  std::string out(8, '\0');
  std::memcpy(out.data(), &header_len, 8);
  out.reserve(8 + header_len + offset);
  out += text;
  for (const auto& [name, t] : tensors) {
    const char* p = static_cast<const char*>(t.raw_data());
    if (t.dtype() != DType::kBool) {
      out.append(p, t.num_bytes());
      continue;
    }
    for (int64_t i = 0; i < t.num_elements(); ++i) out += t.data<bool>()[i] ? '\1' : '\0';
  }
  return out;
}

absl::StatusOr<SafetensorsContents> ParseSafetensors(std::string_view bytes,
                                                     const std::string& file,
                                                     const std::string& what) {
  return Parser(bytes, file, what).Parse();
}

absl::Status WriteSafetensors(const std::string& path, const NamedTensors& tensors,
                              const std::map<std::string, std::string>& metadata) {
  ASSIGN_OR_RETURN(std::string bytes, EncodeSafetensors(tensors, metadata, path));
  absl::Status s = WriteFileAtomically(
      path, [&](FileSink& out) { return out.Write(bytes.data(), bytes.size()); });
  if (!s.ok()) return absl::Status(s.code(), absl::StrCat("[save_safetensors] ", s.message()));
  return absl::OkStatus();
}

absl::StatusOr<SafetensorsContents> ReadSafetensors(const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path, kMaxFileBytes, "load_safetensors"));
  return ParseSafetensors(bytes, path);
}

void save_safetensors(const NamedTensors& tensors, const std::string& path, const Loc& loc) {
  ThrowIfError(WriteSafetensors(path, tensors), loc);
}

NamedTensors load_safetensors(const std::string& path, const Loc& loc) {
  return ValueOrThrow(ReadSafetensors(path), loc).tensors;
}

}  // namespace duet::train
