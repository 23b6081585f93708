// The ONNX export table: every registry op declares, in a per-family export_*.cc, either how
// one traced node of it becomes ONNX nodes (DUET_ONNX_EXPORT) or that it has no mapping and
// why (DUET_ONNX_NO_EXPORT); export_registry_test fails for a registry op with neither.
// Example:
//   DUET_ONNX_EXPORT(relu, [](ExportContext& c) { c.Add("Relu", {c.in(0)}, {c.out(0)}); return
//   absl::OkStatus(); }); DUET_ONNX_NO_EXPORT(conv2d_backprop_input, "a gradient op: export the
//   forward function");
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "api/onnx/onnx_proto.h"
#include "graph/trace_graph.h"
#include "runtime/status_macros.h"

namespace duet::onnx::internal {

class GraphWriter;

// One traced op node being written: its ONNX value names, specs, attrs, and node/constant makers.
class ExportContext {
 public:
  ExportContext(GraphWriter& writer, const graph::TraceNode& node) : writer_(writer), node_(node) {}
  const graph::TraceNode& node() const { return node_; }
  int num_inputs() const { return static_cast<int>(node_.inputs.size()); }
  std::string in(int i) const;
  std::string out(int i) const;
  const TensorSpec& in_spec(int i) const;
  const TensorSpec& out_spec(int i) const;
  // The node's attribute `name` (see AttrOf).
  template <class T>
  const T& attr(std::string_view name) const {
    return AttrOf<T>(*node_.op, node_.attrs, name);
  }

  ::onnx::NodeProto* Add(const std::string& op_type, const std::vector<std::string>& inputs,
                         const std::vector<std::string>& outputs);
  std::string Temp();                               // a fresh value name
  std::string Const(const Tensor& value);           // an initializer's name
  std::string Ints(const std::vector<int64_t>& v);  // an int64 1-D initializer
  std::string Scalar(double v, DType dtype);        // a rank-0 initializer

 private:
  GraphWriter& writer_;
  const graph::TraceNode& node_;
};

void SetAttr(::onnx::NodeProto* n, const std::string& name, int64_t v);
void SetAttr(::onnx::NodeProto* n, const std::string& name, float v);
void SetAttr(::onnx::NodeProto* n, const std::string& name, const std::string& v);
void SetAttr(::onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v);

using ExportFn = absl::Status (*)(ExportContext&);
struct ExportEntry {
  ExportFn fn = nullptr;  // nullptr: no mapping, see `reason`
  std::string reason;
};

const ExportEntry* FindExporter(std::string_view op);
bool RegisterExporter(const char* op, ExportFn fn, const char* reason);

#define DUET_ONNX_EXPORT(op, ...)                            \
  [[maybe_unused]] static const bool duet_onnx_export_##op = \
      ::duet::onnx::internal::RegisterExporter(#op, __VA_ARGS__, "")
#define DUET_ONNX_NO_EXPORT(op, reason)                      \
  [[maybe_unused]] static const bool duet_onnx_export_##op = \
      ::duet::onnx::internal::RegisterExporter(#op, nullptr, reason)

}  // namespace duet::onnx::internal
