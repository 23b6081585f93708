// Runs an imported graph: nodes in file order (checked topological at load), each through its
// importer, values kept by name. A duet op's error inside a node is re-raised naming the node.
#include <map>

#include "absl/strings/str_cat.h"
#include "api/onnx/import_registry.h"
#include "api/onnx/model_loader.h"

namespace duet::onnx::internal {

absl::StatusOr<std::vector<Tensor>> RunGraph(const ImportedModel::Impl& m,
                                             const std::vector<Tensor>& inputs) {
  std::map<std::string, Tensor, std::less<>> env(m.constants.begin(), m.constants.end());
  for (size_t i = 0; i < inputs.size(); ++i) env[m.signature.input_names[i]] = inputs[i];
  const auto& g = m.graph;
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& node = g.node(i);
    std::vector<Tensor> args;
    for (const auto& in : node.input()) args.push_back(in.empty() ? Tensor() : env.at(in));
    NodeContext ctx(node, m.opset, std::move(args));
    ImportResult result = absl::InternalError("not run");
    try {
      result = FindImporter(node.op_type())(ctx);
    } catch (const Error& e) {
      result = absl::InvalidArgumentError(e.what());
    }
    auto fail = [&](const std::string& msg) {
      return absl::InvalidArgumentError(absl::StrCat(
          "[onnx] '", m.name, "': node ", i, " '", node.name(), "' (", node.op_type(), "): ", msg));
    };
    if (!result.ok()) return fail(std::string(result.status().message()));
    for (int o = 0; o < node.output_size(); ++o) {
      if (node.output(o).empty()) continue;
      if (o >= static_cast<int>(result->size()) || !(*result)[o].defined())
        return fail(absl::StrCat("output ", o, " ('", node.output(o), "') is not supported"));
      env[node.output(o)] = (*result)[o];
    }
  }
  std::vector<Tensor> outs;
  for (const auto& name : m.signature.output_names) outs.push_back(env.at(name));
  return outs;
}

}  // namespace duet::onnx::internal
