// The default pipeline and running passes by name: names resolve through MLIR's pass registry,
// so a new pass adds its own file and registration, and (if it belongs in the default
// pipeline) one entry below.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/ir_text.h"
#include "compiler/dialect/duet/transforms/passes.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

namespace duet::compiler {
namespace {

const bool kPipelineRegistered = [] {
  mlir::PassPipelineRegistration<>(
      "duet-optimize", "the default duet pipeline: fold, cse, dce", [](mlir::OpPassManager& pm) {
        for (const std::string& name : DefaultPipeline()) {
          const mlir::PassInfo* info = mlir::PassInfo::lookup("duet-" + name);
          (void)info->addToPipeline(pm, "", [](const llvm::Twine&) { return mlir::failure(); });
        }
      });
  return true;
}();

std::string RegisteredDuetPasses() {
  std::vector<std::string> names = DefaultPipeline();
  for (const std::string& n : LoweringPipeline()) names.push_back(n);
  return absl::StrJoin(names, ", ");
}

}  // namespace

const std::vector<std::string>& DefaultPipeline() {
  static const std::vector<std::string> names = {"fold", "cse", "dce"};
  return names;
}

const std::vector<std::string>& LoweringPipeline() {
  static const std::vector<std::string> names = {"fuse-epilogue", "fuse-elementwise"};
  return names;
}

absl::Status RunPipeline(mlir::ModuleOp module, const std::vector<std::string>& passes,
                         const std::function<void(const std::string&, const std::string&)>& dump) {
  for (const std::string& name : passes) {
    const mlir::PassInfo* info = mlir::PassInfo::lookup("duet-" + name);
    if (!info)
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown pass '", name, "' (the default pipeline has: ", RegisteredDuetPasses(), ")"));
    mlir::PassManager pm(module->getContext());
    std::string error;
    if (mlir::failed(info->addToPipeline(pm, "", [&](const llvm::Twine& msg) {
          error = msg.str();
          return mlir::failure();
        })))
      return absl::InternalError(absl::StrCat("pass '", name, "': ", error));
    if (mlir::failed(pm.run(module)))
      return absl::InternalError(absl::StrCat("pass '", name, "' failed"));
    if (mlir::failed(mlir::verify(module)))
      return absl::InternalError(absl::StrCat("the IR does not verify after '", name, "'"));
    if (dump) dump(name, ir::PrintModule(module));
  }
  return absl::OkStatus();
}

}  // namespace duet::compiler
