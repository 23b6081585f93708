// Reading and validating an ONNX ModelProto for import: the file (or bytes) is untrusted, so
// sizes are bounded, the default-domain opset must be one duet reads, every node's op must
// have an importer, the graph must be in topological order, and initializers decode to
// tensors. The result is what ImportedModel runs.
// Example: ASSIGN_OR_RETURN(auto impl, LoadModel(bytes, "model.onnx"));
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/onnx/onnx.h"
#include "api/onnx/onnx_proto.h"

namespace duet::onnx {

struct ImportedModel::Impl {
  std::string name;  // the file, for messages
  ::onnx::GraphProto graph;
  int64_t opset = 0;
  Signature signature;
  std::map<std::string, Tensor> constants;  // initializers
};

namespace internal {

inline constexpr uint64_t kMaxModelBytes = (uint64_t{1} << 31) - 1;  // protobuf's own limit

absl::StatusOr<std::shared_ptr<ImportedModel::Impl>> LoadModel(const std::string& bytes,
                                                               const std::string& name);
absl::StatusOr<std::shared_ptr<ImportedModel::Impl>> LoadModelFile(const std::string& path);

// Runs the graph on inputs in signature order; errors name the node and op.
absl::StatusOr<std::vector<Tensor>> RunGraph(const ImportedModel::Impl& m,
                                             const std::vector<Tensor>& inputs);

}  // namespace internal
}  // namespace duet::onnx
