// Epilogues of oneDNN contractions (matmul, convolution) as post-ops: the primitive applies
// them to each result block while it is still in registers or cache, so a bias add, an
// activation or a residual add costs no extra pass over memory. Steps run in order:
//   kAddChannel  + operand[c], c the output's last (channel) dim: a bias (first: bias arg)
//   kAddFull     + operand, the output's own shape: a residual
//   kEltwise     an activation (dnnl::algorithm, from DnnlEltwiseFor)
// Example:
//   DnnlEpilogue e = {{DnnlEpilogueStep::kAddChannel, {}, bias}, {DnnlEpilogueStep::kEltwise,
//                     dnnl::algorithm::eltwise_relu, nullptr}};
//   DnnlMatmulF32(g, a, b, c, e);
#pragma once

#include <string_view>
#include <unordered_map>

#include "absl/container/inlined_vector.h"
#include "kernels/cpu/primitive_cache.h"
#include "oneapi/dnnl/dnnl.hpp"

namespace duet::cpu {

struct DnnlEpilogueStep {
  enum Kind : int64_t { kAddChannel = 1, kAddFull = 2, kEltwise = 3 };
  Kind kind;
  dnnl::algorithm eltwise = dnnl::algorithm::undef;
  const float* operand = nullptr;  // kAddChannel, kAddFull
};
using DnnlEpilogue = absl::InlinedVector<DnnlEpilogueStep, 3>;

// The oneDNN eltwise algorithm computing op `name` (relu, tanh, sigmoid, exp, sqrt), or undef.
dnnl::algorithm DnnlEltwiseFor(std::string_view name);

// A leading per-channel add runs as the primitive's own bias argument, the other steps as
// post-ops (measured with oneDNN 2.6 on AVX-512: a bias argument costs next to nothing, a
// binary post-op add up to 20% of a small matmul and 25% of a small convolution).
bool HasBiasStep(const DnnlEpilogue& epilogue);
DnnlEpilogue PostOpSteps(const DnnlEpilogue& epilogue);  // the steps after the bias

// Appends what distinguishes the epilogue's primitive (step kinds and algorithms) to `key`.
void AppendEpilogueKey(const DnnlEpilogue& epilogue, PrimitiveKey& key);

// The post-ops of `epilogue`; channel adds read `channel_md`, full adds `full_md`.
dnnl::post_ops DnnlPostOps(const DnnlEpilogue& epilogue, const dnnl::memory::desc& channel_md,
                           const dnnl::memory::desc& full_md);

// Adds the execution arguments of the epilogue's operands to `args`; full-size operands are
// read from `full_offset` elements on (a batch chunk's part).
void AddEpilogueArgs(const DnnlEpilogue& epilogue, const dnnl::memory::desc& channel_md,
                     const dnnl::memory::desc& full_md, int64_t full_offset,
                     std::unordered_map<int, dnnl::memory>& args);

}  // namespace duet::cpu
