// map: the user's function over each element, traced and compiled per element signature by the
// same core as duet::function (so it caches, explains retraces and honours
// config::run_functions_eagerly), or called directly when functions run eagerly.
#include <utility>

#include "api/data/dataset_node.h"
#include "api/function_core.h"
#include "runtime/context.h"

namespace duet::data::internal {
namespace {

class MapFunction {
 public:
  MapFunction(MapFn fn, Loc loc) : fn_(std::move(fn)), core_("map", {}), loc_(loc) {}
  std::vector<Tensor> operator()(std::vector<Tensor> element) {
    if (config::functions_run_eagerly() || !executing_eagerly()) return fn_(std::move(element));
    duet::internal::Signature sig;
    for (size_t i = 0; i < element.size(); ++i) {
      sig.push_back(
          {duet::internal::ArgKey::Kind::kTensor, core_.SpecFor(i, element[i], loc_), ""});
    }
    duet::internal::Invoker invoke = [this](const std::vector<Tensor>& args) { return fn_(args); };
    return core_.Call(sig, element, invoke, loc_);
  }

 private:
  MapFn fn_;
  duet::internal::FunctionCore core_;  // thread-safe: prefetch may call it from its thread
  Loc loc_;
};

class MapStream : public ElementStream {
 public:
  MapStream(std::unique_ptr<ElementStream> input, std::shared_ptr<MapFunction> fn)
      : input_(std::move(input)), fn_(std::move(fn)) {}
  bool Next(std::vector<Tensor>* out) override {
    std::vector<Tensor> e;
    if (!input_->Next(&e)) return false;
    *out = (*fn_)(std::move(e));
    return true;
  }

 private:
  std::unique_ptr<ElementStream> input_;
  std::shared_ptr<MapFunction> fn_;
};

class MapNode : public DatasetNode {
 public:
  MapNode(NodePtr input, MapFn fn, Loc loc)
      : input_(std::move(input)), fn_(std::make_shared<MapFunction>(std::move(fn), loc)) {}
  std::unique_ptr<ElementStream> Open() const override {
    return std::make_unique<MapStream>(input_->Open(), fn_);
  }
  int64_t Cardinality() const override { return input_->Cardinality(); }

 private:
  NodePtr input_;
  std::shared_ptr<MapFunction> fn_;
};

}  // namespace

NodePtr MakeMap(NodePtr input, MapFn fn, Loc loc) {
  return std::make_shared<MapNode>(std::move(input), std::move(fn), loc);
}

}  // namespace duet::data::internal
