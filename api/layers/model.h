// Model: a Layer that holds layers and models. Layers held as members are tracked the first time
// call() runs them (Keras-like), so variables() lists every weight once, in a stable order,
// even when a layer object is used twice. Sequential chains layers given by value or shared_ptr.
// Example:
//   class MNISTModel : public Model {
//     layers::Dense dense1{10}, dense2{10};
//     Tensor call(const Tensor& x, bool training) override { return dense2(dense2(dense1(x))); }
//   };
//   MNISTModel m;  m(zeros({1, 1, 784}));  m.variables().size();  // 4
//   Sequential s({layers::Flatten(), layers::Dense(10, Activation::kRelu), layers::Dense(2)});
//   s(zeros({8, 4, 4, 1}));  s.summary();
#pragma once

#include <concepts>
#include <iostream>
#include <memory>
#include <type_traits>
#include <vector>

#include "api/layers/layer.h"
#include "api/training/options.h"

namespace duet {

namespace training {
class Trainer;
}  // namespace training

class Model : public Layer {
 public:
  Model() = default;  // named after the dynamic type ("mnist_model")
  explicit Model(LayerOptions options) : Layer(std::move(options)) {}

  // A Keras-like table: "name (Type)", output shape of the last call, parameter count; then
  // total, trainable and non-trainable parameter counts. Throws if the model was never called.
  void summary(std::ostream& os = std::cout, const Loc& loc = Loc::current()) const;

  // Keras-style training (api/training/model_fit.cc, in //api/training:fit). compile() sets the
  // optimizer, loss and metrics (do not move the model afterwards); fit() runs the compiled
  // training step over (x, y) batches and returns per-epoch values; evaluate() returns
  // {"loss", metric names...} over one pass.
  void compile(CompileOptions options, const Loc& loc = Loc::current());
  History fit(const data::Dataset& dataset, const FitOptions& options = {},
              const Loc& loc = Loc::current());
  std::map<std::string, float> evaluate(const data::Dataset& dataset,
                                        const Loc& loc = Loc::current());

 protected:
  Model(std::string base_name, LayerOptions options)
      : Layer(std::move(base_name), std::move(options)) {}

 private:
  training::Trainer& CompiledTrainer(const char* op, const Loc& loc) const;
  std::shared_ptr<training::Trainer> trainer_;  // set by compile()
};

// A layer for Sequential: a temporary is moved into shared ownership; a shared_ptr is shared
// (the same layer object in two models shares its weights).
class LayerRef {
 public:
  template <class T>
  requires std::derived_from<std::remove_cvref_t<T>, Layer> &&
      (!std::is_lvalue_reference_v<T>)LayerRef(T&& layer)  // NOLINT: braced lists of layers
      : layer_(std::make_shared<std::remove_cvref_t<T>>(std::move(layer))) {}
  template <class T>
  requires std::derived_from<T, Layer> LayerRef(std::shared_ptr<T> layer)
      : layer_(std::move(layer)) {}  // NOLINT

  const std::shared_ptr<Layer>& get() const { return layer_; }

 private:
  std::shared_ptr<Layer> layer_;
};

class Sequential : public Model {
 public:
  explicit Sequential(std::vector<LayerRef> layers = {}, LayerOptions options = {});
  void add(LayerRef layer) {
    mark_owned(layer.get().get());
    layers_.push_back(layer.get());
  }
  Tensor call(const Tensor& x, bool training) override;

 private:
  std::vector<std::shared_ptr<Layer>> layers_;
};

}  // namespace duet
