// The public face of an import: the signature, input checks and the call.
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/onnx/model_loader.h"
#include "api/onnx/onnx.h"

namespace duet::onnx {
namespace {

std::string Side(const std::vector<std::string>& names, const std::vector<TensorSpec>& specs) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < names.size(); ++i) parts.push_back(names[i] + " " + specs[i].to_string());
  return absl::StrJoin(parts, ", ");
}

absl::Status CheckInputs(const ImportedModel::Impl& m, const std::vector<Tensor>& inputs) {
  const Signature& s = m.signature;
  auto bad = [&](const std::string& msg) {
    return absl::InvalidArgumentError(absl::StrCat("[onnx::ImportedModel] '", m.name, "': ", msg));
  };
  if (inputs.size() != s.inputs.size())
    return bad(absl::StrCat("expects ", s.inputs.size(), " inputs (", Side(s.input_names, s.inputs),
                            "), got ", inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i) {
    const TensorSpec& want = s.inputs[i];
    if (!inputs[i].defined())
      return bad(absl::StrCat("input '", s.input_names[i], "' is undefined"));
    const TensorSpec& got = inputs[i].spec();
    bool ok = got.dtype == want.dtype && got.shape.rank() == want.shape.rank();
    for (int d = 0; ok && d < want.shape.rank(); ++d)
      ok = want.shape[d] < 0 || want.shape[d] == got.shape[d];
    if (!ok)
      return bad(absl::StrCat("input '", s.input_names[i], "' must be ", want.to_string(), ", got ",
                              got.to_string()));
  }
  return absl::OkStatus();
}

}  // namespace

std::string Signature::to_string() const {
  return absl::StrCat("inputs: ", Side(input_names, inputs),
                      " -> outputs: ", Side(output_names, outputs));
}

std::ostream& operator<<(std::ostream& os, const Signature& s) { return os << s.to_string(); }

const Signature& ImportedModel::signature() const { return impl_->signature; }

std::vector<Tensor> ImportedModel::call(const std::vector<Tensor>& inputs, const Loc& loc) const {
  ThrowIfError(CheckInputs(*impl_, inputs), loc);
  return ValueOrThrow(internal::RunGraph(*impl_, inputs), loc);
}

Tensor ImportedModel::operator()(const Tensor& x, const Loc& loc) const {
  return CallOne({x}, loc);
}

Tensor ImportedModel::operator()(const Tensor& x, const Tensor& y, const Loc& loc) const {
  return CallOne({x, y}, loc);
}

Tensor ImportedModel::CallOne(const std::vector<Tensor>& inputs, const Loc& loc) const {
  if (impl_->signature.outputs.size() != 1)
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[onnx::ImportedModel] '", impl_->name,
                                                       "' has ", impl_->signature.outputs.size(),
                                                       " outputs: use call({...})")),
               loc);
  return call(inputs, loc)[0];
}

ImportedModel import_model(const std::string& path, const Loc& loc) {
  return ImportedModel(ValueOrThrow(internal::LoadModelFile(path), loc));
}

}  // namespace duet::onnx
