#include "api/layers/layer.h"

#include <cxxabi.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <mutex>
#include <typeinfo>

#include "absl/strings/str_cat.h"
#include "kernels/cast_ops.h"
#include "runtime/context.h"

namespace duet {
namespace {

std::mutex& NamesMutex() {
  static std::mutex mu;
  return mu;
}
std::set<std::string>& UsedNames() {
  static std::set<std::string> used;
  return used;
}
std::map<std::string, int>& NextSuffix() {
  static std::map<std::string, int> next;
  return next;
}

// "dense", then "dense_1", "dense_2", ... skipping names already taken. Caller holds the mutex.
std::string TakeUniqueName(const std::string& base) {
  int& n = NextSuffix()[base];
  std::string name = n == 0 ? base : absl::StrCat(base, "_", n);
  while (UsedNames().count(name)) name = absl::StrCat(base, "_", ++n);
  ++n;
  UsedNames().insert(name);
  return name;
}

// Keras' to_snake_case: "MNISTModel" -> "mnist_model", "MyLayer" -> "my_layer".
std::string SnakeCase(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool upper = std::isupper(static_cast<unsigned char>(c));
    if (upper && i > 0) {
      bool prev_lower = std::islower(static_cast<unsigned char>(s[i - 1])) ||
                        std::isdigit(static_cast<unsigned char>(s[i - 1]));
      bool next_lower = i + 1 < s.size() && std::islower(static_cast<unsigned char>(s[i + 1]));
      bool prev_upper = std::isupper(static_cast<unsigned char>(s[i - 1]));
      if (prev_lower || (prev_upper && next_lower)) out += '_';
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The layers whose call() is running on this thread, innermost last.
std::vector<Layer*>& CallStack() {
  thread_local std::vector<Layer*> stack;
  return stack;
}

}  // namespace

Layer::Layer(std::string base_name, LayerOptions options)
    : dtype_(options.dtype), seed_(options.seed), trainable_(options.trainable) {
  std::lock_guard<std::mutex> lock(NamesMutex());
  if (!options.name.empty()) {
    name_ = options.name;
    UsedNames().insert(name_);
  } else if (!base_name.empty()) {
    name_ = TakeUniqueName(base_name);
  }
}

namespace {
const Layer& CheckMovable(const Layer& layer, const std::vector<Layer*>& children,
                          const std::vector<const Layer*>& owned) {
  for (const Layer* child : children)
    if (std::find(owned.begin(), owned.end(), child) == owned.end())
      ThrowError(
          absl::FailedPreconditionError(absl::StrCat(
              "[", layer.name(), "] cannot be moved after its first call: its sublayer '",
              child->name(),
              "' would be left behind; hold the model by std::unique_ptr or std::shared_ptr")),
          Loc::current());
  return layer;
}
}  // namespace

Layer::Layer(Layer&& other)
    : train::Trackable(CheckMovable(other, other.children_, other.owned_)),
      name_(std::move(other.name_)),
      dtype_(other.dtype_),
      seed_(other.seed_),
      trainable_(other.trainable_),
      built_(other.built_),
      weight_index_(other.weight_index_),
      output_shape_(std::move(other.output_shape_)),
      call_loc_(other.call_loc_),
      weights_(std::move(other.weights_)),
      children_(std::move(other.children_)),
      owned_(std::move(other.owned_)) {}

const std::string& Layer::name() const {
  std::lock_guard<std::mutex> lock(NamesMutex());
  if (name_.empty()) name_ = TakeUniqueName(SnakeCase(type_name()));
  return name_;
}

std::string Layer::type_name() const {
  int status = 0;
  const char* mangled = typeid(*this).name();
  char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string full = status == 0 && demangled ? demangled : mangled;
  std::free(demangled);
  size_t cut = full.rfind("::", full.find('<'));
  return cut == std::string::npos ? full : full.substr(cut + 2);
}

Tensor Layer::operator()(const Tensor& x, bool training, const Loc& loc) {
  std::vector<Layer*>& stack = CallStack();
  if (!stack.empty() && stack.back() != this) stack.back()->track_layer(*this);
  stack.push_back(this);
  struct Pop {
    std::vector<Layer*>& stack;
    ~Pop() { stack.pop_back(); }
  } pop{stack};
  call_loc_ = loc;
  if (!x.defined()) Fail("the input is an undefined tensor");

  if (!built_) {
    if (!dtype_) dtype_ = IsFloating(x.dtype()) ? x.dtype() : DType::kFloat32;
    try {
      build(x.shape());
    } catch (...) {  // a failed build leaves the layer unbuilt, ready to try again
      weights_.clear();
      weight_index_ = 0;
      throw;
    }
    built_ = true;
  }
  Tensor input = x;
  if (IsFloating(x.dtype()) && x.dtype() != *dtype_) input = cast(x, *dtype_, loc);
  Tensor y = call(input, training);
  output_shape_ = y.shape();
  return y;
}

Variable Layer::add_weight(const std::string& name, const Shape& shape,
                           const Initializer& initializer, bool trainable) {
  for (const auto& [existing, var] : weights_)
    if (existing == name) Fail(absl::StrCat("weight '", name, "' already exists"));
  for (int64_t d : shape)
    if (d < 0)
      Fail(absl::StrCat("weight '", name, "' needs a known shape, got ", shape.to_string()));
  DType dtype = dtype_.value_or(DType::kFloat32);
  int64_t seed = seed_ >= 0 ? seed_ + 7919 * weight_index_ : initializers::NextWeightSeed();
  ++weight_index_;
  Tensor initial;
  {
    ExecutorScope eager(DefaultExecutor());  // weights are state: created eagerly even when traced
    initial = initializer(shape, dtype, seed);
  }
  if (initial.shape() != shape || initial.dtype() != dtype)
    Fail(absl::StrCat("initializer of weight '", name, "' gave ", initial.spec().to_string(),
                      ", expected ", TensorSpec(shape, dtype).to_string()));
  Variable var(initial, absl::StrCat(this->name(), "/", name), trainable, call_loc_);
  weights_.emplace_back(name, var);
  OnVariableCreated(name, weights_.back().second);
  return var;
}

void Layer::track_layer(Layer& child) {
  if (&child == this) return;
  for (Layer* c : children_)
    if (c == &child) return;
  children_.push_back(&child);
  OnChildTracked(child.name(), child);
}

void Layer::Fail(const std::string& message) const {
  ThrowError(absl::InvalidArgumentError(absl::StrCat("[", name(), "] ", message)), call_loc_);
}

void Layer::CollectVariables(std::vector<std::pair<Variable, bool>>& out,
                             std::set<const VariableState*>& seen, bool parent_trainable) const {
  bool trainable = parent_trainable && trainable_;
  for (const auto& [weight, var] : weights_)
    if (seen.insert(var.state()).second) out.emplace_back(var, trainable && var.trainable());
  for (const Layer* child : children_) child->CollectVariables(out, seen, trainable);
}

std::vector<Variable> Layer::SelectVariables(std::optional<bool> trainable) const {
  std::vector<std::pair<Variable, bool>> all;
  std::set<const VariableState*> seen;
  CollectVariables(all, seen, true);
  std::vector<Variable> out;
  for (auto& [var, is_trainable] : all)
    if (!trainable || *trainable == is_trainable) out.push_back(var);
  return out;
}

std::vector<Variable> Layer::variables() const { return SelectVariables(std::nullopt); }
std::vector<Variable> Layer::trainable_variables() const { return SelectVariables(true); }
std::vector<Variable> Layer::non_trainable_variables() const { return SelectVariables(false); }

int64_t Layer::count_params() const {
  int64_t n = 0;
  for (const Variable& v : variables()) n += v.shape().num_elements();
  return n;
}

std::vector<std::pair<std::string, Variable>> Layer::tracked_variables() const { return weights_; }

std::vector<std::pair<std::string, train::Trackable*>> Layer::tracked_children() const {
  std::vector<std::pair<std::string, train::Trackable*>> out;
  for (Layer* child : children_) out.emplace_back(child->name(), child);
  return out;
}

}  // namespace duet
