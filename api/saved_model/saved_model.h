// Saved models: a function or a Model exported to a directory that runs in another process
// with no user code (API.md "Export for deployment"). The directory holds
//   saved_model.json       manifest: format version, producer, signature, variables, file
//   sizes/CRCs module.mlirbc          the optimized graph as MLIR bytecode (for tools; CRC-checked)
//   module.mlir            the same as readable text (what load compiles: see loader.cc)
//   variables.safetensors  the variables' values at save time, by name (object path for a Model)
// save writes it atomically (a temp directory renamed into place: an existing export is replaced
// whole or not at all). load treats every file as untrusted and throws duet::Error on anything
// wrong, including a format newer than it reads.
// Example:
//   auto f = function([&](Tensor x) { return relu(matmul(x, w) + b); });
//   saved_model::save(f, "export_dir", {TensorSpec({-1, 784}, DType::kFloat32)});
//   saved_model::save(model, "export_dir", specs);   // a Model: its call(x, training=false)
//   auto m = saved_model::load("export_dir");
//   Tensor y = m(x);  std::vector<Tensor> ys = m.call({x});  std::cout << m.signature();
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "api/function.h"
#include "runtime/error.h"
#include "runtime/tensor.h"

namespace duet {

class Model;

namespace saved_model {

struct Signature {
  std::vector<std::string> input_names, output_names;  // "input_0", ..., "output_0", ...
  std::vector<TensorSpec> inputs, outputs;             // -1: any size
  // "(input_0: float32(-1, 784)) -> (output_0: float32(-1, 10))"
  std::string to_string() const;
};
std::ostream& operator<<(std::ostream& os, const Signature& s);

namespace internal {
struct LoadedState;
using VariableNames = std::vector<std::pair<const VariableState*, std::string>>;
void SaveTrace(const graph::Trace& trace, const std::string& dir, const VariableNames& names,
               const Loc& loc);
}  // namespace internal

// A loaded export: callable like the function it came from. Copies share the loaded graph and
// variables. Inputs are checked against the signature (count, dtype, rank, fixed dims). Called
// eagerly it runs the compiled graph; inside a duet::function, or while a GradientTape records,
// it runs the graph op by op through the public ops, so the trace records it (its variables
// captured by reference) and tapes differentiate it w.r.t. its inputs and variables.
class LoadedModel {
 public:
  explicit LoadedModel(std::shared_ptr<const internal::LoadedState> state)
      : state_(std::move(state)) {}
  const Signature& signature() const;
  Tensor operator()(const Tensor& x,
                    const Loc& loc = Loc::current()) const;  // one input, one output
  std::vector<Tensor> call(const std::vector<Tensor>& inputs,
                           const Loc& loc = Loc::current()) const;
  std::string graph_text() const;  // the loaded IR (constants over 16 elements elided)

 private:
  std::shared_ptr<const internal::LoadedState> state_;
};

// A duet::function whose arguments are all tensors, traced for `specs` (not run).
template <class F>
void save(const Function<F>& f, const std::string& dir, const std::vector<TensorSpec>& specs,
          const Loc& loc = Loc::current()) {
  internal::SaveTrace(*f.trace_for(specs, loc), dir, {}, loc);
}
// A Model's call(x, training=false); one spec. Variables are named by object path
// ("model/dense/kernel").
void save(Model& model, const std::string& dir, const std::vector<TensorSpec>& specs,
          const Loc& loc = Loc::current());

LoadedModel load(const std::string& dir, const Loc& loc = Loc::current());

}  // namespace saved_model
}  // namespace duet
