// GraphWriter: turns a graph::Trace into an ONNX GraphProto. Function arguments become graph
// inputs (-1 dims as symbolic dim_params), constants and variables (by name, valued at export
// time; one initializer per variable however often it is read) become initializers, each op
// node goes through its exporter, results become outputs.
// State changes, host functions, prints and control flow cannot be exported (errors name the line).
// Example: GraphWriter w(trace);  RETURN_IF_ERROR(w.Write(*model.mutable_graph()));
#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"
#include "api/onnx/onnx_proto.h"
#include "graph/trace_graph.h"

namespace duet::onnx::internal {

class GraphWriter {
 public:
  explicit GraphWriter(const graph::Trace& trace) : trace_(trace) {}
  absl::Status Write(::onnx::GraphProto& graph);

  // For ExportContext.
  const std::string& NameOf(int value) const { return names_.at(value); }
  const TensorSpec& SpecOf(int value) const { return trace_.values[value]; }
  ::onnx::GraphProto& graph() { return *graph_; }
  std::string Fresh(const std::string& prefix);
  std::string AddInitializer(const Tensor& value, const std::string& name_hint);

 private:
  absl::Status WriteNode(const graph::TraceNode& node);
  void SetValueInfo(::onnx::ValueInfoProto* v, const std::string& name, const TensorSpec& spec);

  const graph::Trace& trace_;
  ::onnx::GraphProto* graph_ = nullptr;
  std::map<int, std::string> names_;
  std::map<int, std::string> variable_inits_;  // variable index -> its initializer
  std::map<std::string, int> used_;            // name -> count, for fresh names
  int dim_params_ = 0;
};

}  // namespace duet::onnx::internal
