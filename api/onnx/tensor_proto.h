// ONNX TensorProto <-> duet Tensor, and ONNX element types <-> DType. Parsing treats the
// proto as untrusted: dims are checked (non-negative, element count bounded) and the payload
// size must match before anything is allocated; external data is refused.
// Example:
//   ASSIGN_OR_RETURN(Tensor w, TensorFromProto(init, "model.onnx"));
//   ::onnx::TensorProto p;  RETURN_IF_ERROR(TensorToProto(w, "w", p));
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "api/onnx/onnx_proto.h"
#include "runtime/tensor.h"

namespace duet::onnx::internal {

inline constexpr int64_t kMaxTensorElements = int64_t{1} << 31;

absl::StatusOr<DType> DTypeFromOnnx(int32_t elem_type);
int32_t DTypeToOnnx(DType dtype);
const char* OnnxTypeName(int32_t elem_type);  // "FLOAT", "UINT8", ...

absl::StatusOr<Tensor> TensorFromProto(const ::onnx::TensorProto& proto);
absl::Status TensorToProto(const Tensor& t, const std::string& name, ::onnx::TensorProto& proto);

// A serialized TensorProto file (the backend tests' input_0.pb); bounded by max_bytes.
absl::StatusOr<Tensor> ReadTensorProtoFile(const std::string& path,
                                           uint64_t max_bytes = uint64_t{1} << 30);

}  // namespace duet::onnx::internal
