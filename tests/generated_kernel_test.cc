// Tier 1 of fusion (issue 9): regions compiled from the ops' scalar facets through MLIR and LLVM
// (compiler/codegen). Generated code must equal eager exactly for IEEE-exact ops and stay within
// a per-op ulp bound where MLIR's polynomial approximations replace libm and Highway (exp, log,
// log1p, tanh and the ops built on them). A region it cannot express stays on tier 0.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "api/duet.h"
#include "compiler/codegen/generated_kernels.h"
#include "compiler/codegen/kernel_cache.h"
#include "graph/fusion.h"
#include "gtest/gtest.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"
#include "runtime/test_dir.h"
#include "tests/fused_samples.h"

namespace duet {
namespace {

// Distance in units in the last place; NaN matches NaN, and +0 matches -0.
int64_t UlpDistance(double a, double b, DType dtype) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : INT64_MAX;
  if (a == b) return 0;
  if (std::isinf(a) || std::isinf(b)) return INT64_MAX;
  auto ordered = [&](double v) -> int64_t {
    if (dtype == DType::kFloat32) {
      int32_t i;
      float f = static_cast<float>(v);
      std::memcpy(&i, &f, 4);
      return i < 0 ? INT32_MIN - int64_t{i} : i;
    }
    int64_t i;
    std::memcpy(&i, &v, 8);
    return i < 0 ? INT64_MIN - i : i;
  };
  return std::abs(ordered(a) - ordered(b));
}

// The largest ulp distance between two float tensors of one spec (0 for bit-equal others).
int64_t MaxUlps(const Tensor& got, const Tensor& want) {
  EXPECT_EQ(got.spec(), want.spec());
  if (!IsFloating(want.dtype()) || SizeOf(want.dtype()) < 4)
    return std::memcmp(got.raw_data(), want.raw_data(), want.num_bytes()) == 0 ? 0 : INT64_MAX;
  Tensor g = cast(got, DType::kFloat64), w = cast(want, DType::kFloat64);
  const double* gp = static_cast<const double*>(g.raw_data());
  const double* wp = static_cast<const double*>(w.raw_data());
  int64_t worst = 0;
  for (int64_t i = 0; i < g.num_elements(); ++i)
    worst = std::max(worst, UlpDistance(gp[i], wp[i], want.dtype()));
  return worst;
}

// Ulps generated code may differ from eager by, per op (all other ops: exactly equal). The
// approximated functions are MLIR's (math-polynomial-approximation), eager's are Highway's.
int64_t AllowedUlps(const std::string& op) {
  static const auto* table = new std::map<std::string, int64_t>{
      {"exp", 4}, {"log", 4},     {"log1p", 4},    {"tanh", 8}, {"sin", 4},
      {"cos", 4}, {"sigmoid", 8}, {"softplus", 8}, {"pow", 4},
  };
  auto it = table->find(op);
  return it == table->end() ? 0 : it->second;
}

// Regions the generator is expected to leave on tier 0: half types, and integer division,
// remainder and power (they trap or loop; eager checks divisors before its loop).
bool ExpectedOnTier0(const OpDef& op, const graph::FusionPlan& plan) {
  for (const TensorSpec& s : plan.values)
    if (s.dtype == DType::kFloat16 || s.dtype == DType::kBFloat16) return true;
  const bool integer = IsInteger(plan.values[0].dtype);
  return integer && (op.name == "div" || op.name == "floor_mod" || op.name == "pow");
}

TEST(GeneratedKernelSweep, EveryElementwiseOpMatchesEagerWithinItsUlps) {
  const int64_t n = 64 * 15 + 5;  // whole vector steps and a scalar tail
  int generated = 0;
  std::map<std::string, int64_t> worst;  // per approximated op, for the note
  testing::ForEachFusedSample(n, [&](const OpDef& op, testing::FusedSample& s) {
    std::shared_ptr<graph::GeneratedKernelSlot> slot = codegen::MakeGeneratedKernelSlot(s.plan);
    ASSERT_NE(slot, nullptr);
    EXPECT_EQ(slot->Get(), nullptr) << "the first call runs on tier 0 and queues the compile";
    codegen::WaitForGeneratedKernels();
    const bool on_tier1 = slot->Get() != nullptr;
    EXPECT_EQ(on_tier1, !ExpectedOnTier0(op, s.plan));
    s.plan.generated = slot;
    absl::StatusOr<std::vector<Tensor>> got = graph::RunFusion(s.plan, s.inputs, s.result_specs);
    ASSERT_TRUE(got.ok()) << got.status();
    for (size_t k = 0; k < s.eager.size(); ++k) {
      const int64_t ulps = MaxUlps((*got)[k], s.eager[k]);
      EXPECT_LE(ulps, AllowedUlps(op.name)) << "output " << k;
      if (AllowedUlps(op.name) > 0) worst[op.name] = std::max(worst[op.name], ulps);
    }
    generated += on_tier1;
  });
  for (const auto& [name, ulps] : worst)
    std::printf("%-10s max %lld ulp\n", name.c_str(), static_cast<long long>(ulps));
  EXPECT_GT(generated, 60);
}

// The chain: x*1.01, +0.5, relu, *x, -0.25, tanh, *2, +x, sigmoid, *x.
Tensor Chain(const Tensor& x) {
  Tensor y = x * 1.01f;
  y = relu(y + 0.5f) * x;
  y = tanh(y - 0.25f) * 2.f;
  return sigmoid(y + x) * x;
}

// |got - want| <= atol + rtol * |want| everywhere.
void ExpectClose(const Tensor& got, const Tensor& want, double rtol, double atol) {
  ASSERT_EQ(got.spec(), want.spec());
  Tensor g = cast(got, DType::kFloat64), w = cast(want, DType::kFloat64);
  const double* gp = static_cast<const double*>(g.raw_data());
  const double* wp = static_cast<const double*>(w.raw_data());
  int64_t bad = 0;
  for (int64_t i = 0; i < g.num_elements(); ++i)
    if (!(std::abs(gp[i] - wp[i]) <= atol + rtol * std::abs(wp[i])) && bad++ < 3)
      ADD_FAILURE() << "element " << i << ": " << gp[i] << " vs eager " << wp[i];
  EXPECT_EQ(bad, 0);
}

TEST(GeneratedKernels, TheChainRunsGeneratedAfterItsFirstCall) {
  auto f = function([](Tensor x) { return Chain(x); });
  for (int64_t n : {int64_t{1000}, int64_t{64 * 7 + 3}, int64_t{1} << 20}) {
    SCOPED_TRACE(n);
    Tensor x = random::uniform({n}, -2.f, 2.f, 7);
    Tensor first = f(x);  // tier 0 (bit-equal), and the compile starts
    EXPECT_EQ(std::memcmp(first.raw_data(), Chain(x).raw_data(), first.num_bytes()), 0);
    codegen::WaitForGeneratedKernels();
    const int64_t calls = codegen::GetGeneratedKernelStats().calls;
    ExpectClose(f(x), Chain(x), 1e-5, 1e-6);
    EXPECT_EQ(codegen::GetGeneratedKernelStats().calls, calls + 1) << "ran the generated kernel";
  }
}

TEST(GeneratedKernels, RankFourWithABroadcastScalarAndSeveralResults) {
  auto f = function([](Tensor x, Tensor s) {
    Tensor a = tanh(x * s) + s;
    return std::vector<Tensor>{a, cast(a > 0.f, DType::kInt32) * 3};
  });
  Tensor x = random::uniform({2, 3, 4, 5}, -3.f, 3.f, 11), s = constant(0.75f);
  f(x, s);
  codegen::WaitForGeneratedKernels();
  const int64_t calls = codegen::GetGeneratedKernelStats().calls;
  std::vector<Tensor> got = f(x, s);
  EXPECT_GT(codegen::GetGeneratedKernelStats().calls, calls);
  ExpectClose(got[0], tanh(x * s) + s, 1e-6, 1e-6);
  EXPECT_EQ(MaxUlps(got[1], cast(tanh(x * s) + s > 0.f, DType::kInt32) * 3), 0);
}

TEST(CompileStats, CountsKernelsFusedOpsGeneratedCodeAndPeakBytes) {
  auto f = function([](Tensor x) { return Chain(x); });
  Tensor x = random::uniform({1000}, -1.f, 1.f, 3);
  CompileStats before = f.compile_stats(x);
  EXPECT_EQ(before.num_kernels, 1);
  EXPECT_EQ(before.fused_regions, 1);
  EXPECT_EQ(before.fused_ops, 10);
  EXPECT_EQ(before.generated_kernels, 0) << "compiled on the first call, not before";
  EXPECT_EQ(before.peak_bytes, 4000) << "the one result; x is an argument";
  EXPECT_GT(before.trace_ms, 0);
  EXPECT_GT(before.optimize_ms, 0);
  f(x);
  codegen::WaitForGeneratedKernels();
  CompileStats after = f.compile_stats(x);
  EXPECT_EQ(after.generated_kernels, 1);
  EXPECT_GT(after.codegen_ms, 0);
  EXPECT_EQ(after.trace_ms, before.trace_ms) << "the same signature: not traced again";

  auto plain = function([](Tensor x) { return Chain(x); }, FunctionOptions{.jit_compile = false});
  CompileStats unfused = plain.compile_stats(x);
  EXPECT_EQ(unfused.num_kernels, 10);
  EXPECT_EQ(unfused.fused_regions, 0);
  EXPECT_EQ(unfused.peak_bytes, 8000) << "each op's input and output are live together";
}

// ---- the on-disk kernel cache: every entry is untrusted ----

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

TEST(KernelDiskCache, RoundTripsAndRejectsDamagedOrForeignEntries) {
  codegen::KernelDiskCache cache(TestDir("kernel_cache"));
  const std::string key = "module { kernel A }", object(3000, 'o');
  EXPECT_FALSE(cache.Read(key).has_value());
  ASSERT_TRUE(cache.Write(key, object).ok());
  EXPECT_EQ(cache.Read(key), object);
  const std::string path = cache.PathFor(key), whole = ReadAll(path);
  WriteAll(path, whole.substr(0, whole.size() / 2));
  EXPECT_FALSE(cache.Read(key).has_value()) << "truncated";
  std::string flipped = whole;
  flipped[flipped.size() - 100] ^= 0x10;
  WriteAll(path, flipped);
  EXPECT_FALSE(cache.Read(key).has_value()) << "a flipped byte";
  WriteAll(path, std::string(whole.size(), '\xff'));
  EXPECT_FALSE(cache.Read(key).has_value()) << "garbage";
  WriteAll(path, whole);
  std::filesystem::copy_file(path, cache.PathFor("another key"));
  EXPECT_FALSE(cache.Read("another key").has_value()) << "an entry stored under another key";
  EXPECT_EQ(cache.Read(key), object);
}

// What a child process (tests/generated_kernel_child.cc) reports: compiled=N disk_hits=M ok=1.
std::string RunChild(const std::string& cache_dir) {
  const std::string command =
      absl::StrCat("DUET_KERNEL_CACHE='", cache_dir, "' tests/generated_kernel_child 2>&1");
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, pipe)) out += buf;
    const int status = pclose(pipe);
    if (status != 0) out += absl::StrCat(" exit=", status);
  }
  return out;
}

TEST(KernelDiskCache, ASecondProcessStartsWarmAndADamagedEntryIsRecompiled) {
  const std::string dir = TestDir("kernel_cache_processes");
  EXPECT_EQ(RunChild(dir), "compiled=1 disk_hits=0 ok=1\n");
  EXPECT_EQ(RunChild(dir), "compiled=0 disk_hits=1 ok=1\n");
  std::vector<std::string> entries = DirEntries(dir);
  ASSERT_EQ(entries.size(), 1u);
  const std::string path = dir + "/" + entries[0], whole = ReadAll(path);
  WriteAll(path, whole.substr(0, whole.size() - 9));
  EXPECT_EQ(RunChild(dir), "compiled=1 disk_hits=0 ok=1\n") << "truncated: recompiled";
  EXPECT_EQ(RunChild(dir), "compiled=0 disk_hits=1 ok=1\n") << "and rewritten whole";
  std::string flipped = ReadAll(path);
  flipped[flipped.size() / 2] ^= 0x01;
  WriteAll(path, flipped);
  EXPECT_EQ(RunChild(dir), "compiled=1 disk_hits=0 ok=1\n") << "corrupted: recompiled";
}

}  // namespace
}  // namespace duet
