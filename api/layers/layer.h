// Layer: the Keras-like building block. A layer creates its weights on the first call, from the
// input's shape (build), and then computes call(x, training). Weights are Variables named
// "<layer name>/<weight name>"; layer names are unique per process ("dense", "dense_1", ...).
// A layer called while another layer's call is running becomes that layer's child (tracked once,
// in first-use order), so models collect the variables of the layers they hold as members.
// Layers are Trackables: a checkpoint restored before the first call is applied when the
// weights are created.
// Example:
//   class MyDense : public Layer {
//     void build(const Shape& input) override { kernel = add_weight("kernel", {input[-1], 10}); }
//     Tensor call(const Tensor& x, bool training) override { return matmul(x, kernel); }
//     Variable kernel;
//   };
//   MyDense d;  Tensor y = d(ones({2, 3}));  d.variables();  // {my_dense/kernel}
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/layers/initializers.h"
#include "api/train/trackable.h"
#include "eager/variable.h"
#include "runtime/error.h"
#include "runtime/tensor.h"

namespace duet {

struct LayerOptions {
  std::string name;            // "" = unique name from the layer type ("dense", "dense_1", ...)
  std::optional<DType> dtype;  // weights' dtype; default: the input's float dtype, else float32
  int64_t seed = -1;           // initializer seed; -1 = the process's fixed default sequence
  bool trainable = true;
};

class Layer : public train::Trackable {
 public:
  Layer() : Layer(std::string(), LayerOptions{}) {}  // named after the dynamic type ("my_layer")
  explicit Layer(LayerOptions options) : Layer(std::string(), std::move(options)) {}
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;
  // Moving is for building (Sequential takes temporaries). A layer whose call() has tracked
  // sublayers it does not own (members) cannot move, since they would be left behind: it throws.
  Layer(Layer&& other);
  Layer& operator=(Layer&&) = delete;
  ~Layer() override = default;

  // Builds on the first call (from x's shape), then runs call(x, training).
  Tensor operator()(const Tensor& x, bool training = false, const Loc& loc = Loc::current());

  // Subclasses: create weights with add_weight; compute the output.
  virtual void build(const Shape& input_shape) { (void)input_shape; }
  virtual Tensor call(const Tensor& x, bool training) = 0;

  const std::string& name() const;
  // The class name without namespaces ("Dense", "MyModel"), for summaries.
  std::string type_name() const;
  bool built() const { return built_; }
  bool trainable() const { return trainable_; }
  void set_trainable(bool trainable) { trainable_ = trainable; }
  // The dtype of the weights (known once built, or when given in the options).
  std::optional<DType> dtype() const { return dtype_; }
  // The output shape of the most recent call (empty before the first one).
  const Shape& output_shape() const { return output_shape_; }

  // This layer's weights and its children's, each once, in creation/tracking order.
  std::vector<Variable> variables() const;
  std::vector<Variable> trainable_variables() const;
  std::vector<Variable> non_trainable_variables() const;
  // Number of elements over variables().
  int64_t count_params() const;
  // Sublayers tracked so far, in first-use order.
  const std::vector<Layer*>& layers() const { return children_; }

  // Trackable: the weights by weight name, the children by layer name.
  std::vector<std::pair<std::string, Variable>> tracked_variables() const override;
  std::vector<std::pair<std::string, train::Trackable*>> tracked_children() const override;

 protected:
  // base_name: the name family ("dense"); the layer takes the next free "dense", "dense_1", ...
  Layer(std::string base_name, LayerOptions options);

  // Creates the variable "<layer name>/<name>" (eagerly, even while a function is being traced)
  // and applies a deferred checkpoint value for it. Call from build().
  Variable add_weight(const std::string& name, const Shape& shape,
                      const Initializer& initializer = initializers::GlorotUniform(),
                      bool trainable = true);
  // Registers a sublayer explicitly (layers called inside call() are tracked automatically).
  void track_layer(Layer& child);
  // Declares a sublayer held by shared_ptr (it does not live inside this object), so moving
  // this layer keeps it valid.
  void mark_owned(const Layer* child) { owned_.push_back(child); }
  // The user's line of the call being run, for error messages raised by call().
  const Loc& call_loc() const { return call_loc_; }
  // Raises "[<layer name>] message (at the user's line)".
  [[noreturn]] void Fail(const std::string& message) const;

 private:
  void CollectVariables(std::vector<std::pair<Variable, bool>>& out,
                        std::set<const VariableState*>& seen, bool parent_trainable) const;
  // All variables (nullopt) or those whose effective trainability matches.
  std::vector<Variable> SelectVariables(std::optional<bool> trainable) const;

  mutable std::string name_;  // resolved lazily for unnamed user subclasses
  std::optional<DType> dtype_;
  int64_t seed_;
  bool trainable_;
  bool built_ = false;
  int weight_index_ = 0;
  Shape output_shape_;
  Loc call_loc_;
  std::vector<std::pair<std::string, Variable>> weights_;
  std::vector<Layer*> children_;
  std::vector<const Layer*> owned_;
};

}  // namespace duet
