// The op registry: the one place ops are declared. Registration happens at static-init time
// through OpBuilder; lookups by name are for tools and tests (the hot path holds OpDef&s).
// Example: const OpDef* op = OpRegistry::Get().Find("matmul");
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/op_def.h"

namespace duet {

class OpRegistry {
 public:
  static OpRegistry& Get();
  const OpDef* Find(std::string_view name) const;
  const std::vector<const OpDef*>& ops() const { return ops_; }
  // Registers `def`; aborts on a duplicate name (a programming error found at start-up).
  const OpDef& Add(std::unique_ptr<OpDef> def);

 private:
  std::vector<std::unique_ptr<OpDef>> owned_;
  std::vector<const OpDef*> ops_;
};

// Fluent registration. Build() validates the definition and registers it.
class OpBuilder {
 public:
  explicit OpBuilder(std::string name);
  OpBuilder& Inputs(std::initializer_list<const char*> names);
  OpBuilder& VariadicInput(const char* name);
  OpBuilder& Outputs(std::initializer_list<const char*> names);
  OpBuilder& Attr(const char* name, AttrKind kind);
  OpBuilder& Traits(uint32_t traits);
  OpBuilder& Infer(InferFn fn);
  OpBuilder& KernelDTypeFrom(int input_index);  // -1: first output
  OpBuilder& KernelAllocatesOutputs();
  OpBuilder& Kernel(DeviceType device, std::initializer_list<DType> dtypes, KernelFn fn);
  OpBuilder& Gradient(GradFn fn);
  OpBuilder& NotDifferentiable();
  OpBuilder& Doc(const char* doc);
  const OpDef& Build();

 private:
  std::unique_ptr<OpDef> def_;
};

}  // namespace duet
