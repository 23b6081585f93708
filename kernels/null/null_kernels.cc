// The null backend (DeviceType::kNull): one kernel for every op and dtype that only allocates
// the outputs the shape functions inferred, and computes nothing. Tests link it to run the
// whole compile path (trace -> compile -> executor) without hardware; see null_backend.h.
#include <atomic>

#include "absl/strings/str_cat.h"
#include "kernels/null/null_backend.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

std::atomic<int64_t> calls{0};

absl::Status AllocateOutputs(KernelContext& ctx) {
  calls.fetch_add(1, std::memory_order_relaxed);
  for (size_t i = 0; i < ctx.outputs.size(); ++i) {
    if (ctx.outputs[i].defined()) continue;  // the executor allocated it
    absl::StatusOr<Tensor> out = Tensor::TryEmpty(ctx.output_specs[i], Device{DeviceType::kNull});
    if (!out.ok())
      return absl::Status(out.status().code(), absl::StrCat("[", ctx.op.name, "] output ", i, ": ",
                                                            out.status().message()));
    ctx.outputs[i] = *std::move(out);
  }
  return absl::OkStatus();
}

// alwayslink: runs before main(), in any order relative to the op registrations.
const bool kRegistered =
    (OpRegistry::Get().SetFallbackKernel(DeviceType::kNull, AllocateOutputs), true);

}  // namespace

int64_t NullKernelCalls() { return calls.load(std::memory_order_relaxed); }

}  // namespace duet
