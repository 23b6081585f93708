// The OpInfo samples of every elementwise op as one-op fused regions: what the fused == eager
// sweeps (fusion_test.cc for tier 0, generated_kernel_test.cc for tier 1) run. Each sample is
// stretched to `n` elements (its values repeated), and its eager result is computed once.
// Example:
//   ForEachFusedSample(1000, [&](const OpDef& op, FusedSample& s) { RunFusion(s.plan, ...); });
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "graph/fusion.h"
#include "gtest/gtest.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {

// `t`'s elements repeated to `n` elements, flat (keeps each sample's value domain).
inline Tensor Cycled(const Tensor& t, int64_t n) {
  Tensor out = Tensor::Empty({Shape{n}, t.dtype()});
  const size_t elem = SizeOf(t.dtype()), have = t.num_bytes();
  char* dst = static_cast<char*>(out.mutable_raw_data());
  for (size_t at = 0, total = static_cast<size_t>(n) * elem; at < total; at += have)
    std::memcpy(dst + at, t.raw_data(), std::min(have, total - at));
  return out;
}

struct FusedSample {
  std::string label;  // "tanh float32 sample (3, 4)"
  graph::FusionPlan plan;
  std::vector<Tensor> inputs;
  std::vector<TensorSpec> result_specs;
  TensorList eager;  // the op's eager outputs on `inputs`
};

// Calls fn(op, sample) for every sample of every stateless elementwise op that fits one
// iteration domain (row/column broadcasts do not fuse); input 0 always spans the domain, so
// an all-scalar sample still does. Fails the test for an op with no entry or no such sample.
template <class Fn>
void ForEachFusedSample(int64_t n, Fn&& fn) {
  int ops = 0;
  for (const std::string& name : RegisteredOpNames()) {
    const OpDef& op = *OpRegistry::Get().Find(name);
    if (!op.has(kElementwise) || op.has(kStateful)) continue;
    const OpInfo* info = FindOpInfo(name);
    ASSERT_NE(info, nullptr) << name << " has no OpInfo entry";
    int samples = 0;
    for (DType dtype : info->dtypes) {
      for (const OpSample& sample : info->samples(dtype)) {
        int64_t full = 1;
        for (const Tensor& t : sample.inputs) full = std::max(full, t.num_elements());
        bool tileable = true;
        for (const Tensor& t : sample.inputs)
          tileable = tileable && (t.num_elements() == full || t.num_elements() == 1);
        if (!tileable) continue;
        FusedSample s;
        s.label = absl::StrCat(name, " ", DTypeName(dtype), " sample ", sample.name);
        SCOPED_TRACE(s.label);
        s.plan.domain = n;
        graph::FusedOp fused{&op, nullptr, sample.attrs, {}, {}, "fused_samples"};
        for (size_t k = 0; k < sample.inputs.size(); ++k) {
          const Tensor& t = sample.inputs[k];
          const bool scalar = t.num_elements() == 1 && !(k == 0 && full == 1);
          s.inputs.push_back(scalar ? Tensor::View(t, Shape{}) : Cycled(t, n));
          s.plan.values.push_back(s.inputs.back().spec());
          s.plan.broadcast.push_back(scalar);
          fused.in.push_back(static_cast<int>(k));
        }
        s.eager = *Dispatch(op, s.inputs, sample.attrs, Loc::current());
        for (const Tensor& e : s.eager) {
          fused.out.push_back(static_cast<int>(s.plan.values.size()));
          s.plan.results.push_back(static_cast<int>(s.plan.values.size()));
          s.plan.values.push_back(e.spec());
          s.result_specs.push_back(e.spec());
        }
        const int from = op.kernel_dtype_input;
        fused.kernel =
            op.kernel(DeviceType::kCPU, from >= 0 && from < static_cast<int>(s.inputs.size())
                                            ? s.inputs[from].dtype()
                                            : s.eager[0].dtype());
        ASSERT_NE(fused.kernel, nullptr);
        s.plan.ops.push_back(fused);
        fn(op, s);
        ++samples;
      }
    }
    EXPECT_GT(samples, 0) << name << ": no sample fits one domain";
    ++ops;
  }
  EXPECT_GT(ops, 30);
}

}  // namespace duet::testing
