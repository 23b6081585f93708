// The ONNX import table: one ImportFn per ONNX op type, registered at static-init time by the
// per-family files (import_elementwise.cc, import_nn.cc, ...), the way kernels register per
// backend. A function receives the node with its inputs already as duet tensors and returns
// the node's outputs, built with duet's public ops (so eager, traced and autodiff all work).
// Example:
//   DUET_ONNX_IMPORT(Relu, [](NodeContext& n) -> ImportResult { return Outputs(relu(n.in(0))); });
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "api/onnx/onnx_proto.h"
#include "runtime/status_macros.h"
#include "runtime/tensor.h"

namespace duet::onnx::internal {

// One node being imported: its proto, the model's opset for the default domain and its inputs
// (an omitted optional input, named "", is an undefined Tensor).
class NodeContext {
 public:
  NodeContext(const ::onnx::NodeProto& node, int64_t opset, std::vector<Tensor> inputs)
      : node_(node), opset_(opset), inputs_(std::move(inputs)) {}
  const ::onnx::NodeProto& node() const { return node_; }
  int64_t opset() const { return opset_; }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  bool has(int i) const { return i < num_inputs() && inputs_[i].defined(); }
  const Tensor& in(int i) const { return inputs_[i]; }  // callers check has(i) or arity first
  const std::vector<Tensor>& inputs() const { return inputs_; }
  int num_outputs() const { return node_.output_size(); }

  const ::onnx::AttributeProto* attr(std::string_view name) const;
  int64_t attr_int(std::string_view name, int64_t dflt) const;
  float attr_float(std::string_view name, float dflt) const;
  std::string attr_string(std::string_view name, std::string dflt) const;
  std::vector<int64_t> attr_ints(std::string_view name, std::vector<int64_t> dflt = {}) const;
  std::vector<float> attr_floats(std::string_view name) const;

  // The values of input i (int32/int64), which must be known now (a constant or eager value):
  // shapes, axes, pads and other operands ONNX passes as tensors.
  absl::StatusOr<std::vector<int64_t>> host_ints(int i) const;
  absl::StatusOr<double> host_scalar(int i) const;
  // Inputs [0, n) must be present.
  absl::Status require_inputs(int n) const;

 private:
  const ::onnx::NodeProto& node_;
  int64_t opset_;
  std::vector<Tensor> inputs_;
};

using ImportResult = absl::StatusOr<std::vector<Tensor>>;
using ImportFn = ImportResult (*)(NodeContext&);

inline ImportResult Outputs(Tensor t) { return std::vector<Tensor>{std::move(t)}; }

// The importer of `op_type` (default domain), or nullptr.
ImportFn FindImporter(std::string_view op_type);
std::vector<std::string> ImportedOpTypes();  // sorted
bool RegisterImporter(const char* op_type, ImportFn fn);

#define DUET_ONNX_IMPORT(op_type, ...)                            \
  [[maybe_unused]] static const bool duet_onnx_import_##op_type = \
      ::duet::onnx::internal::RegisterImporter(#op_type, __VA_ARGS__)

}  // namespace duet::onnx::internal
