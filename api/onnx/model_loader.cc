// ModelProto -> ImportedModel::Impl: checks, the signature and the initializers.
#include "api/onnx/model_loader.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "api/onnx/import_registry.h"
#include "api/onnx/tensor_proto.h"
#include "api/train/read_file.h"
#include "runtime/status_macros.h"

namespace duet::onnx::internal {
namespace {

// Opsets whose semantics the importers implement (they branch on opset where the spec changed).
constexpr int64_t kMinOpset = 1;
constexpr int64_t kMaxOpset = 18;

absl::Status Bad(const std::string& name, const std::string& msg) {
  return absl::InvalidArgumentError(absl::StrCat("[onnx::import_model] '", name, "': ", msg));
}

absl::StatusOr<TensorSpec> SpecOf(const ::onnx::ValueInfoProto& v, const std::string& name) {
  if (!v.type().has_tensor_type())
    return Bad(name, absl::StrCat("graph input/output '", v.name(),
                                  "' is not a tensor (sequence/map/optional "
                                  "values are not supported)"));
  const auto& tt = v.type().tensor_type();
  auto dtype = DTypeFromOnnx(tt.elem_type());
  if (!dtype.ok()) return Bad(name, absl::StrCat("'", v.name(), "': ", dtype.status().message()));
  TensorSpec spec;
  spec.dtype = *dtype;
  for (const auto& d : tt.shape().dim())
    spec.shape.push_back(d.has_dim_value() && d.dim_value() >= 0 ? d.dim_value() : -1);
  return spec;
}

}  // namespace

absl::StatusOr<std::shared_ptr<ImportedModel::Impl>> LoadModel(const std::string& bytes,
                                                               const std::string& name) {
  ::onnx::ModelProto model;
  if (bytes.size() > kMaxModelBytes || !model.ParseFromString(bytes))
    return Bad(name, "not an ONNX model (the protobuf does not parse)");
  auto m = std::make_shared<ImportedModel::Impl>();
  m->name = name;
  for (const auto& o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") m->opset = o.version();
  if (m->opset == 0 && model.opset_import_size() == 0) m->opset = 1;  // IR v1-2 files have none
  if (m->opset < kMinOpset || m->opset > kMaxOpset)
    return Bad(name, absl::StrCat("default-domain opset ", m->opset, " is outside the supported ",
                                  kMinOpset, "..", kMaxOpset));
  m->graph = std::move(*model.mutable_graph());
  const auto& g = m->graph;

  for (const auto& init : g.initializer()) {
    auto t = TensorFromProto(init);
    if (!t.ok()) return Bad(name, absl::StrCat("initializer: ", t.status().message()));
    m->constants[init.name()] = *std::move(t);
  }
  if (g.sparse_initializer_size() > 0) return Bad(name, "sparse initializers are not supported");
  std::set<std::string> defined;
  for (const auto& [n, t] : m->constants) defined.insert(n);
  for (const auto& in : g.input()) {
    if (m->constants.count(in.name())) continue;  // IR < 4 lists initializers as inputs too
    ASSIGN_OR_RETURN(TensorSpec spec, SpecOf(in, name));
    m->signature.input_names.push_back(in.name());
    m->signature.inputs.push_back(spec);
    defined.insert(in.name());
  }
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& node = g.node(i);
    std::string where = absl::StrCat("node ", i, " '", node.name(), "' (", node.op_type(), ")");
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return Bad(name, absl::StrCat(where, ": domain '", node.domain(), "' is not supported"));
    if (!FindImporter(node.op_type()))
      return Bad(name, absl::StrCat(where, ": op ", node.op_type(),
                                    " is not supported by duet's importer"));
    for (const auto& in : node.input())
      if (!in.empty() && !defined.count(in))
        return Bad(name, absl::StrCat(where, ": input '", in,
                                      "' is not defined before it (the graph must be in "
                                      "topological order)"));
    for (const auto& out : node.output())
      if (!out.empty()) defined.insert(out);
  }
  for (const auto& out : g.output()) {
    if (!defined.count(out.name()))
      return Bad(name, absl::StrCat("graph output '", out.name(), "' is never computed"));
    ASSIGN_OR_RETURN(TensorSpec spec, SpecOf(out, name));
    m->signature.output_names.push_back(out.name());
    m->signature.outputs.push_back(spec);
  }
  return m;
}

absl::StatusOr<std::shared_ptr<ImportedModel::Impl>> LoadModelFile(const std::string& path) {
  auto bytes = train::ReadWholeFile(path, kMaxModelBytes, "onnx::import_model");
  if (!bytes.ok()) return bytes.status();
  return LoadModel(*bytes, path);
}

}  // namespace duet::onnx::internal
