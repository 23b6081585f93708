// The graph executor runs an elementwise op in place when an input dies at that op (its last
// read took the only handle to a buffer of the output's spec: never a graph input, a variable,
// a constant or a view's source). That needs every such CPU kernel to be correct with its
// output aliasing an input. This sweep checks it for every stateless elementwise op and every
// OpInfo sample: the kernel writing over each input in turn must give eager's bits.
#include <cstring>

#include "absl/strings/str_cat.h"
#include "api/duet.h"
#include "compiler/codegen/generated_kernels.h"
#include "gtest/gtest.h"
#include "runtime/allocator.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"
#include "tests/fused_samples.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

Tensor Copy(const Tensor& t) {
  Tensor c = Tensor::Empty(t.spec());
  std::memcpy(c.mutable_raw_data(), t.raw_data(), t.num_bytes());
  return c;
}

TEST(InPlaceKernels, EveryElementwiseKernelMayWriteOverAnInput) {
  int checked = 0, ops = 0;
  for (const std::string& name : RegisteredOpNames()) {
    const OpDef& op = *OpRegistry::Get().Find(name);
    if (!op.has(kElementwise) || op.has(kStateful) || op.kernel_allocates_outputs ||
        op.outputs.size() != 1)
      continue;
    const OpInfo* info = FindOpInfo(name);
    ASSERT_NE(info, nullptr) << name;
    int before = checked;
    for (DType dtype : info->dtypes) {
      for (const OpSample& sample : info->samples(dtype)) {
        TensorList want = *Dispatch(op, sample.inputs, sample.attrs, Loc::current());
        for (size_t k = 0; k < sample.inputs.size(); ++k) {
          if (sample.inputs[k].spec() != want[0].spec()) continue;
          SCOPED_TRACE(absl::StrCat(name, " ", DTypeName(dtype), " ", sample.name,
                                    ", output over input ", k));
          TensorList inputs(sample.inputs.begin(), sample.inputs.end());
          inputs[k] = Copy(inputs[k]);
          TensorList outputs = {inputs[k]};
          const TensorSpec spec = want[0].spec();
          const int from = op.kernel_dtype_input;
          KernelFn kernel =
              op.kernel(DeviceType::kCPU, from >= 0 ? inputs[from].dtype() : spec.dtype);
          ASSERT_NE(kernel, nullptr);
          KernelContext ctx{op, inputs, absl::MakeSpan(outputs), absl::MakeConstSpan(&spec, 1),
                            sample.attrs};
          ASSERT_TRUE(kernel(ctx).ok());
          EXPECT_EQ(std::memcmp(outputs[0].raw_data(), want[0].raw_data(), want[0].num_bytes()), 0);
          ++checked;
        }
      }
    }
    ops += checked > before;
  }
  EXPECT_GT(ops, 30);
  EXPECT_GT(checked, 200);
}

// The same at a size whose vector loops run whole blocks and a tail (every sample stretched to
// three tiles and five elements; one-element inputs stay scalars).
TEST(InPlaceKernels, AlsoOverLongBuffers) {
  int checked = 0;
  ForEachFusedSample(3 * graph::kFusionTile + 5, [&](const OpDef& op, FusedSample& s) {
    if (op.kernel_allocates_outputs || s.eager.size() != 1) return;
    for (size_t k = 0; k < s.inputs.size(); ++k) {
      if (s.inputs[k].spec() != s.eager[0].spec()) continue;
      SCOPED_TRACE(absl::StrCat("output over input ", k));
      TensorList inputs(s.inputs.begin(), s.inputs.end());
      inputs[k] = Copy(inputs[k]);
      TensorList outputs = {inputs[k]};
      const TensorSpec spec = s.eager[0].spec();
      KernelContext ctx{op, inputs, absl::MakeSpan(outputs), absl::MakeConstSpan(&spec, 1),
                        s.plan.ops[0].attrs};
      ASSERT_TRUE(s.plan.ops[0].kernel(ctx).ok());
      EXPECT_EQ(std::memcmp(outputs[0].raw_data(), s.eager[0].raw_data(), s.eager[0].num_bytes()),
                0);
      ++checked;
    }
  });
  EXPECT_GT(checked, 200);
}

int64_t Allocations() {
  AllocatorStats s = HostAllocatorStats();
  return s.cache_hits + s.cache_misses;
}

bool SameBits(const Tensor& a, const Tensor& b) {
  return a.spec() == b.spec() && std::memcmp(a.raw_data(), b.raw_data(), a.num_bytes()) == 0;
}

// Op by op (no fusion), a chain of five elementwise ops allocates one buffer per call: the
// first op's output (its input is the caller's argument), which the next four write over.
TEST(InPlaceExecution, AChainWritesOverItsDyingIntermediates) {
  auto chain = [](Tensor x) { return sigmoid(tanh(exp(neg(x)) * 2.f) + 1.f); };
  auto f = function(chain, FunctionOptions{.jit_compile = false});
  Tensor x = random::uniform({4096}, -1.f, 1.f, 1);
  Tensor keep = Copy(x);
  f(x);
  const int64_t before = Allocations();
  Tensor y = f(x);
  EXPECT_EQ(Allocations() - before, 1);
  EXPECT_TRUE(SameBits(y, chain(x)));
  EXPECT_TRUE(SameBits(x, keep)) << "the argument is never written";
}

// A fused region writes its result over an input that dies at it (here the matmul's product),
// on the generated kernel: one allocation per call (the product) instead of two.
TEST(InPlaceExecution, AFusedRegionWritesOverADyingInput) {
  Tensor w = random::uniform({64, 64}, -0.1f, 0.1f, 5);
  auto body = [&](Tensor x) { return tanh(matmul(x, w) * 2.f + 1.f) * 3.f; };
  auto f = function(body);
  Tensor x = random::uniform({64, 64}, -1.f, 1.f, 6);
  f(x);
  codegen::WaitForGeneratedKernels();
  f(x);
  ASSERT_EQ(f.compile_stats(x).generated_kernels, 1);
  const int64_t before = Allocations();
  Tensor y = f(x);
  EXPECT_EQ(Allocations() - before, 1);
  EXPECT_LE(reduce_max(abs(y - body(x))).item<float>(), 1e-5f);  // tanh within a few ulp
}

// Variables, constants and a value still read later are never written over.
TEST(InPlaceExecution, NeverWritesVariablesConstantsOrLiveValues) {
  Variable v(random::uniform({256}, -1.f, 1.f, 2), "v");
  Tensor c = random::uniform({256}, -1.f, 1.f, 3);
  Tensor v0 = Copy(v.value()), c0 = Copy(c);
  auto body = [&](Tensor x) {
    Tensor a = relu(v.value()) + c;  // reads the variable and a captured constant
    Tensor b = exp(a);               // a is read again below: not overwritten here
    return b * a + x;
  };
  auto f = function(body, FunctionOptions{.jit_compile = false});
  Tensor x = random::uniform({256}, -1.f, 1.f, 4);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(SameBits(f(x), body(x))) << i;
  EXPECT_TRUE(SameBits(v.value(), v0));
  EXPECT_TRUE(SameBits(c, c0));
}

}  // namespace
}  // namespace duet::testing
