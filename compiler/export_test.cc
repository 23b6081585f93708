// ExportModule / CompileExported: names instead of indices, values by copy, host_func refused
// naming the line, and the reverse refusing modules that do not match their variables.
#include "compiler/export.h"

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet::compiler {
namespace {

TEST(Export, NamesVariablesUniquelyAndCopiesValues) {
  Variable w(constant({1.f, 2.f}), "w");
  Variable w2(constant({10.f, 20.f}), "w");  // same name: becomes "w_1"
  Variable unused(constant(3.f), "unused");
  auto f = function([&](Tensor x) {
    Tensor y = x * w;  // reads w first: capture order decides which is "w"
    return y + w2;
  });
  auto trace = f.trace_for({TensorSpec({-1, 2}, DType::kFloat32)});
  absl::StatusOr<ExportedModule> m = ExportModule(*trace, {});
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->variables.size(), 2u);
  EXPECT_EQ(m->variables[0].name, "w");
  EXPECT_EQ(m->variables[1].name, "w_1");
  EXPECT_NE(m->text.find("var = \"w_1\""), std::string::npos) << m->text;
  EXPECT_EQ(m->text.find("var = 0"), std::string::npos) << m->text;
  EXPECT_EQ(m->inputs, (std::vector<TensorSpec>{TensorSpec({-1, 2}, DType::kFloat32)}));
  w.assign(constant({5.f, 5.f}));
  EXPECT_EQ(m->variables[0].value.to_vector<float>(), (std::vector<float>{1.f, 2.f}));

  // Both forms compile back, bound to fresh variables by name.
  for (const std::string* form : {&m->bytecode, &m->text}) {
    std::vector<VariableSlot> slots = {{"w_1", m->variables[1].value.spec()},
                                       {"w", m->variables[0].value.spec()}};
    absl::StatusOr<ImportedModule> back = CompileExported(*form, slots, "load");
    ASSERT_TRUE(back.ok()) << back.status();
    auto a = std::make_shared<VariableState>();
    a->value = m->variables[1].value;
    auto b = std::make_shared<VariableState>();
    b->value = m->variables[0].value;
    absl::StatusOr<std::vector<Tensor>> out = graph::RunProgram(
        *back->executable.program, {{a, b}, {}}, {constant({{1.f, 1.f}, {2.f, 2.f}})});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ((*out)[0].to_vector<float>(), (std::vector<float>{11.f, 22.f, 12.f, 24.f}));
  }
}

TEST(Export, ModelVariablesGetTheGivenNames) {
  Variable v(constant(2.f), "v");
  auto f = function([&](Tensor x) { return x * v; });
  auto trace = f.trace_for({TensorSpec({3}, DType::kFloat32)});
  absl::StatusOr<ExportedModule> m =
      ExportModule(*trace, {.name = "main", .variable_names = {{v.state(), "model/v"}}});
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->variables.size(), 1u);
  EXPECT_EQ(m->variables[0].name, "model/v");
}

TEST(Export, HostFuncFailsNamingTheLine) {
  const int line = __LINE__ + 2;
  auto f = function([](Tensor x) {
    return host_func([](const std::vector<Tensor>& in) { return in; }, {x},
                     std::vector<DType>{DType::kFloat32})[0];
  });
  auto trace = f.trace_for({TensorSpec({2}, DType::kFloat32)});
  absl::StatusOr<ExportedModule> m = ExportModule(*trace, {});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("host_func at"), std::string::npos) << m.status();
  EXPECT_NE(m.status().message().find("export_test.cc:" + std::to_string(line)), std::string::npos)
      << m.status();
}

TEST(Export, ImportRefusesMismatchedOrUnnamedVariables) {
  const std::string ir = R"(module {
  func.func @main(%arg0: tensor<2xf32>) -> tensor<2xf32> {
    %0 = "duet.read_variable"() {var = "w"} : () -> tensor<2xf32>
    %1 = "duet.add"(%arg0, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    return %1 : tensor<2xf32>
  }
})";
  TensorSpec two({2}, DType::kFloat32);
  EXPECT_TRUE(CompileExported(ir, {{"w", two}}, "load").ok());
  auto message = [&](const std::string& text, std::vector<VariableSlot> slots) {
    absl::StatusOr<ImportedModule> m = CompileExported(text, slots, "load");
    return m.ok() ? std::string("ok") : std::string(m.status().message());
  };
  EXPECT_NE(message(ir, {{"w", TensorSpec({3}, DType::kFloat32)}})
                .find("uses variable 'w' as float32(2,) but it is float32(3,)"),
            std::string::npos);
  EXPECT_NE(message(ir, {}).find("variable 'w', which is not among"), std::string::npos);
  std::string indexed = ir;
  indexed.replace(indexed.find("\"w\""), 3, "0 : i64");
  EXPECT_NE(message(indexed, {{"w", two}}).find("must be names, not indices"), std::string::npos);
  EXPECT_NE(message("garbage", {}).find("[load] the IR does not parse"), std::string::npos);
  EXPECT_NE(message("module {}", {}).find("exactly one func.func"), std::string::npos);
  EXPECT_NE(message(std::string("ML\xefR\x00\x01\x02", 7), {}).find("[load] the IR does not parse"),
            std::string::npos);
}

}  // namespace
}  // namespace duet::compiler
