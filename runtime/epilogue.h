// Contraction epilogues: what a backend can run inside a contraction's kernel (oneDNN
// post-ops) instead of as separate ops. A backend declares, for its device,
//   - the fused form of a producer op ("matmul" -> "fused_matmul"): an op taking the
//     producer's inputs plus one operand per add, with the producer's attrs and `epilogue`;
//   - which ops may follow it as epilogue steps: adds of a broadcast operand, and unary
//     activations whose gradient reads only their output (relu, tanh, sigmoid, exp, sqrt), so
//     fusing drops no value a backward pass needs.
// The fuse-epilogue pass asks these questions and never names an op.
// Example (kernels/cpu/fused_matmul_kernels.cc):
//   RegisterFusedForm(DeviceType::kCPU, "matmul", "fused_matmul");
//   RegisterEpilogueStep(DeviceType::kCPU, "relu", EpilogueStep::kActivation);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/device.h"

namespace duet {

struct OpDef;

enum class EpilogueStep : unsigned char {
  kAdd,         // y = x + operand, operand broadcast to x's shape (a bias, a residual)
  kActivation,  // y = f(x), f's gradient computed from y alone
};

void RegisterFusedForm(DeviceType device, std::string_view producer, std::string_view fused);
void RegisterEpilogueStep(DeviceType device, std::string_view op, EpilogueStep step);

// The fused form of `producer` on `device`, or null.
const OpDef* FusedFormOf(DeviceType device, const OpDef& producer);
// What `op` is as an epilogue step on `device`, if it can be one.
std::optional<EpilogueStep> EpilogueStepOf(DeviceType device, const OpDef& op);

// The `epilogue` attribute of a fused op: step op names joined by ',' ("add,relu"), and back.
std::string JoinEpilogue(const std::vector<std::string>& steps);
std::vector<std::string> SplitEpilogue(std::string_view epilogue);

}  // namespace duet
