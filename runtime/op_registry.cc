#include "runtime/op_registry.h"

#include <cstdio>
#include <cstdlib>

namespace duet {

OpRegistry& OpRegistry::Get() {
  static OpRegistry* registry = new OpRegistry();  // never destroyed: ops outlive static dtors
  return *registry;
}

const OpDef* OpRegistry::Find(std::string_view name) const {
  for (const OpDef* op : ops_)
    if (op->name == name) return op;
  return nullptr;
}

const OpDef& OpRegistry::Add(std::unique_ptr<OpDef> def) {
  if (Find(def->name)) {
    std::fprintf(stderr, "duet: op '%s' registered twice\n", def->name.c_str());
    std::abort();
  }
  def->index = static_cast<int>(ops_.size());
  ops_.push_back(def.get());
  owned_.push_back(std::move(def));
  return *ops_.back();
}

OpBuilder::OpBuilder(std::string name) : def_(std::make_unique<OpDef>()) {
  def_->name = std::move(name);
}

OpBuilder& OpBuilder::Inputs(std::initializer_list<const char*> names) {
  def_->inputs.assign(names.begin(), names.end());
  return *this;
}
OpBuilder& OpBuilder::VariadicInput(const char* name) {
  def_->inputs = {name};
  def_->variadic_inputs = true;
  return *this;
}
OpBuilder& OpBuilder::Outputs(std::initializer_list<const char*> names) {
  def_->outputs.assign(names.begin(), names.end());
  return *this;
}
OpBuilder& OpBuilder::Attr(const char* name, AttrKind kind) {
  def_->attrs.push_back({name, kind});
  return *this;
}
OpBuilder& OpBuilder::Traits(uint32_t traits) {
  def_->traits = traits;
  return *this;
}
OpBuilder& OpBuilder::Infer(InferFn fn) {
  def_->infer = fn;
  return *this;
}
OpBuilder& OpBuilder::KernelDTypeFrom(int input_index) {
  def_->kernel_dtype_input = input_index;
  return *this;
}
OpBuilder& OpBuilder::KernelAllocatesOutputs() {
  def_->kernel_allocates_outputs = true;
  return *this;
}
OpBuilder& OpBuilder::Kernel(DeviceType device, std::initializer_list<DType> dtypes, KernelFn fn) {
  for (DType d : dtypes) def_->kernels[static_cast<int>(device)][static_cast<int>(d)] = fn;
  return *this;
}
OpBuilder& OpBuilder::Gradient(GradFn fn) {
  def_->gradient = std::move(fn);
  def_->gradient_kind = GradientKind::kDefined;
  return *this;
}
OpBuilder& OpBuilder::NotDifferentiable() {
  def_->gradient_kind = GradientKind::kNotDifferentiable;
  return *this;
}
OpBuilder& OpBuilder::Doc(const char* doc) {
  def_->doc = doc;
  return *this;
}

const OpDef& OpBuilder::Build() {
  if (!def_->infer || def_->outputs.empty()) {
    std::fprintf(stderr, "duet: op '%s' needs outputs and a shape function\n", def_->name.c_str());
    std::abort();
  }
  return OpRegistry::Get().Add(std::move(def_));
}

}  // namespace duet
