// Compile: trace -> duet dialect -> verify -> passes -> Program.
//   1. One MLIR context for the process (shared_context.h), used under a lock: compiles are
//      rare, calls never touch it.
//   2. Diagnostics are collected into the Status message instead of printed.
//   3. DUET_DUMP sees the traced IR and the IR after every pass.
#include "compiler/compile.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "compiler/conversion/lower_to_program.h"
#include "compiler/conversion/trace_to_mlir.h"
#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/ir_text.h"
#include "compiler/dialect/duet/transforms/passes.h"
#include "compiler/shared_context.h"
#include "mlir/IR/Verifier.h"
#include "runtime/debug_dump.h"
#include "runtime/status_macros.h"

namespace duet::compiler {

namespace {

std::mutex g_disabled_mu;
std::vector<std::string>& Disabled() {
  static std::vector<std::string> names = [] {
    std::vector<std::string> v;
    if (const char* env = std::getenv("DUET_DISABLE_PASSES"))
      v = absl::StrSplit(env, ',', absl::SkipWhitespace());
    return v;
  }();
  return names;
}

bool IsDisabled(const std::string& name) {
  std::lock_guard<std::mutex> lock(g_disabled_mu);
  const std::vector<std::string>& d = Disabled();
  return std::find(d.begin(), d.end(), name) != d.end();
}

std::vector<std::string>& ExtraPasses() {
  static std::vector<std::string> names;  // under g_disabled_mu
  return names;
}

std::vector<std::string> Pipeline(bool fuse) {
  std::vector<std::string> names;
  for (const std::string& n : DefaultPipeline())
    if (!IsDisabled(n)) names.push_back(n);
  {
    std::lock_guard<std::mutex> lock(g_disabled_mu);
    names.insert(names.end(), ExtraPasses().begin(), ExtraPasses().end());
  }
  if (fuse)
    for (const std::string& n : LoweringPipeline())
      if (!IsDisabled(n)) names.push_back(n);
  return names;
}

}  // namespace

std::vector<std::string> PassNames() { return Pipeline(/*fuse=*/true); }
std::vector<std::string> PipelineFor(bool fuse) { return Pipeline(fuse); }

void SetExtraPassesForTesting(const std::vector<std::string>& names) {
  std::lock_guard<std::mutex> lock(g_disabled_mu);
  ExtraPasses() = names;
}

absl::Status SetDisabledPasses(const std::vector<std::string>& names) {
  std::vector<std::string> all = DefaultPipeline();
  all.insert(all.end(), LoweringPipeline().begin(), LoweringPipeline().end());
  for (const std::string& n : names)
    if (std::find(all.begin(), all.end(), n) == all.end())
      return absl::InvalidArgumentError(
          absl::StrCat("[set_disabled_passes] unknown pass '", n,
                       "' (the pipeline has: ", absl::StrJoin(all, ", "), ")"));
  std::lock_guard<std::mutex> lock(g_disabled_mu);
  Disabled() = names;
  return absl::OkStatus();
}

std::vector<std::string> DisabledPasses() {
  std::lock_guard<std::mutex> lock(g_disabled_mu);
  return Disabled();
}

absl::StatusOr<Executable> Compile(const graph::Trace& trace, const CompileOptions& options) {
  SharedContext& shared = Shared();
  std::lock_guard<std::mutex> lock(shared.mu);
  DiagnosticsCollector diag(shared.ctx);
  const std::string& diagnostics = diag.text();
  auto dump = [&](const std::string& stage, const std::string& text) {
    DumpLine(absl::StrCat("// ----- function '", options.name, "' (", options.dump_label, ") ",
                          stage, "\n", text));
  };
  const std::string prefix = absl::StrCat("[function ", options.name, "] ");

  mlir::OwningOpRef<mlir::ModuleOp> module = ir::BuildModule(shared.ctx, trace, options.name);
  if (mlir::failed(mlir::verify(*module)))
    return absl::InternalError(
        absl::StrCat(prefix, "the traced IR does not verify: ", diagnostics));
  if (DumpEnabled()) dump("traced", ir::PrintModule(*module));
  std::function<void(const std::string&, const std::string&)> after_pass;
  if (DumpEnabled())
    after_pass = [&](const std::string& pass, const std::string& text) {
      dump("after " + pass, text);
    };
  const std::vector<std::string> passes =
      options.passes.empty() && !options.exact_passes ? Pipeline(options.fuse) : options.passes;
  if (absl::Status st = RunPipeline(*module, passes, after_pass); !st.ok())
    return absl::Status(st.code(), absl::StrCat(prefix, st.message(), " ", diagnostics));

  Executable exe;
  exe.ir_text = ir::PrintModule(*module, /*elide_constants=*/true);
  ASSIGN_OR_RETURN(exe.program, ir::LowerToProgram(*module, options.device));
  return exe;
}

}  // namespace duet::compiler
