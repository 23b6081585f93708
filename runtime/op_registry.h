// The op registry: the one place ops are declared. Registration happens at static-init time
// through OpBuilder; lookups by name are for tools and tests (the hot path holds OpDef&s).
// Kernels are not part of an op's definition: each backend registers its own against the op's
// name (DUET_REGISTER_KERNEL, from files under kernels/<backend>/), in any static-init order.
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

  // Registers `fn` as op `op`'s kernel on `device` for `dtypes`. The op may be registered
  // before or after (static initializers across files run in any order): a kernel for an op
  // not registered yet waits for it.
  void AddKernel(std::string_view op, DeviceType device, DTypeSet dtypes, KernelFn fn);
  // A backend's kernel for every op and dtype it has no specific kernel for (the null backend).
  void SetFallbackKernel(DeviceType device, KernelFn fn);
  // Op names that kernels were registered for but no op has (typos): the registry test's list.
  std::vector<std::string> UnboundKernelOps() const;

 private:
  struct PendingKernel {
    std::string op;
    DeviceType device;
    DTypeSet dtypes;
    KernelFn fn;
  };
  static void Bind(OpDef& op, DeviceType device, DTypeSet dtypes, KernelFn fn);
  std::vector<std::unique_ptr<OpDef>> owned_;
  std::vector<const OpDef*> ops_;
  std::vector<PendingKernel> pending_;
  KernelFn fallback_[kNumDeviceTypes] = {};
};

// From a backend's kernel file:
//   DUET_REGISTER_KERNEL("matmul", DeviceType::kCPU, kNumericDTypes, MatmulKernel);
// The file's library must be alwayslink so the registrar is linked in.
#define DUET_KERNEL_CONCAT2(a, b) a##b
#define DUET_KERNEL_CONCAT(a, b) DUET_KERNEL_CONCAT2(a, b)
#define DUET_REGISTER_KERNEL(op, device, dtypes, fn)                                 \
  [[maybe_unused]] static const bool DUET_KERNEL_CONCAT(duet_kernel_, __COUNTER__) = \
      (::duet::OpRegistry::Get().AddKernel(op, device, dtypes, fn), true)

// Fluent registration. Build() validates the definition and registers it.
class OpBuilder {
 public:
  explicit OpBuilder(std::string name);
  // Inputs in order, each accepting `dtypes` (e.g. kFloatDTypes; default: any dtype).
  OpBuilder& Inputs(std::initializer_list<const char*> names, DTypeSet dtypes = kAnyDType);
  OpBuilder& Input(const char* name, DTypeSet dtypes = kAnyDType);  // one more input
  OpBuilder& VariadicInput(const char* name, DTypeSet dtypes = kAnyDType);
  OpBuilder& SameDTypes();  // all inputs share input 0's dtype
  OpBuilder& Outputs(std::initializer_list<const char*> names);
  OpBuilder& Attr(const char* name, AttrKind kind);
  OpBuilder& Traits(uint32_t traits);
  OpBuilder& Infer(InferFn fn);
  OpBuilder& KernelDTypeFrom(int input_index);  // -1: first output
  OpBuilder& KernelAllocatesOutputs();
  OpBuilder& Gradient(GradFn fn);
  OpBuilder& NotDifferentiable();
  OpBuilder& Scalar(ScalarFn fn);  // runtime/scalar_facet.h
  OpBuilder& Doc(const char* doc);
  const OpDef& Build();

 private:
  std::unique_ptr<OpDef> def_;
};

}  // namespace duet
