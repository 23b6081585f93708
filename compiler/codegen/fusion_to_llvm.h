// Tier 1 code generation for a fused elementwise region: the region's ops, each through its
// registration's scalar facet (runtime/scalar_facet.h), become one MLIR function
//   void duet_fusion(int64_t n, void* const* args)   (graph::GeneratedKernel)
// with a 64-lane vector loop and a scalar tail (arith/math/vector on the llvm dialect's
// pointers), then f32 exp/log/log1p/tanh become MLIR's polynomial approximations, the rest
// LLVM intrinsics or libm calls, and the result is translated to LLVM IR.
// The MLIR text is the kernel's identity: the cache key (with the target) and what DUET_DUMP
// prints. Both calls share one MLIR context and may be called from any thread.
// Example:
//   ASSIGN_OR_RETURN(std::string mlir, FusionKernelMlir(plan));
//   ASSIGN_OR_RETURN(std::unique_ptr<llvm::Module> module, LowerKernelMlir(mlir, llvm_context));
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "graph/fusion.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace duet::codegen {

inline constexpr char kKernelSymbol[] = "duet_fusion";
// What LowerKernelMlir and CompileToObject do to a kernel's MLIR, as part of every cache key:
// change it whenever the lowering or the optimization changes, or stale objects load.
inline constexpr char kLoweringVersion[] =
    "lowering 3 (64 lanes): f32 exp/log/log1p/expm1 polynomial, tanh polynomial with arcp+ninf, "
    "f64 libm, O2, "
    "host cpu";

// The kernel for `plan`, in MLIR's text form. Fails, saying why, when a value's dtype or a
// facet's primitive has no exact form here (half types, integer division); the region then
// stays on the tile interpreter.
absl::StatusOr<std::string> FusionKernelMlir(const graph::FusionPlan& plan);

// FusionKernelMlir's text lowered to the llvm dialect and translated to LLVM IR.
absl::StatusOr<std::unique_ptr<llvm::Module>> LowerKernelMlir(std::string_view mlir_text,
                                                              llvm::LLVMContext& llvm_context);

}  // namespace duet::codegen
