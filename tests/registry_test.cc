// Registry completeness: every registered op declares each facet or explicitly its absence.
#include <set>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

TEST(Registry, EveryOpIsComplete) {
  const auto& ops = OpRegistry::Get().ops();
  ASSERT_GE(ops.size(), 50u) << "API.md lists more than 50 ops";
  std::set<std::string> names;
  for (const OpDef* op : ops) {
    SCOPED_TRACE(op->name);
    EXPECT_TRUE(names.insert(op->name).second) << "duplicate name";
    EXPECT_FALSE(op->name.empty());
    EXPECT_EQ(op->name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"),
              std::string::npos)
        << "names are lower_snake_case (they become duet.<name> in the IR)";
    EXPECT_FALSE(op->outputs.empty()) << "declares outputs";
    EXPECT_NE(op->infer, nullptr) << "has a shape+dtype function";
    if (op->variadic_inputs) {
      EXPECT_EQ(op->inputs.size(), 1u) << "a variadic op names its one input kind";
    }
    int cpu_kernels = 0;
    for (int d = 0; d < kNumDTypes; ++d)
      cpu_kernels += op->kernels[static_cast<int>(DeviceType::kCPU)][d] != nullptr;
    EXPECT_GT(cpu_kernels, 0) << "has at least one CPU kernel";
    if (op->kernel_dtype_input >= 0 && !op->variadic_inputs) {
      EXPECT_LT(op->kernel_dtype_input, static_cast<int>(std::max<size_t>(op->inputs.size(), 1)))
          << "kernel dtype input exists";
    }
    if (op->gradient_kind == GradientKind::kDefined) {
      EXPECT_TRUE(static_cast<bool>(op->gradient));
    }
    if (op->has(kStateful)) {
      EXPECT_FALSE(op->has(kElementwise)) << "stateful ops are not plain elementwise";
    }
    for (size_t i = 0; i < op->attrs.size(); ++i) EXPECT_FALSE(op->attrs[i].name.empty());
  }
}

// Every op declares its gradient: a rule, or explicitly none (the autodiff issue filled the
// slots); the counts are printed for the log.
TEST(Registry, GradientSlotStatus) {
  std::vector<std::string> unspecified, none, defined;
  for (const OpDef* op : OpRegistry::Get().ops()) {
    switch (op->gradient_kind) {
      case GradientKind::kUnspecified:
        unspecified.push_back(op->name);
        break;
      case GradientKind::kNotDifferentiable:
        none.push_back(op->name);
        break;
      case GradientKind::kDefined:
        defined.push_back(op->name);
        break;
    }
  }
  std::printf(
      "gradients defined: %zu, not differentiable: %zu [%s], unspecified (autodiff issue): %zu\n",
      defined.size(), none.size(), absl::StrJoin(none, " ").c_str(), unspecified.size());
  EXPECT_TRUE(unspecified.empty()) << "no gradient declared: " << absl::StrJoin(unspecified, " ");
  EXPECT_GT(defined.size(), none.size());
}

}  // namespace
}  // namespace duet
