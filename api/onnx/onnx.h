// ONNX interchange: onnx::import_model reads a .onnx file into a callable that runs the graph
// with duet's own ops (eagerly, or traced when called inside duet::function; differentiable
// wherever those ops are). Initializers become constants: an imported model is an inference
// artifact, and constants fold in traced graphs (fine-tune by wrapping it with Variables).
// The file is untrusted: size limits, and errors name the file, the node and the op.
// Example:
//   auto g = onnx::import_model("mlp.onnx");
//   std::cout << g.signature();          // inputs: x float32(-1, 784) -> outputs: y float32(-1, 10)
//   Tensor y = g(x);                     // one input, one output
//   std::vector<Tensor> ys = g.call({x1, x2});
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

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
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const Loc& loc = Loc::current()) const;
  // One input and one output.
  Tensor operator()(const Tensor& x, const Loc& loc = Loc::current()) const;
  Tensor operator()(const Tensor& x, const Tensor& y, const Loc& loc = Loc::current()) const;

 private:
  Tensor CallOne(const std::vector<Tensor>& inputs, const Loc& loc) const;
  std::shared_ptr<const Impl> impl_;
};

ImportedModel import_model(const std::string& path, const Loc& loc = Loc::current());

}  // namespace duet::onnx
