#include "api/saved_model/loader.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "api/saved_model/manifest.h"
#include "api/train/checkpoint_files.h"
#include "api/train/read_file.h"
#include "api/train/safetensors.h"
#include "compiler/export.h"
#include "graph/program_to_trace.h"
#include "runtime/status_macros.h"

namespace duet::saved_model::internal {
namespace {

absl::Status Corrupt(const std::string& file, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("[saved_model.load] '", file, "': ", what));
}

absl::Status CheckEntry(const Manifest& m, const char* name, std::string_view bytes,
                        const std::string& dir) {
  const FileEntry& want = m.files.at(name);
  const std::string file = train::JoinPath(dir, name);
  if (bytes.size() != want.bytes)
    return Corrupt(file, absl::StrCat("is ", bytes.size(), " bytes but the manifest says ",
                                      want.bytes, " (truncated, replaced or a lying manifest)"));
  if (Crc32(bytes) != want.crc32)
    return Corrupt(file, "its CRC32 does not match the manifest (corrupt)");
  return absl::OkStatus();
}

absl::Status CheckSignature(const std::vector<NamedSpec>& declared,
                            const std::vector<TensorSpec>& ir, const char* what,
                            const std::string& file) {
  if (declared.size() != ir.size())
    return Corrupt(file, absl::StrCat("the manifest lists ", declared.size(), " ", what,
                                      " but the IR has ", ir.size()));
  for (size_t i = 0; i < ir.size(); ++i)
    if (!(declared[i].spec == ir[i]))
      return Corrupt(file, absl::StrCat(what, " ", i, " ('", declared[i].name, "') is ",
                                        declared[i].spec.to_string(), " in the manifest but ",
                                        ir[i].to_string(), " in the IR"));
  return absl::OkStatus();
}

// The weights must be exactly the manifest's variables.
absl::StatusOr<std::vector<std::shared_ptr<VariableState>>> BindWeights(const Manifest& m,
                                                                        train::NamedTensors tensors,
                                                                        const std::string& file) {
  std::map<std::string, Tensor> by_name;
  for (auto& [name, t] : tensors) by_name[name] = std::move(t);
  std::vector<std::shared_ptr<VariableState>> out;
  std::set<std::string> seen;
  for (const NamedSpec& v : m.variables) {
    if (!seen.insert(v.name).second)
      return Corrupt(file, absl::StrCat("variable '", v.name, "' is listed twice"));
    auto it = by_name.find(v.name);
    if (it == by_name.end())
      return Corrupt(file, absl::StrCat("lacks variable '", train::PrintableName(v.name), "'"));
    if (!(it->second.spec() == v.spec))
      return Corrupt(file, absl::StrCat("variable '", train::PrintableName(v.name), "' is ",
                                        it->second.spec().to_string(), " but the manifest says ",
                                        v.spec.to_string()));
    auto state = std::make_shared<VariableState>();
    state->value = it->second;
    state->name = v.name;
    state->trainable = v.trainable;
    out.push_back(std::move(state));
  }
  if (by_name.size() != m.variables.size())
    return Corrupt(file, "holds tensors the manifest does not list");
  return out;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const LoadedState>> LoadFromFiles(const SavedModelFiles& files,
                                                                 const std::string& dir,
                                                                 bool check_integrity) {
  ASSIGN_OR_RETURN(Manifest m, ParseManifest(files.manifest, train::JoinPath(dir, kManifestFile)));
  if (check_integrity) {
    RETURN_IF_ERROR(CheckEntry(m, kBytecodeFile, files.bytecode, dir));
    RETURN_IF_ERROR(CheckEntry(m, kTextFile, files.text, dir));
    RETURN_IF_ERROR(CheckEntry(m, kWeightsFile, files.weights, dir));
  }
  const std::string weights_file = train::JoinPath(dir, kWeightsFile);
  ASSIGN_OR_RETURN(train::SafetensorsContents weights,
                   train::ParseSafetensors(files.weights, weights_file, "saved_model.load"));
  auto state = std::make_shared<LoadedState>();
  ASSIGN_OR_RETURN(state->bindings.variables,
                   BindWeights(m, std::move(weights.tensors), weights_file));

  std::vector<compiler::VariableSlot> slots;
  for (const NamedSpec& v : m.variables) slots.push_back({v.name, v.spec});
  // The text copy is what load compiles: MLIR 22's bytecode reader aborts the process
  // (report_fatal_error) on crafted element counts (found by saved_model_fuzz), while the text
  // parser is bounded by the text itself. The bytecode stays for tools, checked by its CRC.
  const std::string module_file = train::JoinPath(dir, kTextFile);
  if (files.text.starts_with("ML\xefR"))  // the bytecode magic: MLIR would parse it as such
    return Corrupt(module_file, "holds MLIR bytecode where the text form belongs");
  absl::StatusOr<compiler::ImportedModule> module =
      compiler::CompileExported(files.text, slots, "saved_model.load");
  if (!module.ok()) {  // "[saved_model.load] <why>" -> "[saved_model.load] '<file>': <why>"
    absl::string_view why = module.status().message();
    why.remove_prefix(std::min(why.size(), absl::string_view("[saved_model.load] ").size()));
    return Corrupt(module_file, std::string(why));
  }
  RETURN_IF_ERROR(CheckSignature(m.inputs, module->inputs, "input", module_file));
  RETURN_IF_ERROR(CheckSignature(m.outputs, module->outputs, "output", module_file));
  for (const NamedSpec& s : m.inputs) {
    state->signature.input_names.push_back(s.name);
    state->signature.inputs.push_back(s.spec);
  }
  for (const NamedSpec& s : m.outputs) {
    state->signature.output_names.push_back(s.name);
    state->signature.outputs.push_back(s.spec);
  }
  absl::StatusOr<graph::Trace> trace =
      graph::ProgramToTrace(*module->executable.program, state->bindings, state->signature.inputs);
  if (!trace.ok()) return Corrupt(module_file, std::string(trace.status().message()));
  state->trace = *std::move(trace);
  state->program = std::move(module->executable.program);
  state->ir_text = std::move(module->executable.ir_text);
  return state;
}

absl::StatusOr<std::shared_ptr<const LoadedState>> LoadDirectory(const std::string& dir) {
  const char* what = "saved_model.load";
  ASSIGN_OR_RETURN(
      std::string manifest_text,
      train::ReadWholeFile(train::JoinPath(dir, kManifestFile), kMaxManifestBytes, what));
  ASSIGN_OR_RETURN(Manifest m, ParseManifest(manifest_text, train::JoinPath(dir, kManifestFile)));
  // Each file is read up to the size the manifest promises (itself bounded): a larger file is
  // an error before any allocation, a smaller one fails the size check.
  auto read = [&](const char* name) {
    return train::ReadWholeFile(train::JoinPath(dir, name), m.files.at(name).bytes, what);
  };
  ASSIGN_OR_RETURN(std::string bytecode, read(kBytecodeFile));
  ASSIGN_OR_RETURN(std::string text, read(kTextFile));
  ASSIGN_OR_RETURN(std::string weights, read(kWeightsFile));
  return LoadFromFiles({manifest_text, bytecode, text, weights}, dir, /*check_integrity=*/true);
}

}  // namespace duet::saved_model::internal
