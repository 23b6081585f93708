// Elementwise fusion (issue 9, tier 0): duet-fuse-elementwise makes duet.fusion regions, which
// the executor runs tile by tile with eager's kernels. Everything here compares bit for bit
// with eager: a fused region must never change a result. Generated kernels (tier 1, which
// approximate transcendentals within a few ulp) are off here (Tier0Only), except for the
// training step run on both tiers; the tier-1 sweep is tests/generated_kernel_test.cc.
#include <cstring>

#include "absl/strings/str_cat.h"
#include "api/duet.h"
#include "compiler/codegen/generated_kernels.h"
#include "graph/fusion.h"
#include "gtest/gtest.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"
#include "tests/expect_error.h"
#include "tests/fused_samples.h"

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

// Keeps the functions a test makes on the tile interpreter, whatever the call count.
struct Tier0Only {
  Tier0Only() { codegen::SetGeneratedKernelsEnabled(false); }
  ~Tier0Only() { codegen::SetGeneratedKernelsEnabled(true); }
};

struct DisabledPassesGuard {
  ~DisabledPassesGuard() { config::set_disabled_passes({}); }
};

TEST(Fusion, TheChainIsOneFusionAndMatchesEagerOnEveryTileLayout) {
  Tier0Only tier0;
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
  Tier0Only tier0;
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
  Tier0Only tier0;
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

// Row, column and higher-rank broadcasts from outside a region are expanded slice by slice
// (graph/fusion.h ExpandSlice), on both tiers. Shapes are chosen so tiles and generated-kernel
// chunks start mid-row; add, mul and sub are exact, so both tiers equal eager bit for bit.
struct BroadcastCase {
  const char* name;
  Shape x, a, b;  // y = (x * a + b) - a, a and b broadcast to x
};

void PrintTo(const BroadcastCase& c, std::ostream* os) { *os << c.name; }

class FusionBroadcast : public ::testing::TestWithParam<BroadcastCase> {};

TEST_P(FusionBroadcast, ExpandsToEagersBitsOnBothTiers) {
  const BroadcastCase& c = GetParam();
  Tensor x = random::uniform(c.x, -2.f, 2.f, 1), a = random::uniform(c.a, -2.f, 2.f, 2);
  Tensor b = random::uniform(c.b, -2.f, 2.f, 3);
  auto chain = [](Tensor x, Tensor a, Tensor b) { return (x * a + b) - a; };
  Tensor want = chain(x, a, b);
  {
    Tier0Only tier0;  // compiled here: its region stays on the tile interpreter
    auto f0 = function(chain);
    EXPECT_TRUE(SameBits(f0(x, a, b), want)) << "tier 0";
    const std::string ir = f0.graph_text(x, a, b);
    EXPECT_EQ(Count(ir, "duet.fusion"), 1u) << ir;
  }
  auto f1 = function(chain);
  const int64_t calls = codegen::GetGeneratedKernelStats().calls;
  f1(x, a, b);
  codegen::WaitForGeneratedKernels();
  EXPECT_TRUE(SameBits(f1(x, a, b), want)) << "tier 1";
  EXPECT_GT(codegen::GetGeneratedKernelStats().calls, calls) << "ran the generated kernel";
}

INSTANTIATE_TEST_SUITE_P(
    Patterns, FusionBroadcast,
    ::testing::Values(BroadcastCase{"row", {37, 301}, {301}, {1, 301}},
                      BroadcastCase{"column", {37, 301}, {37, 1}, {301}},
                      BroadcastCase{"rank3", {5, 7, 300}, {7, 1}, {5, 1, 300}},
                      BroadcastCase{"rank4", {2, 3, 40, 50}, {3, 1, 50}, {2, 1, 1, 1}},
                      BroadcastCase{"many_chunks", {300, 1000}, {1000}, {300, 1}}),
    [](const ::testing::TestParamInfo<BroadcastCase>& info) { return info.param.name; });

// A dim known only at run time may turn out to be 1 and broadcast: such values never fuse (a
// region needs one static domain), so the result is eager's on both tiers.
TEST(Fusion, ASizeOneDimKnownOnlyAtRunTimeNeverGivesAWrongResult) {
  auto f = function([](Tensor x, Tensor y) { return tanh(x * y + 1.f) * x; },
                    {TensorSpec({-1, 3}, DType::kFloat32), TensorSpec({-1, 3}, DType::kFloat32)});
  Tensor x = random::uniform({4, 3}, -1.f, 1.f, 8), y = random::uniform({1, 3}, -1.f, 1.f, 9);
  for (int call = 0; call < 3; ++call) {  // tier 0 first, then whatever tier 1 compiled
    EXPECT_TRUE(SameBits(f(x, y), tanh(x * y + 1.f) * x)) << "call " << call;
    EXPECT_TRUE(SameBits(f(y, x), tanh(y * x + 1.f) * y)) << "call " << call;
    codegen::WaitForGeneratedKernels();
  }
  EXPECT_EQ(Count(f.graph_text(x, y), "duet.fusion"), 0u) << f.graph_text(x, y);
}

TEST(Fusion, AMatmulBetweenChainsSplitsThem) {
  // neg: an activation no backend fuses into the matmul (tanh would be its epilogue).
  auto f = function([](Tensor x) { return neg(matmul(exp(x) * 2.f, x)) + 1.f; });
  Tensor x = random::uniform({64, 64}, -1.f, 1.f, 9);
  EXPECT_TRUE(SameBits(f(x), neg(matmul(exp(x) * 2.f, x)) + 1.f));
  EXPECT_EQ(Count(f.graph_text(x), "duet.fusion"), 2u) << f.graph_text(x);
}

// 20 Adam steps on a tanh layer (forward, tape gradient, Adam: its slot updates are
// elementwise chains that fuse), eager or compiled; the weights after them. `wait` lets the
// compiled step's generated kernels finish after its first call.
std::vector<Tensor> TwentyAdamSteps(bool compiled, bool wait = false) {
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
  for (int i = 0; i < 20; ++i) {
    compiled ? fstep() : step();
    if (compiled && wait && i == 0) codegen::WaitForGeneratedKernels();
  }
  if (compiled) {
    EXPECT_NE(fstep.graph_text().find("duet.fusion"), std::string::npos);
  }
  return std::vector<Tensor>{w.value(), b.value()};
}

// On the tile interpreter the compiled step equals the eager one bit for bit.
TEST(Fusion, AFusedTrainingStepEqualsEagerOverTwentySteps) {
  Tier0Only tier0;
  std::vector<Tensor> eager = TwentyAdamSteps(false), compiled = TwentyAdamSteps(true);
  EXPECT_TRUE(SameBits(eager[0], compiled[0]));
  EXPECT_TRUE(SameBits(eager[1], compiled[1]));
}

// On generated kernels (tanh within a few ulp) it stays within 1e-4 of eager.
TEST(Fusion, OnGeneratedKernelsATrainingStepStaysWithEagerOverTwentySteps) {
  const int64_t calls = codegen::GetGeneratedKernelStats().calls;
  std::vector<Tensor> eager = TwentyAdamSteps(false), compiled = TwentyAdamSteps(true, true);
  EXPECT_GT(codegen::GetGeneratedKernelStats().calls, calls) << "ran generated kernels";
  for (int k = 0; k < 2; ++k) {
    const float gap = reduce_max(abs(compiled[k] - eager[k])).item<float>();
    EXPECT_LE(gap, 1e-4f) << (k == 0 ? "w" : "b");
  }
}

// ---- the fused == eager sweep: every elementwise op of the registry, alone in a region ----

TEST(FusedSweep, EveryElementwiseOpInARegionMatchesEagerBitForBit) {
  const int64_t n = 3 * graph::kFusionTile + 5;  // several tiles and a remainder
  testing::ForEachFusedSample(n, [](const OpDef&, testing::FusedSample& s) {
    absl::StatusOr<std::vector<Tensor>> got = graph::RunFusion(s.plan, s.inputs, s.result_specs);
    ASSERT_TRUE(got.ok()) << got.status();
    for (size_t k = 0; k < s.eager.size(); ++k)
      EXPECT_TRUE(SameBits((*got)[k], s.eager[k])) << "output " << k;
  });
}

}  // namespace
}  // namespace duet
