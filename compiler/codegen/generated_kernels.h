// Tier 1's scheduler. Lowering gives every fusion a slot (MakeGeneratedKernelSlot); the slot's
// first call runs on tier 0 and queues its compile on the one background compile thread, which
// builds the kernel's MLIR, reuses an identical kernel already loaded or one in the disk cache
// (kernel_cache.h), or compiles and stores it; later calls run the generated kernel. A region
// the generator cannot express stays on tier 0 (DUET_DUMP says why).
// DUET_FUSION_TIER=0 (or SetGeneratedKernelsEnabled(false)) keeps new slots on tier 0.
// Example:
//   plan.generated = MakeGeneratedKernelSlot(plan);  // compiler/conversion/lower_to_program.cc
//   WaitForGeneratedKernels();                       // tests and benchmarks: compiles finished
#pragma once

#include <cstdint>
#include <memory>

#include "graph/fusion.h"

namespace duet::codegen {

// Null when generated kernels are off.
std::shared_ptr<graph::GeneratedKernelSlot> MakeGeneratedKernelSlot(const graph::FusionPlan& plan);

bool GeneratedKernelsEnabled();
void SetGeneratedKernelsEnabled(bool on);  // for slots made afterwards

// Blocks until every queued compile has finished (or failed).
void WaitForGeneratedKernels();

// Process-wide counters (monotonic), for tests, benchmarks and compile statistics.
struct GeneratedKernelStats {
  int64_t compiled = 0;     // objects built by LLVM in this process
  int64_t disk_hits = 0;    // objects loaded from the disk cache
  int64_t shared = 0;       // slots given a kernel another slot already loaded
  int64_t unsupported = 0;  // regions left on tier 0
  int64_t failed = 0;       // compile or load errors (the region stays on tier 0)
  int64_t calls = 0;        // RunFusion calls that ran a generated kernel
  double codegen_ms = 0;    // time spent building, compiling and loading kernels
};
GeneratedKernelStats GetGeneratedKernelStats();

}  // namespace duet::codegen
