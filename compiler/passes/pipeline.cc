#include "absl/strings/str_cat.h"
#include "compiler/passes/passes.h"
#include "graph/ir/dialect.h"
#include "graph/ir/trace_to_mlir.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

namespace duet::compiler {

bool IsPure(mlir::Operation* op) {
  if (const OpDef* def = ir::RegistryOp(op)) return !def->has(kStateful);
  llvm::StringRef name = op->getName().getStringRef();
  return name == "duet.constant" || name == "duet.read_variable";
}

const std::vector<std::string>& DefaultPipeline() {
  static const std::vector<std::string> names = {"fold", "cse", "dce"};
  return names;
}

absl::Status RunPipeline(mlir::ModuleOp module, const std::vector<std::string>& passes,
                         const std::function<void(const std::string&, const std::string&)>& dump) {
  for (const std::string& name : passes) {
    mlir::PassManager pm(module->getContext());
    if (name == "fold") pm.addPass(CreateFoldPass());
    else if (name == "cse") pm.addPass(CreateCsePass());
    else if (name == "dce") pm.addPass(CreateDcePass());
    else return absl::InvalidArgumentError(absl::StrCat("unknown pass '", name, "' (known: fold, cse, dce)"));
    if (mlir::failed(pm.run(module))) return absl::InternalError(absl::StrCat("pass '", name, "' failed"));
    if (mlir::failed(mlir::verify(module))) return absl::InternalError(absl::StrCat("the IR does not verify after '", name, "'"));
    if (dump) dump(name, ir::PrintModule(module));
  }
  return absl::OkStatus();
}

}  // namespace duet::compiler
