// Registry completeness: every registered op declares each facet or explicitly its absence.
#include <set>

#include "absl/strings/str_join.h"
#include "api/duet.h"
#include "gtest/gtest.h"
#include "runtime/dispatch.h"
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
    if (op->has(kElementwise)) {
      EXPECT_NE(op->scalar, nullptr)
          << "an elementwise op declares its scalar meaning (.Scalar, runtime/scalar_facet.h): "
             "the fused code generator emits it";
    } else {
      EXPECT_EQ(op->scalar, nullptr) << "only elementwise ops have a scalar meaning";
    }
    std::set<std::string> attr_names;
    for (const AttrDef& a : op->attrs) {
      EXPECT_FALSE(a.name.empty());
      EXPECT_TRUE(attr_names.insert(a.name).second) << "attribute names are unique: " << a.name;
    }
  }
}

// Every op defines its gradient or declares that it has none.
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
  std::printf("gradients defined: %zu, not differentiable: %zu [%s], unspecified: %zu\n",
              defined.size(), none.size(), absl::StrJoin(none, " ").c_str(), unspecified.size());
  EXPECT_TRUE(unspecified.empty()) << absl::StrJoin(unspecified, " ");
  EXPECT_GT(defined.size(), none.size());
}

// Structural traits passes ask for (the fusion pass asks kReduction), each declared where it
// holds, with the attributes it implies.
TEST(Registry, StructuralTraits) {
  using Names = std::set<std::string>;
  auto with = [](OpTrait t) {
    Names names;
    for (const OpDef* op : OpRegistry::Get().ops())
      if (op->has(t)) names.insert(op->name);
    return names;
  };
  EXPECT_EQ(with(kReduction),
            (Names{"argmax", "reduce_max", "reduce_mean", "reduce_min", "reduce_sum"}));
  EXPECT_EQ(with(kContraction), (Names{"fused_matmul", "matmul"}));
  EXPECT_EQ(with(kNormalization), (Names{"log_softmax", "softmax"}));
  EXPECT_EQ(with(kWindow), (Names{"avg_pool2d", "avg_pool2d_grad", "conv2d",
                                  "conv2d_backprop_filter", "conv2d_backprop_input", "fused_conv2d",
                                  "max_pool2d", "max_pool2d_grad", "max_pool2d_grad_grad"}));
  auto declares = [](const OpDef& op, const char* name) {
    for (const AttrDef& a : op.attrs)
      if (a.name == name) return true;
    return false;
  };
  for (const OpDef* op : OpRegistry::Get().ops()) {
    SCOPED_TRACE(op->name);
    if (op->has(kReduction) || op->has(kNormalization)) {
      EXPECT_TRUE(declares(*op, "axes") || declares(*op, "axis"));
    }
    if (op->has(kWindow)) {
      EXPECT_TRUE(declares(*op, "strides") && declares(*op, "padding"));
    }
    if (op->has(kReduction) || op->has(kContraction) || op->has(kWindow)) {
      EXPECT_FALSE(op->has(kElementwise));
    }
  }
}

// Input dtypes are declared on the op and checked once, before any shape function, with a
// message naming the op, the input and the allowed dtypes.
TEST(Registry, InputDTypeConstraints) {
  const OpDef& matmul = *OpRegistry::Get().Find("matmul");
  Tensor b = ones({2, 2}, DType::kBool), f = ones({2, 2}), d = ones({2, 2}, DType::kFloat64);
  absl::StatusOr<TensorList> out =
      Dispatch(matmul, {b, b}, MakeAttrs(matmul, {{"transpose_a", false}, {"transpose_b", false}}),
               Loc::current());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "[matmul] input 0 (a) has dtype bool (2, 2); expected one of float32, float64, int32, "
            "int64");
  out =
      Dispatch(matmul, {f, d}, MakeAttrs(matmul, {{"transpose_a", false}, {"transpose_b", false}}),
               Loc::current());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "[matmul] dtype mismatch: float32(2, 2) vs float64(2, 2) (inputs a and b must share a "
            "dtype; cast one side explicitly)");
  const OpDef& gather = *OpRegistry::Get().Find("gather");
  out = Dispatch(gather, {f, f}, MakeAttrs(gather, {{"axis", int64_t{0}}}), Loc::current());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "[gather] input 1 (indices) has dtype float32 (2, 2); expected one of int32, int64");
  for (const OpDef* op : OpRegistry::Get().ops())
    EXPECT_EQ(op->input_dtypes.size(), op->inputs.size()) << op->name;
}

// Attributes are read by name through AttrOf (ctx.attr<T>); every op's reads run in the OpInfo
// sweeps, where a wrong name or kind aborts with the message checked here.
TEST(Registry, AttributesReadByName) {
  const OpDef& matmul = *OpRegistry::Get().Find("matmul");
  Attrs attrs = MakeAttrs(matmul, {{"transpose_a", false}, {"transpose_b", true}});
  EXPECT_FALSE(AttrOf<bool>(matmul, attrs, "transpose_a"));
  EXPECT_TRUE(AttrOf<bool>(matmul, attrs, "transpose_b"));
}

TEST(RegistryDeathTest, WrongAttributeNameOrKindAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const OpDef& matmul = *OpRegistry::Get().Find("matmul");
  Attrs attrs = MakeAttrs(matmul, {{"transpose_a", false}, {"transpose_b", true}});
  EXPECT_DEATH(AttrOf<bool>(matmul, attrs, "transpose_c"),
               "\\[matmul\\] reads attribute 'transpose_c' as bool; it declares: "
               "transpose_a:bool, transpose_b:bool");
  EXPECT_DEATH(AttrOf<int64_t>(matmul, attrs, "transpose_a"),
               "\\[matmul\\] reads attribute 'transpose_a' as int");
}

TEST(RegistryDeathTest, MakeAttrsChecksOrderAndCount) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const OpDef& matmul = *OpRegistry::Get().Find("matmul");
  EXPECT_DEATH(MakeAttrs(matmul, {{"transpose_b", true}, {"transpose_a", false}}),
               "\\[matmul\\] attribute 0 built as 'transpose_b':bool; it declares");
  EXPECT_DEATH(MakeAttrs(matmul, {{"transpose_a", true}}), "\\[matmul\\] built with 1 attributes");
  EXPECT_DEATH(MakeAttrs(matmul, {{"transpose_a", int64_t{1}}, {"transpose_b", true}}),
               "built as 'transpose_a':int");
}

}  // namespace
}  // namespace duet
