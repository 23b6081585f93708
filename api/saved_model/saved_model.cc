// save (export, weights file, manifest, atomic directory) and load/call of LoadedModel.
#include "api/saved_model/saved_model.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/layers/model.h"
#include "api/replay.h"
#include "api/saved_model/atomic_dir.h"
#include "api/saved_model/loader.h"
#include "api/saved_model/manifest.h"
#include "api/train/checkpoint_files.h"
#include "api/train/object_graph.h"
#include "api/train/safetensors.h"
#include "compiler/export.h"
#include "graph/tracer.h"
#include "runtime/dispatch.h"
#include "runtime/status_macros.h"

namespace duet::saved_model {
namespace {

absl::Status Save(const graph::Trace& trace, const std::string& dir,
                  const internal::VariableNames& names) {
  ASSIGN_OR_RETURN(
      compiler::ExportedModule m,
      compiler::ExportModule(
          trace, {.name = "main", .what = "saved_model.save", .variable_names = names}));
  Manifest manifest;
  for (size_t i = 0; i < m.inputs.size(); ++i)
    manifest.inputs.push_back({absl::StrCat("input_", i), m.inputs[i]});
  for (size_t i = 0; i < m.outputs.size(); ++i)
    manifest.outputs.push_back({absl::StrCat("output_", i), m.outputs[i]});
  train::NamedTensors weights;
  for (const compiler::NamedValue& v : m.variables) {
    manifest.variables.push_back({v.name, v.value.spec(), v.trainable});
    weights.emplace_back(v.name, v.value);
  }
  ASSIGN_OR_RETURN(std::string weight_bytes,
                   train::EncodeSafetensors(weights, {{"format", "duet-saved-model"}},
                                            train::JoinPath(dir, kWeightsFile)));
  manifest.files = {{kBytecodeFile, EntryOf(m.bytecode)},
                    {kTextFile, EntryOf(m.text)},
                    {kWeightsFile, EntryOf(weight_bytes)}};
  std::string manifest_text = EncodeManifest(manifest);
  return WriteDirectoryAtomically(dir, {{kBytecodeFile, m.bytecode},
                                        {kTextFile, m.text},
                                        {kWeightsFile, weight_bytes},
                                        {kManifestFile, manifest_text}});
}

std::string Specs(const std::vector<std::string>& names, const std::vector<TensorSpec>& specs) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < specs.size(); ++i)
    parts.push_back(absl::StrCat(names[i], ": ", specs[i].to_string()));
  return absl::StrCat("(", absl::StrJoin(parts, ", "), ")");
}

bool Matches(const TensorSpec& want, const TensorSpec& got) {
  if (want.dtype != got.dtype || want.shape.rank() != got.shape.rank()) return false;
  for (int d = 0; d < want.shape.rank(); ++d)
    if (want.shape[d] >= 0 && want.shape[d] != got.shape[d]) return false;
  return true;
}

// Eagerly with nothing observing: the compiled program. Inside a trace or under a tape: the
// graph op by op through the public API, so the tracer records it (variables captured by
// reference) and the tape differentiates it, as imported ONNX models are run.
std::vector<Tensor> Run(const internal::LoadedState& state, const std::vector<Tensor>& inputs,
                        const Loc& loc) {
  if (executing_eagerly() && !HasObservers())
    return ValueOrThrow(graph::RunProgram(*state.program, state.bindings, inputs), loc);
  graph::LocationScope at(loc);  // traced nodes carry the caller's line
  try {
    return duet::internal::ReplayTrace(state.trace, inputs);
  } catch (const Error& e) {
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[saved_model] ", e.what())), loc);
  }
}

}  // namespace

namespace internal {

void SaveTrace(const graph::Trace& trace, const std::string& dir, const VariableNames& names,
               const Loc& loc) {
  if (absl::Status s = Save(trace, dir, names); !s.ok()) ThrowError(s, loc);
}

}  // namespace internal

std::string Signature::to_string() const {
  return absl::StrCat(Specs(input_names, inputs), " -> ", Specs(output_names, outputs));
}

std::ostream& operator<<(std::ostream& os, const Signature& s) { return os << s.to_string(); }

void save(Model& model, const std::string& dir, const std::vector<TensorSpec>& specs,
          const Loc& loc) {
  if (specs.size() != 1)
    ThrowError(
        absl::InvalidArgumentError(absl::StrCat(
            "[saved_model.save] a Model takes one input, so one TensorSpec; got ", specs.size())),
        loc);
  auto f = function([&model](const Tensor& x) { return model(x, /*training=*/false); },
                    FunctionOptions{.name = "main"});
  std::shared_ptr<const graph::Trace> trace =
      f.trace_for(specs, loc);  // builds the model if needed
  train::GraphRoot root;
  root.name = "model";
  root.object = &model;
  train::ObjectGraph graph = ValueOrThrow(train::WalkObjects({root}, "saved_model.save"), loc);
  internal::VariableNames names;
  for (const auto& [path, v] : graph.variables) names.emplace_back(v.state(), path);
  internal::SaveTrace(*trace, dir, names, loc);
}

LoadedModel load(const std::string& dir, const Loc& loc) {
  return LoadedModel(ValueOrThrow(internal::LoadDirectory(dir), loc));
}

const Signature& LoadedModel::signature() const { return state_->signature; }

std::string LoadedModel::graph_text() const { return state_->ir_text; }

Tensor LoadedModel::operator()(const Tensor& x, const Loc& loc) const {
  const Signature& sig = state_->signature;
  if (sig.inputs.size() != 1 || sig.outputs.size() != 1)
    ThrowError(absl::InvalidArgumentError(absl::StrCat(
                   "[saved_model] m(x) is for one input and one output; this model is ",
                   sig.to_string(), ": use m.call({...})")),
               loc);
  return call({x}, loc)[0];
}

std::vector<Tensor> LoadedModel::call(const std::vector<Tensor>& inputs, const Loc& loc) const {
  const Signature& sig = state_->signature;
  if (inputs.size() != sig.inputs.size())
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[saved_model] the model takes ", sig.inputs.size(), " inputs ",
                                Specs(sig.input_names, sig.inputs), ", got ", inputs.size())),
               loc);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined())
      ThrowError(absl::InvalidArgumentError(absl::StrCat("[saved_model] input ", i, " ('",
                                                         sig.input_names[i], "') is undefined")),
                 loc);
    if (!Matches(sig.inputs[i], inputs[i].spec()))
      ThrowError(absl::InvalidArgumentError(
                     absl::StrCat("[saved_model] input ", i, " ('", sig.input_names[i], "') is ",
                                  inputs[i].spec().to_string(), " but the signature wants ",
                                  sig.inputs[i].to_string())),
                 loc);
  }
  std::vector<Tensor> out = Run(*state_, inputs, loc);
  if (out.size() != sig.outputs.size())
    ThrowError(
        absl::InternalError(absl::StrCat("[saved_model] the graph returned ", out.size(),
                                         " outputs, the signature says ", sig.outputs.size())),
        loc);
  return out;
}

}  // namespace duet::saved_model
