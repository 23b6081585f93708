// The duet dialect verifies its structural ops (ODS: compiler/dialect/duet/ir/structural_ops.td):
// IR text is untrusted (duet-opt, loading), and each case below crashed lowering or the passes
// before it was checked (found by //tools/duet_opt:mlir_fuzz).
#include <string>

#include "api/duet.h"
#include "compiler/conversion/trace_to_mlir.h"
#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/ir_text.h"
#include "gtest/gtest.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

namespace duet {
namespace {

// "" if `text` parses and verifies, else the diagnostics.
std::string VerifyText(const std::string& text) {
  mlir::MLIRContext ctx;
  ir::LoadDuetDialect(ctx);
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic& d) {
    diagnostics += d.str() + "\n";
    return mlir::success();
  });
  auto module = ir::ParseModule(ctx, text);
  if (!module.ok()) return std::string(module.status().message());
  if (mlir::failed(mlir::verify(**module))) return diagnostics.empty() ? "failed" : diagnostics;
  return "";
}

std::string Func(const std::string& sig, const std::string& body) {
  return "func.func @f(" + sig + " {\n" + body + "\n}\n";
}

TEST(IrVerify, ValidStructuralOpsVerify) {
  EXPECT_EQ(VerifyText(Func("%p: tensor<i1>, %a: tensor<f32>) -> tensor<f32>", R"(
  %c = "duet.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "duet.read_variable"() {var = 0 : i64} : () -> tensor<f32>
  "duet.assign_variable"(%a) {var = 0 : i64} : (tensor<f32>) -> ()
  %0 = "duet.cond"(%p) ({
    "duet.yield"(%a) : (tensor<f32>) -> ()
  }, {
    "duet.yield"(%v) : (tensor<f32>) -> ()
  }) : (tensor<i1>) -> tensor<f32>
  %1 = "duet.while"(%0) ({
  ^bb0(%x: tensor<f32>):
    %l = "duet.less"(%x, %a) : (tensor<f32>, tensor<f32>) -> tensor<i1>
    "duet.yield"(%l) : (tensor<i1>) -> ()
  }, {
  ^bb0(%y: tensor<f32>):
    "duet.yield"(%y) : (tensor<f32>) -> ()
  }) : (tensor<f32>) -> tensor<f32>
  return %1 : tensor<f32>)")),
            "");
}

struct BadCase {
  const char* name;
  std::string ir;
  const char* message;
};

TEST(IrVerify, BrokenStructuralOpsAreErrorsNamingTheProblem) {
  const BadCase cases[] = {
      {"constant without value", Func(") -> tensor<2xf32>", R"(
  %0 = "duet.constant"() : () -> tensor<2xf32>
  return %0 : tensor<2xf32>)"),
       "'duet.constant' op requires attribute 'value'"},
      {"constant of another type", Func(") -> tensor<3xi32>", R"(
  %0 = "duet.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<3xi32>
  return %0 : tensor<3xi32>)"),
       "'value' has another type than the result"},
      {"negative variable index", Func(") -> tensor<f32>", R"(
  %0 = "duet.read_variable"() {var = -5 : i64} : () -> tensor<f32>
  return %0 : tensor<f32>)"),
       "'duet.read_variable' op attribute 'var' failed to satisfy constraint: non-negative i64 or "
       "non-empty string variable reference"},
      {"cond without regions", Func("%p: tensor<i1>) -> tensor<f32>", R"(
  %0 = "duet.cond"(%p) : (tensor<i1>) -> tensor<f32>
  return %0 : tensor<f32>)"),
       "'duet.cond' op expected 2 regions"},
      {"cond on a 3-element predicate",
       Func("%p: tensor<3xi1>, %a: tensor<f32>) -> tensor<f32>", R"(
  %0 = "duet.cond"(%p) ({
    "duet.yield"(%a) : (tensor<f32>) -> ()
  }, {
    "duet.yield"(%a) : (tensor<f32>) -> ()
  }) : (tensor<3xi1>) -> tensor<f32>
  return %0 : tensor<f32>)"),
       "expects a one-element i1 tensor as the first operand"},
      {"cond with an empty branch", Func("%p: tensor<i1>, %a: tensor<f32>) -> tensor<f32>", R"(
  %0 = "duet.cond"(%p) ({
    "duet.yield"(%a) : (tensor<f32>) -> ()
  }, {
  }) : (tensor<i1>) -> tensor<f32>
  return %0 : tensor<f32>)"),
       "'duet.cond' op region #1 ('else_region') failed to verify constraint: region with 1 "
       "blocks"},
      {"while body yields another type", Func("%a: tensor<f32>) -> tensor<f32>", R"(
  %0 = "duet.while"(%a) ({
  ^bb0(%x: tensor<f32>):
    %l = "duet.less"(%x, %x) : (tensor<f32>, tensor<f32>) -> tensor<i1>
    "duet.yield"(%l) : (tensor<i1>) -> ()
  }, {
  ^bb0(%y: tensor<f32>):
    "duet.yield"(%y, %y) : (tensor<f32>, tensor<f32>) -> ()
  }) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>)"),
       "the body region must yield the op's result types"},
      {"while condition of the wrong arity", Func("%a: tensor<f32>) -> tensor<f32>", R"(
  %0 = "duet.while"(%a) ({
  ^bb0(%x: tensor<f32>, %z: tensor<f32>):
    %l = "duet.less"(%x, %x) : (tensor<f32>, tensor<f32>) -> tensor<i1>
    "duet.yield"(%l) : (tensor<i1>) -> ()
  }, {
  ^bb0(%y: tensor<f32>):
    "duet.yield"(%y) : (tensor<f32>) -> ()
  }) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>)"),
       "the condition region's arguments must be the loop variables' types"},
      {"registry op with a region", Func("%a: tensor<2xf32>) -> tensor<2xf32>", R"(
  %0 = "duet.neg"(%a) ({
    "duet.yield"() : () -> ()
  }) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>)"),
       "'duet.neg' op expects no regions"},
  };
  for (const BadCase& c : cases) {
    std::string got = VerifyText(c.ir);
    EXPECT_NE(got.find(c.message), std::string::npos) << c.name << ": got \"" << got << "\"";
  }
  // The dialect is still usable: a valid module verifies afterwards.
  EXPECT_EQ(VerifyText(Func("%a: tensor<2xf32>) -> tensor<2xf32>", "  return %a : tensor<2xf32>")),
            "");
}

}  // namespace
}  // namespace duet
