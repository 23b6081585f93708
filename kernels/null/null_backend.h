// The null backend: kernels that allocate outputs of the inferred shapes and do nothing else,
// registered for every op and dtype on DeviceType::kNull. Link //kernels/null and compile with
// CompileOptions{.device = DeviceType::kNull} (or give eager ops null-device tensors).
// Example:
//   ASSIGN_OR_RETURN(compiler::Executable exe, compiler::Compile(trace, {.device = kNull}));
//   int64_t before = NullKernelCalls(); graph::RunProgram(*exe.program, {}, args);
#pragma once

#include <cstdint>

namespace duet {

// How many null kernels ran in this process (tests check the null backend really ran).
int64_t NullKernelCalls();

}  // namespace duet
