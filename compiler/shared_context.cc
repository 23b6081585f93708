#include "compiler/shared_context.h"

#include "absl/strings/str_cat.h"
#include "compiler/dialect/duet/ir/dialect.h"

namespace duet::compiler {

SharedContext::SharedContext() { ir::LoadDuetDialect(ctx); }

SharedContext& Shared() {
  static SharedContext* shared = new SharedContext();
  return *shared;
}

DiagnosticsCollector::DiagnosticsCollector(mlir::MLIRContext& ctx)
    : handler_(&ctx, [this](mlir::Diagnostic& d) {
        absl::StrAppend(&text_, d.str(), " ");
        return mlir::success();
      }) {}

}  // namespace duet::compiler
