// ONNX interchange. onnx::export_model writes a function's optimized graph (constants folded,
// common subexpressions merged, dead ops removed, as duet::function runs it; or a Model's
// call(x, training=false)) as an ONNX model (opset 14): arguments become inputs with -1 dims as
// symbolic dims, variables (by name, valued at export time) and constants become initializers;
// an op without an ONNX mapping, a variable assignment, host_func, print or control flow fails
// naming the op and the line. onnx::import_model reads a .onnx file into a callable that runs the
// graph with duet's own ops (eagerly, or traced when called inside duet::function; differentiable
// wherever those ops are). Initializers become constants: an imported model is an inference
// artifact, and constants fold in traced graphs (fine-tune by wrapping it with Variables).
// The file is untrusted: size limits, and errors name the file, the node and the op.
// Example:
//   auto g = onnx::import_model("mlp.onnx");
//   std::cout << g.signature();          // inputs: x float32(-1, 784) -> outputs: y float32(-1,
//   10) Tensor y = g(x);                     // one input, one output std::vector<Tensor> ys =
//   g.call({x1, x2}); onnx::export_model(f, "f.onnx", {TensorSpec({-1, 784}, DType::kFloat32)});
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "api/function.h"
#include "api/layers/layer.h"
#include "runtime/error.h"
#include "runtime/tensor.h"

namespace duet::onnx {

// Named input/output specs; -1 marks a dim the file leaves open (dim_param or missing).
struct Signature {
  std::vector<std::string> input_names;
  std::vector<TensorSpec> inputs;
  std::vector<std::string> output_names;
  std::vector<TensorSpec> outputs;
  std::string to_string() const;
};
std::ostream& operator<<(std::ostream& os, const Signature& s);

class ImportedModel {
 public:
  struct Impl;
  explicit ImportedModel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

  const Signature& signature() const;
  // Inputs in signature order, checked against it (dtype, rank, fixed dims).
  std::vector<Tensor> call(const std::vector<Tensor>& inputs,
                           const Loc& loc = Loc::current()) const;
  // One input and one output.
  Tensor operator()(const Tensor& x, const Loc& loc = Loc::current()) const;
  Tensor operator()(const Tensor& x, const Tensor& y, const Loc& loc = Loc::current()) const;

 private:
  Tensor CallOne(const std::vector<Tensor>& inputs, const Loc& loc) const;
  std::shared_ptr<const Impl> impl_;
};

ImportedModel import_model(const std::string& path, const Loc& loc = Loc::current());

namespace internal {
void ExportTrace(const std::shared_ptr<const graph::Trace>& trace, const std::string& path,
                 const Loc& loc);
}  // namespace internal

// Writes `path` atomically. Specs give the arguments' dtypes and shapes (-1: any size).
template <class F>
void export_model(const Function<F>& f, const std::string& path,
                  const std::vector<TensorSpec>& specs, const Loc& loc = Loc::current()) {
  internal::ExportTrace(f.trace_for(specs, loc), path, loc);
}
// A model with one input: its call(x, training=false).
void export_model(Layer& model, const std::string& path, const std::vector<TensorSpec>& specs,
                  const Loc& loc = Loc::current());

}  // namespace duet::onnx
