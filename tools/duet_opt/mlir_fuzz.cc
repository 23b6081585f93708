// libFuzzer target for IR text as duet-opt and graph loading see it: parse in a context with the
// duet dialect (ops derived from the registry), verify (the registry's shape/dtype functions),
// then the default pipeline (fold runs registry kernels on constants, cse, dce) and lowering
// to a graph-executor Program. Bad text must give an error; valid IR must stay valid through
// the passes and print back to text that parses. Seeds: corpus/mlir_fuzz/ (tools/fuzz/fuzz.bzl).
// Example: ./dev fuzz //tools/duet_opt:mlir_fuzz 600
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "compiler/conversion/lower_to_program.h"
#include "compiler/conversion/trace_to_mlir.h"
#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/ir_text.h"
#include "compiler/dialect/duet/transforms/passes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

namespace {

[[noreturn]] void Broken(const char* what, const std::string& detail) {
  std::fprintf(stderr, "mlir_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A fresh context per input: uniqued types and attributes never pile up across inputs, and a
  // reproducer replays exactly. Multithreading off: the fuzzer runs one input at a time.
  mlir::MLIRContext ctx(mlir::MLIRContext::Threading::DISABLED);
  duet::ir::LoadDuetDialect(ctx);
  mlir::ScopedDiagnosticHandler quiet(&ctx, [](mlir::Diagnostic&) { return mlir::success(); });

  auto module = duet::ir::ParseModule(ctx, std::string(reinterpret_cast<const char*>(data), size));
  if (!module.ok()) return 0;
  if (mlir::failed(mlir::verify(**module))) return 0;

  const std::string before = duet::ir::PrintModule(**module);
  auto reparsed = duet::ir::ParseModule(ctx, before);
  if (!reparsed.ok() || mlir::failed(mlir::verify(**reparsed)))
    Broken("verified IR does not print back to text that parses and verifies", before);

  absl::Status passes = duet::compiler::RunPipeline(**module, duet::compiler::DefaultPipeline());
  if (!passes.ok()) Broken(std::string(passes.message()).c_str(), before);
  (void)duet::ir::LowerToProgram(**module);  // may refuse (e.g. no function); must not crash
  return 0;
}
