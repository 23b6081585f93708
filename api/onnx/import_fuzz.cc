// libFuzzer target for onnx::import_model: the bytes go to LoadModel (parse, opset, importer
// lookup, topological order, initializers) and, for small graphs, the model runs on zero
// inputs shaped by its signature (-1 dims as 1). Nothing may crash; errors must start with
// "[onnx" and a run may only fail with duet::Error. Seeds: corpus/import_fuzz/ (testdata models).
// Example: ./dev fuzz //api/onnx:import_fuzz 600
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "api/onnx/model_loader.h"
#include "runtime/tensor_factory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace duet;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  auto model = duet::onnx::internal::LoadModel(bytes, "fuzz.onnx");
  if (!model.ok()) {
    if (std::string(model.status().message()).rfind("[onnx", 0) != 0) {
      std::fprintf(stderr, "import_fuzz: error without its prefix: %s\n",
                   std::string(model.status().message()).c_str());
      std::abort();
    }
    return 0;
  }
  if ((*model)->graph.node_size() > 64) return 0;
  std::vector<Tensor> inputs;
  for (const TensorSpec& spec : (*model)->signature.inputs) {
    Shape shape;
    for (int64_t d : spec.shape.dims()) shape.push_back(d < 0 ? 1 : d);
    if (shape.num_elements() > 4096) return 0;
    inputs.push_back(zeros(shape, spec.dtype));
  }
  try {
    duet::onnx::ImportedModel(*model).call(inputs);
  } catch (const Error&) {
  }
  return 0;
}
