// Trace -> GraphProto, node by node in program order.
#include "api/onnx/graph_writer.h"

#include "absl/strings/str_cat.h"
#include "api/onnx/export_registry.h"
#include "api/onnx/tensor_proto.h"
#include "runtime/error.h"

namespace duet::onnx::internal {
namespace {

absl::Status Refuse(const graph::TraceNode& node, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "[onnx::export_model] ", what, " cannot be exported to ONNX (at ", FormatLoc(node.loc), ")"));
}

}  // namespace

std::string GraphWriter::Fresh(const std::string& prefix) {
  int n = used_[prefix]++;
  return n == 0 ? prefix : absl::StrCat(prefix, "_", n);
}

std::string GraphWriter::AddInitializer(const Tensor& value, const std::string& name_hint) {
  std::string name = Fresh(name_hint);
  auto* init = graph_->add_initializer();
  absl::Status s = TensorToProto(value, name, *init);
  (void)s;  // values of constants and variables are concrete
  return name;
}

void GraphWriter::SetValueInfo(::onnx::ValueInfoProto* v, const std::string& name,
                               const TensorSpec& spec) {
  v->set_name(name);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(DTypeToOnnx(spec.dtype));
  auto* shape = tt->mutable_shape();
  for (int64_t d : spec.shape.dims()) {
    auto* dim = shape->add_dim();
    if (d < 0)
      dim->set_dim_param(absl::StrCat("d", dim_params_++));
    else
      dim->set_dim_value(d);
  }
}

absl::Status GraphWriter::WriteNode(const graph::TraceNode& node) {
  using Kind = graph::TraceNode::Kind;
  switch (node.kind) {
    case Kind::kConstant:
      names_[node.outputs[0]] = AddInitializer(node.constant, "const");
      return absl::OkStatus();
    case Kind::kReadVariable: {
      // Every read of a variable is one initializer: assignments are refused, so reads agree.
      auto [it, first] = variable_inits_.try_emplace(node.index);
      if (first) {
        const auto& var = trace_.variables[node.index];
        it->second = AddInitializer(var->Read(), var->name.empty() ? "variable" : var->name);
      }
      names_[node.outputs[0]] = it->second;
      return absl::OkStatus();
    }
    case Kind::kAssignVariable:
      return Refuse(node, "a variable assignment");
    case Kind::kHostFunc:
      return Refuse(node, "host_func");
    case Kind::kCond:
      return Refuse(node, "cond");
    case Kind::kWhile:
      return Refuse(node, "while_loop");
    case Kind::kFusion:
      return Refuse(node, "a fused region (export the unfused graph)");
    case Kind::kOp:
      break;
  }
  const ExportEntry* entry = FindExporter(node.op->name);
  if (!entry || !entry->fn)
    return Refuse(node, absl::StrCat("op '", node.op->name, "' has no ONNX mapping (",
                                     entry ? entry->reason : "none declared", "):"));
  for (int out : node.outputs) names_[out] = Fresh(node.op->name);
  ExportContext ctx(*this, node);
  absl::Status s = entry->fn(ctx);
  if (!s.ok())
    return absl::InvalidArgumentError(absl::StrCat("[onnx::export_model] op '", node.op->name,
                                                   "' (at ", FormatLoc(node.loc),
                                                   "): ", s.message()));
  return absl::OkStatus();
}

absl::Status GraphWriter::Write(::onnx::GraphProto& graph) {
  graph_ = &graph;
  graph.set_name("duet");
  for (size_t i = 0; i < trace_.body.params.size(); ++i) {
    int v = trace_.body.params[i];
    names_[v] = Fresh(absl::StrCat("input_", i));
    SetValueInfo(graph.add_input(), names_[v], SpecOf(v));
  }
  for (const graph::TraceNode& node : trace_.body.nodes) RETURN_IF_ERROR(WriteNode(node));
  for (size_t i = 0; i < trace_.body.results.size(); ++i) {
    int v = trace_.body.results[i];
    std::string name = Fresh(absl::StrCat("output_", i));
    auto* id = graph.add_node();
    id->set_op_type("Identity");
    id->add_input(names_.at(v));
    id->add_output(name);
    SetValueInfo(graph.add_output(), name, SpecOf(v));
  }
  return absl::OkStatus();
}

}  // namespace duet::onnx::internal
