#include "runtime/op_registry.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace duet {
namespace {

std::string DeclaredAttrs(const OpDef& op) {
  std::string out;
  for (const AttrDef& a : op.attrs)
    absl::StrAppend(&out, out.empty() ? "" : ", ", a.name, ":", AttrKindName(a.kind));
  return out.empty() ? "none" : out;
}

}  // namespace

void AttrReadError(const OpDef& op, std::string_view name, AttrKind wanted) {
  std::fprintf(stderr, "duet: [%s] reads attribute '%.*s' as %s; it declares: %s\n",
               op.name.c_str(), static_cast<int>(name.size()), name.data(), AttrKindName(wanted),
               DeclaredAttrs(op).c_str());
  std::abort();
}

absl::Status CheckInputDTypes(const OpDef& op, absl::Span<const Tensor> inputs) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    const TensorSpec& spec = inputs[i].spec();
    const size_t k = op.variadic_inputs ? 0 : i;
    if (i > 0 && op.same_dtypes) {
      if (spec.dtype != inputs[0].spec().dtype) [[unlikely]]
        return absl::InvalidArgumentError(
            absl::StrCat("[", op.name, "] dtype mismatch: ", inputs[0].spec().to_string(), " vs ",
                         spec.to_string(), " (inputs ", op.inputs[0], " and ", op.inputs[k],
                         " must share a dtype; cast one side explicitly)"));
      continue;
    }
    const DTypeSet allowed = op.input_dtypes[k];
    if (!allowed.contains(spec.dtype)) [[unlikely]]
      return absl::InvalidArgumentError(absl::StrCat(
          "[", op.name, "] input ", i, " (", op.inputs[k], ") has dtype ", DTypeName(spec.dtype),
          " ", spec.shape.to_string(), "; expected one of ", allowed.ToString()));
  }
  return absl::OkStatus();
}

Attrs MakeAttrs(const OpDef& op, std::initializer_list<NamedAttr> values) {
  Attrs attrs;
  size_t i = 0;
  for (const NamedAttr& v : values) {
    if (i >= op.attrs.size() || op.attrs[i].name != v.name || KindOf(v.value) != op.attrs[i].kind)
        [[unlikely]] {
      std::fprintf(stderr, "duet: [%s] attribute %zu built as '%.*s':%s; it declares: %s\n",
                   op.name.c_str(), i, static_cast<int>(v.name.size()), v.name.data(),
                   AttrKindName(KindOf(v.value)), DeclaredAttrs(op).c_str());
      std::abort();
    }
    attrs.push_back(v.value);
    ++i;
  }
  if (i != op.attrs.size()) [[unlikely]] {
    std::fprintf(stderr, "duet: [%s] built with %zu attributes; it declares: %s\n", op.name.c_str(),
                 i, DeclaredAttrs(op).c_str());
    std::abort();
  }
  return attrs;
}

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
  for (int d = 0; d < kNumDeviceTypes; ++d)
    if (fallback_[d]) Bind(*def, static_cast<DeviceType>(d), kAnyDType, fallback_[d]);
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->op != def->name) {
      ++it;
      continue;
    }
    Bind(*def, it->device, it->dtypes, it->fn);
    it = pending_.erase(it);
  }
  ops_.push_back(def.get());
  owned_.push_back(std::move(def));
  return *ops_.back();
}

void OpRegistry::Bind(OpDef& op, DeviceType device, DTypeSet dtypes, KernelFn fn) {
  dtypes.ForEach([&](DType d) { op.kernels[static_cast<int>(device)][static_cast<int>(d)] = fn; });
}

void OpRegistry::AddKernel(std::string_view op, DeviceType device, DTypeSet dtypes, KernelFn fn) {
  for (const std::unique_ptr<OpDef>& def : owned_)
    if (def->name == op) return Bind(*def, device, dtypes, fn);
  pending_.push_back({std::string(op), device, dtypes, fn});
}

void OpRegistry::SetFallbackKernel(DeviceType device, KernelFn fn) {
  fallback_[static_cast<int>(device)] = fn;
  for (const std::unique_ptr<OpDef>& def : owned_)
    for (int t = 0; t < kNumDTypes; ++t) {
      KernelFn& slot = def->kernels[static_cast<int>(device)][t];
      if (!slot) slot = fn;
    }
}

std::vector<std::string> OpRegistry::UnboundKernelOps() const {
  std::vector<std::string> names;
  for (const PendingKernel& k : pending_) names.push_back(k.op);
  return names;
}

OpBuilder::OpBuilder(std::string name) : def_(std::make_unique<OpDef>()) {
  def_->name = std::move(name);
}

OpBuilder& OpBuilder::Inputs(std::initializer_list<const char*> names, DTypeSet dtypes) {
  def_->inputs.assign(names.begin(), names.end());
  def_->input_dtypes.assign(names.size(), dtypes);
  return *this;
}
OpBuilder& OpBuilder::Input(const char* name, DTypeSet dtypes) {
  def_->inputs.push_back(name);
  def_->input_dtypes.push_back(dtypes);
  return *this;
}
OpBuilder& OpBuilder::VariadicInput(const char* name, DTypeSet dtypes) {
  def_->inputs = {name};
  def_->input_dtypes = {dtypes};
  def_->variadic_inputs = true;
  return *this;
}
OpBuilder& OpBuilder::SameDTypes() {
  def_->same_dtypes = true;
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
OpBuilder& OpBuilder::Gradient(GradFn fn) {
  def_->gradient = std::move(fn);
  def_->gradient_kind = GradientKind::kDefined;
  return *this;
}
OpBuilder& OpBuilder::NotDifferentiable() {
  def_->gradient_kind = GradientKind::kNotDifferentiable;
  return *this;
}
OpBuilder& OpBuilder::Scalar(ScalarFn fn) {
  def_->scalar = fn;
  return *this;
}
OpBuilder& OpBuilder::Doc(const char* doc) {
  def_->doc = doc;
  return *this;
}

const OpDef& OpBuilder::Build() {
  if (def_->input_dtypes.size() != def_->inputs.size()) {
    std::fprintf(stderr, "duet: op '%s' declares dtypes for %zu of its %zu inputs\n",
                 def_->name.c_str(), def_->input_dtypes.size(), def_->inputs.size());
    std::abort();
  }
  if (!def_->infer || def_->outputs.empty()) {
    std::fprintf(stderr, "duet: op '%s' needs outputs and a shape function\n", def_->name.c_str());
    std::abort();
  }
  return OpRegistry::Get().Add(std::move(def_));
}

}  // namespace duet
