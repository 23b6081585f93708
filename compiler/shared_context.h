// The process's one MLIR context with the duet dialect loaded, shared by compile and export
// (loading the registry's dialect is the expensive part), used under its lock; and a
// diagnostics collector that turns MLIR's messages into Status text instead of printing them.
// Example:
//   SharedContext& shared = Shared();
//   std::lock_guard<std::mutex> lock(shared.mu);
//   DiagnosticsCollector diag(shared.ctx);  ...  diag.text()
#pragma once

#include <mutex>
#include <string>

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

namespace duet::compiler {

struct SharedContext {
  SharedContext();
  std::mutex mu;
  mlir::MLIRContext ctx{mlir::MLIRContext::Threading::DISABLED};
};

SharedContext& Shared();  // never destroyed: used at exit by caches

class DiagnosticsCollector {
 public:
  explicit DiagnosticsCollector(mlir::MLIRContext& ctx);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  mlir::ScopedDiagnosticHandler handler_;
};

}  // namespace duet::compiler
