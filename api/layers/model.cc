#include "api/layers/model.h"

#include "absl/strings/str_cat.h"

namespace duet {
namespace {

// 1234567 -> "1,234,567", as Keras prints parameter counts.
std::string WithCommas(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// s padded to `width` columns, with at least one space after it.
std::string Column(const std::string& s, size_t width) {
  return s + std::string(s.size() < width ? width - s.size() : 1, ' ');
}

int64_t CountElements(const std::vector<Variable>& vars) {
  int64_t n = 0;
  for (const Variable& v : vars) n += v.shape().num_elements();
  return n;
}

}  // namespace

void Model::summary(std::ostream& os, const Loc& loc) const {
  if (!built())
    ThrowError(absl::FailedPreconditionError(absl::StrCat(
                   "[summary] model '", name(), "' is not built yet: call it on an input first")),
               loc);
  constexpr size_t kLayerWidth = 29, kShapeWidth = 26, kTotalWidth = 65;
  const std::string thin(kTotalWidth, '_'), thick(kTotalWidth, '=');
  os << "Model: \"" << name() << "\"\n" << thin << "\n";
  os << Column(" Layer (type)", kLayerWidth) << Column("Output Shape", kShapeWidth) << "Param #\n"
     << thick << "\n";
  for (size_t i = 0; i < layers().size(); ++i) {
    const Layer* layer = layers()[i];
    std::string label = absl::StrCat(" ", layer->name(), " (", layer->type_name(), ")");
    os << Column(label, kLayerWidth) << Column(layer->output_shape().to_string(), kShapeWidth)
       << WithCommas(layer->count_params()) << "\n";
    os << (i + 1 < layers().size() ? std::string() : thick) << "\n";
  }
  if (layers().empty()) os << thick << "\n";
  os << "Total params: " << WithCommas(CountElements(variables())) << "\n"
     << "Trainable params: " << WithCommas(CountElements(trainable_variables())) << "\n"
     << "Non-trainable params: " << WithCommas(CountElements(non_trainable_variables())) << "\n"
     << thin << "\n";
}

Sequential::Sequential(std::vector<LayerRef> layers, LayerOptions options)
    : Model("sequential", std::move(options)) {
  for (LayerRef& layer : layers) add(std::move(layer));
}

Tensor Sequential::call(const Tensor& x, bool training) {
  if (layers_.empty()) Fail("has no layers to call");
  Tensor h = x;
  for (const std::shared_ptr<Layer>& layer : layers_) h = (*layer)(h, training, call_loc());
  return h;
}

}  // namespace duet
