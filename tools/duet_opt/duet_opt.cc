// duet-opt: IR in, named passes, IR out (like mlir-opt, for the duet dialect).
//   duet-opt [--passes=fold,cse,dce] [--debug-info] [file | -]
// Without --passes the IR is only parsed, verified and printed (a round trip).
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_split.h"
#include "compiler/passes/passes.h"
#include "graph/ir/dialect.h"
#include "graph/ir/trace_to_mlir.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

int main(int argc, char** argv) {
  std::vector<std::string> passes;
  std::string path = "-";
  bool debug_info = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--passes=", 0) == 0) {
      for (auto p : absl::StrSplit(arg.substr(9), ',', absl::SkipEmpty())) passes.emplace_back(p);
    } else if (arg == "--debug-info") {
      debug_info = true;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << "usage: duet-opt [--passes=fold,cse,dce] [--debug-info] [file | -]\n";
      return 0;
    } else {
      path = arg;
    }
  }
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path);
    if (!in) {
      std::cerr << "duet-opt: cannot open " << path << "\n";
      return 1;
    }
    text << in.rdbuf();
  }
  mlir::MLIRContext ctx;
  duet::ir::LoadDuetDialect(ctx);
  auto module = duet::ir::ParseModule(ctx, text.str());
  if (!module.ok()) {
    std::cerr << "duet-opt: " << module.status().message() << "\n";
    return 1;
  }
  if (mlir::failed(mlir::verify(**module))) return 1;  // diagnostics already printed
  if (absl::Status s = duet::compiler::RunPipeline(**module, passes); !s.ok()) {
    std::cerr << "duet-opt: " << s.message() << "\n";
    return 1;
  }
  mlir::OpPrintingFlags flags;
  flags.printGenericOpForm();
  if (debug_info) flags.enableDebugInfo(true, false);
  (*module)->print(llvm::outs(), flags);
  llvm::outs() << "\n";
  return 0;
}
