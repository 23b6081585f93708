// The LLVM half of tier 1: LLVM IR -> an object file for this CPU -> a callable in this process.
// Objects are what the kernel cache stores, so a cached kernel and a fresh one load alike.
// Example:
//   ASSIGN_OR_RETURN(std::string object, CompileToObject(*module));
//   ASSIGN_OR_RETURN(void* fn, LoadObject(object, "duet_fusion"));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace llvm {
class Module;
}  // namespace llvm

namespace duet::codegen {

// What generated code depends on besides its IR: "<cpu>:<features>;llvm <version>". Part of
// every cache key, so an object built on another CPU or LLVM is never loaded here.
const std::string& HostTargetKey();

// A hash that is the same in every process (cache file names): xxh3.
uint64_t StableHash(std::string_view bytes);

// Optimizes `module` (O2) for the host CPU, with 512-bit vectors where it has AVX-512, and
// emits a relocatable object. `llvm_ir`, when not null, receives the optimized IR (DUET_DUMP).
absl::StatusOr<std::string> CompileToObject(llvm::Module& module, std::string* llvm_ir);

// Links `object` into the process (each in its own JITDylib, so symbols never clash; libm and
// libc resolve from the process) and returns `symbol`'s address. Loaded code lives until exit.
absl::StatusOr<void*> LoadObject(std::string_view object, std::string_view symbol);

}  // namespace duet::codegen
