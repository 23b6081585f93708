// duet-opt: mlir-opt for the duet dialect, on MLIR's own driver (MlirOptMain): every registered
// duet pass and pipeline by flag (`--duet-fold`, `--duet-optimize`, ...), MLIR's core
// transforms (`--canonicalize`, `--cse`, ...), `--split-input-file`, `--verify-diagnostics`.
//   duet-opt --duet-fold --duet-cse file.mlir
//   duet-opt --split-input-file --verify-diagnostics bad.mlir
#include "compiler/dialect/duet/ir/dialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char** argv) {
  mlir::DialectRegistry registry;
  duet::ir::RegisterDuetDialect(registry);
  mlir::registerTransformsPasses();  // duet's own passes registered themselves at start-up
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "duet-opt: the duet dialect optimizer\n", registry));
}
