// TensorProto decoding: raw_data (little-endian bytes) or the typed repeated fields.
#include "api/onnx/tensor_proto.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "api/train/read_file.h"
#include "runtime/half.h"

namespace duet::onnx::internal {
namespace {

using TP = ::onnx::TensorProto;

template <class Dst, class Src>
void CopyConverted(const Src& src, Dst* dst) {
  int64_t i = 0;
  for (auto v : src) dst[i++] = static_cast<Dst>(v);
}

}  // namespace

absl::StatusOr<DType> DTypeFromOnnx(int32_t elem_type) {
  switch (elem_type) {
    case TP::FLOAT:
      return DType::kFloat32;
    case TP::DOUBLE:
      return DType::kFloat64;
    case TP::INT32:
      return DType::kInt32;
    case TP::INT64:
      return DType::kInt64;
    case TP::BOOL:
      return DType::kBool;
    case TP::FLOAT16:
      return DType::kFloat16;
    case TP::BFLOAT16:
      return DType::kBFloat16;
    default:
      return absl::UnimplementedError(
          absl::StrCat("element type ", OnnxTypeName(elem_type), " has no duet dtype"));
  }
}

int32_t DTypeToOnnx(DType dtype) {
  switch (dtype) {
    case DType::kFloat32:
      return TP::FLOAT;
    case DType::kFloat64:
      return TP::DOUBLE;
    case DType::kInt32:
      return TP::INT32;
    case DType::kInt64:
      return TP::INT64;
    case DType::kBool:
      return TP::BOOL;
    case DType::kFloat16:
      return TP::FLOAT16;
    case DType::kBFloat16:
      return TP::BFLOAT16;
  }
  return TP::UNDEFINED;
}

const char* OnnxTypeName(int32_t elem_type) {
  if (!TP::DataType_IsValid(elem_type)) return "invalid";
  static const std::string* names = [] {
    auto* n = new std::string[TP::DataType_ARRAYSIZE];
    for (int i = 0; i < TP::DataType_ARRAYSIZE; ++i)
      if (TP::DataType_IsValid(i)) n[i] = TP::DataType_Name(static_cast<TP::DataType>(i));
    return n;
  }();
  return names[elem_type].c_str();
}

absl::StatusOr<Tensor> TensorFromProto(const TP& proto) {
  const std::string what = absl::StrCat("tensor '", proto.name(), "'");
  if (proto.data_location() == TP::EXTERNAL)
    return absl::UnimplementedError(what + ": external data is not supported");
  auto dtype_or = DTypeFromOnnx(proto.data_type());
  if (!dtype_or.ok())
    return absl::UnimplementedError(absl::StrCat(what, ": ", dtype_or.status().message()));
  DType dtype = *dtype_or;
  std::vector<int64_t> dims;
  int64_t n = 1;
  for (int64_t d : proto.dims()) {
    if (d < 0) return absl::InvalidArgumentError(absl::StrCat(what, ": negative dim ", d));
    if (d != 0 && n > kMaxTensorElements / d)
      return absl::InvalidArgumentError(absl::StrCat(what, ": more than 2^31 elements"));
    n *= d;
    dims.push_back(d);
  }
  const size_t elem = SizeOf(dtype);
  auto mismatch = [&](int64_t got) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": shape ", Shape(dims).to_string(),
                                                   " needs ", n, " values, the proto has ", got));
  };
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != static_cast<size_t>(n) * elem)
      return mismatch(static_cast<int64_t>(proto.raw_data().size() / elem));
  } else {
    int64_t got = 0;
    switch (proto.data_type()) {
      case TP::FLOAT:
        got = proto.float_data_size();
        break;
      case TP::DOUBLE:
        got = proto.double_data_size();
        break;
      case TP::INT64:
        got = proto.int64_data_size();
        break;
      default:
        got = proto.int32_data_size();
        break;
    }
    if (got != n) return mismatch(got);
  }
  auto t_or = Tensor::TryEmpty(TensorSpec(Shape(dims), dtype));
  if (!t_or.ok()) return t_or.status();
  Tensor t = *std::move(t_or);
  if (n == 0) return t;
  void* out = t.mutable_raw_data();
  if (proto.has_raw_data()) {
    std::memcpy(out, proto.raw_data().data(), proto.raw_data().size());
    if (dtype == DType::kBool) {
      auto* b = static_cast<uint8_t*>(out);
      for (int64_t i = 0; i < n; ++i) b[i] = b[i] != 0;
    }
    return t;
  }
  switch (dtype) {
    case DType::kFloat32:
      CopyConverted(proto.float_data(), static_cast<float*>(out));
      break;
    case DType::kFloat64:
      CopyConverted(proto.double_data(), static_cast<double*>(out));
      break;
    case DType::kInt64:
      CopyConverted(proto.int64_data(), static_cast<int64_t*>(out));
      break;
    case DType::kInt32:
      CopyConverted(proto.int32_data(), static_cast<int32_t*>(out));
      break;
    case DType::kBool: {
      auto* b = static_cast<uint8_t*>(out);
      int64_t i = 0;
      for (int32_t v : proto.int32_data()) b[i++] = v != 0;
      break;
    }
    case DType::kFloat16:
    case DType::kBFloat16: {  // the 16 bits, one per int32
      auto* h = static_cast<uint16_t*>(out);
      int64_t i = 0;
      for (int32_t v : proto.int32_data()) h[i++] = static_cast<uint16_t>(v);
      break;
    }
  }
  return t;
}

absl::Status TensorToProto(const Tensor& t, const std::string& name, TP& proto) {
  if (t.is_symbolic())
    return absl::InvalidArgumentError("tensor '" + name + "' has no value (symbolic)");
  proto.set_name(name);
  proto.set_data_type(DTypeToOnnx(t.dtype()));
  for (int64_t d : t.shape().dims()) proto.add_dims(d);
  proto.set_raw_data(static_cast<const char*>(t.raw_data()), t.num_bytes());
  return absl::OkStatus();
}

absl::StatusOr<Tensor> ReadTensorProtoFile(const std::string& path, uint64_t max_bytes) {
  auto bytes = train::ReadWholeFile(path, max_bytes, "onnx");
  if (!bytes.ok()) return bytes.status();
  TP proto;
  if (!proto.ParseFromString(*bytes))
    return absl::InvalidArgumentError("[onnx] '" + path + "': not a TensorProto");
  auto t = TensorFromProto(proto);
  if (!t.ok())
    return absl::Status(t.status().code(),
                        absl::StrCat("[onnx] '", path, "': ", t.status().message()));
  return t;
}

}  // namespace duet::onnx::internal
