// Elementwise fusion (issue 9, tier 0): duet-fuse-elementwise makes duet.fusion regions, which
// the executor runs tile by tile with eager's kernels. Everything here compares bit for bit
// with eager: a fused region must never change a result.
#include <cstring>

#include "absl/strings/str_cat.h"
#include "api/duet.h"
#include "graph/fusion.h"
#include "gtest/gtest.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"
#include "tests/expect_error.h"
#include "tests/opinfo/opinfo.h"

namespace duet {
namespace {

bool SameBits(const Tensor& a, const Tensor& b) {
  return a.spec() == b.spec() && std::memcmp(a.raw_data(), b.raw_data(), a.num_bytes()) == 0;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The chain: x*1.01, +0.5, relu, *x, -0.25, tanh, *2, +x, sigmoid, *x.
Tensor Chain(const Tensor& x) {
  Tensor y = x * 1.01f;
  y = relu(y + 0.5f) * x;
  y = tanh(y - 0.25f) * 2.f;
  return sigmoid(y + x) * x;
}

struct DisabledPassesGuard {
  ~DisabledPassesGuard() { config::set_disabled_passes({}); }
};

TEST(Fusion, TheChainIsOneFusionAndMatchesEagerOnEveryTileLayout) {
  auto f = function([](Tensor x) { return Chain(x); });
  // One partial tile, whole tiles, whole tiles plus a remainder, and many tiles.
  for (int64_t n :
       {int64_t{1000}, 2 * graph::kFusionTile, 3 * graph::kFusionTile + 7, int64_t{1} << 20}) {
    SCOPED_TRACE(n);
    Tensor x = random::uniform({n}, -2.f, 2.f, 7);
    EXPECT_TRUE(SameBits(f(x), Chain(x)));
    std::string ir = f.graph_text(x);
    EXPECT_EQ(Count(ir, "duet.fusion"), 1u) << ir;
    EXPECT_NE(ir.find("duet.tanh"), std::string::npos) << "the region shows its ops:\n" << ir;
  }
}

TEST(Fusion, JitCompileFalseRunsOpByOpWithTheSameBits) {
  auto fused = function([](Tensor x) { return Chain(x); });
  auto plain = function([](Tensor x) { return Chain(x); }, FunctionOptions{.jit_compile = false});
  Tensor x = random::uniform({5000}, -2.f, 2.f, 3);
  EXPECT_EQ(plain.graph_text(x).find("duet.fusion"), std::string::npos);
  EXPECT_TRUE(SameBits(plain(x), fused(x)));
}

TEST(Fusion, DisabledByNameAndListedInThePipeline) {
  DisabledPassesGuard guard;
  std::vector<std::string> names = config::pass_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "fuse-elementwise"), names.end());
  config::set_disabled_passes({"fuse-elementwise"});
  EXPECT_EQ(config::disabled_passes(), std::vector<std::string>{"fuse-elementwise"});
  names = config::pass_names();
  EXPECT_EQ(std::find(names.begin(), names.end(), "fuse-elementwise"), names.end());
  auto f = function([](Tensor x) { return Chain(x); });
  Tensor x = random::uniform({100}, -2.f, 2.f, 3);
  EXPECT_EQ(f.graph_text(x).find("duet.fusion"), std::string::npos);
  EXPECT_ERROR(config::set_disabled_passes({"fuse-everything"}), "unknown pass 'fuse-everything'");
}

TEST(Fusion, SeveralOutputsScalarsCastsAndWhere) {
  Tensor scale = constant(3.f);
  auto f = function([&](Tensor x, Tensor s) {
    Tensor a = exp(x * s);                    // s: a rank-0 argument, broadcast
    Tensor b = where(x > 0.f, a, x * 0.1f);   // compare -> bool, select
    Tensor c = cast(b * 4.f, DType::kInt32);  // the region changes dtype
    return std::vector<Tensor>{a, b, c + 1};  // a and b leave the region too
  });
  Tensor x = random::uniform({3 * graph::kFusionTile + 1}, -2.f, 2.f, 5);
  std::vector<Tensor> got = f(x, scale);
  Tensor a = exp(x * scale), b = where(x > 0.f, a, x * 0.1f);
  Tensor c = cast(b * 4.f, DType::kInt32) + 1;
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(SameBits(got[0], a));
  EXPECT_TRUE(SameBits(got[1], b));
  EXPECT_TRUE(SameBits(got[2], c));
  EXPECT_EQ(Count(f.graph_text(x, scale), "duet.fusion"), 1u) << f.graph_text(x, scale);
}

TEST(Fusion, AMatmulBetweenChainsSplitsThem) {
  auto f = function([](Tensor x) { return tanh(matmul(exp(x) * 2.f, x)) + 1.f; });
  Tensor x = random::uniform({64, 64}, -1.f, 1.f, 9);
  EXPECT_TRUE(SameBits(f(x), tanh(matmul(exp(x) * 2.f, x)) + 1.f));
  EXPECT_EQ(Count(f.graph_text(x), "duet.fusion"), 2u) << f.graph_text(x);
}

// A compiled training step (forward, tape gradient, Adam: its slot updates are elementwise
// chains that fuse) equals the eager one over 20 steps, bit for bit.
TEST(Fusion, AFusedTrainingStepEqualsEagerOverTwentySteps) {
  auto run = [](bool compiled) {
    Variable w(random::uniform({32, 16}, -0.5f, 0.5f, 1), "w");
    Variable b(zeros({16}), "b");
    optimizers::Adam adam(0.01);
    Tensor x = random::uniform({8, 32}, -1.f, 1.f, 2);
    Tensor y = random::uniform({8, 16}, -1.f, 1.f, 4);
    auto step = [&] {
      return adam.minimize(
          [&] { return reduce_mean(square(tanh(matmul(x, w.value()) + b.value()) - y)); }, {w, b});
    };
    auto fstep = function(step);
    for (int i = 0; i < 20; ++i) compiled ? fstep() : step();
    if (compiled) {
      EXPECT_NE(fstep.graph_text().find("duet.fusion"), std::string::npos);
    }
    return std::vector<Tensor>{w.value(), b.value()};
  };
  std::vector<Tensor> eager = run(false), compiled = run(true);
  EXPECT_TRUE(SameBits(eager[0], compiled[0]));
  EXPECT_TRUE(SameBits(eager[1], compiled[1]));
}

// ---- the fused == eager sweep: every elementwise op of the registry, alone in a region ----

// `t`'s elements repeated to `n` elements, flat (keeps each sample's value domain).
Tensor Cycled(const Tensor& t, int64_t n) {
  Tensor out = Tensor::Empty({Shape{n}, t.dtype()});
  const size_t elem = SizeOf(t.dtype()), have = t.num_bytes();
  char* dst = static_cast<char*>(out.mutable_raw_data());
  for (size_t at = 0, total = static_cast<size_t>(n) * elem; at < total; at += have)
    std::memcpy(dst + at, t.raw_data(), std::min(have, total - at));
  return out;
}

TEST(FusedSweep, EveryElementwiseOpInARegionMatchesEagerBitForBit) {
  const int64_t n = 3 * graph::kFusionTile + 5;  // several tiles and a remainder
  int ops = 0;
  for (const std::string& name : testing::RegisteredOpNames()) {
    const OpDef& op = *OpRegistry::Get().Find(name);
    if (!op.has(kElementwise) || op.has(kStateful)) continue;
    const testing::OpInfo* info = testing::FindOpInfo(name);
    ASSERT_NE(info, nullptr) << name << " has no OpInfo entry";
    int samples = 0;
    for (DType dtype : info->dtypes) {
      for (const testing::OpSample& sample : info->samples(dtype)) {
        int64_t full = 1;
        for (const Tensor& t : sample.inputs) full = std::max(full, t.num_elements());
        bool tileable = true;
        for (const Tensor& t : sample.inputs)
          tileable = tileable && (t.num_elements() == full || t.num_elements() == 1);
        if (!tileable) continue;  // row/column broadcasts do not fuse (yet)
        SCOPED_TRACE(absl::StrCat(name, " ", DTypeName(dtype), " sample ", sample.name));
        std::vector<Tensor> inputs;
        graph::FusionPlan plan;
        plan.domain = n;
        graph::FusedOp fused{&op, nullptr, sample.attrs, {}, {}, "fusion_test"};
        for (size_t k = 0; k < sample.inputs.size(); ++k) {
          const Tensor& t = sample.inputs[k];
          // Input 0 always spans the domain, so an all-scalar sample still tiles.
          bool scalar = t.num_elements() == 1 && !(k == 0 && full == 1);
          inputs.push_back(scalar ? Tensor::View(t, Shape{}) : Cycled(t, n));
          plan.values.push_back(inputs.back().spec());
          plan.broadcast.push_back(scalar);
          fused.in.push_back(static_cast<int>(k));
        }
        TensorList eager = *Dispatch(op, inputs, sample.attrs, Loc::current());
        std::vector<TensorSpec> specs;
        for (const Tensor& e : eager) {
          fused.out.push_back(static_cast<int>(plan.values.size()));
          plan.results.push_back(static_cast<int>(plan.values.size()));
          plan.values.push_back(e.spec());
          specs.push_back(e.spec());
        }
        int from = op.kernel_dtype_input;
        fused.kernel =
            op.kernel(DeviceType::kCPU, from >= 0 && from < static_cast<int>(inputs.size())
                                            ? inputs[from].dtype()
                                            : eager[0].dtype());
        ASSERT_NE(fused.kernel, nullptr);
        plan.ops.push_back(fused);
        absl::StatusOr<std::vector<Tensor>> got = graph::RunFusion(plan, inputs, specs);
        ASSERT_TRUE(got.ok()) << got.status();
        for (size_t k = 0; k < eager.size(); ++k)
          EXPECT_TRUE(SameBits((*got)[k], eager[k])) << "output " << k;
        ++samples;
      }
    }
    EXPECT_GT(samples, 0) << name << ": no sample tiles";
    ++ops;
  }
  EXPECT_GT(ops, 30);
}

}  // namespace
}  // namespace duet
