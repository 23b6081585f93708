#include "compiler/dialect/duet/ir/ir_text.h"

#include "absl/strings/str_cat.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/Parser/Parser.h"

namespace duet::ir {

mlir::Location LocationOf(mlir::MLIRContext& ctx, const Loc& loc) {
  if (!loc.file_name() || !*loc.file_name() || loc.line() == 0) return mlir::UnknownLoc::get(&ctx);
  return mlir::FileLineColLoc::get(&ctx, loc.file_name(), loc.line(), loc.column());
}

std::string DescribeLocation(mlir::Location loc) {
  if (auto f = llvm::dyn_cast<mlir::FileLineColLoc>(loc))
    return absl::StrCat(f.getFilename().str(), ":", f.getLine());
  return "";
}

std::string PrintModule(mlir::ModuleOp module, bool elide_constants) {
  std::string text;
  llvm::raw_string_ostream os(text);
  mlir::OpPrintingFlags flags;
  flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  if (elide_constants) flags.elideLargeElementsAttrs(16);
  module->print(os, flags);
  return os.str();
}

absl::StatusOr<mlir::OwningOpRef<mlir::ModuleOp>> ParseModule(mlir::MLIRContext& ctx,
                                                              const std::string& text) {
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic& d) {
    absl::StrAppend(&diagnostics, d.str(), "\n");
    return mlir::success();
  });
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceString<mlir::ModuleOp>(text, &ctx);
  if (!module)
    return absl::InvalidArgumentError(absl::StrCat("cannot parse the IR: ", diagnostics));
  return module;
}

}  // namespace duet::ir
