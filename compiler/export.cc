// ExportModule / CompileExported.
//   Export: refuse host_funcs (by the trace's own locations), build and optimize the module as
//   Compile does, then rewrite each variable index to its unique name and copy the values.
//   Import: parse (bytecode is detected by its magic number) and verify under the shared
//   context, check what verification does not (the module's shape, names and types of variable
//   references, terminators, constant sizes), bind names to indices and lower.
#include "compiler/export.h"

#include <cstring>
#include <map>
#include <mutex>
#include <set>

#include "absl/strings/str_cat.h"
#include "compiler/conversion/lower_to_program.h"
#include "compiler/conversion/trace_to_mlir.h"
#include "compiler/dialect/duet/ir/dialect.h"
#include "compiler/dialect/duet/ir/ir_text.h"
#include "compiler/dialect/duet/ir/structural_ops.h"
#include "compiler/dialect/duet/transforms/passes.h"
#include "compiler/shared_context.h"
#include "llvm/Support/raw_ostream.h"
#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "runtime/status_macros.h"

namespace duet::compiler {
namespace {

constexpr uint64_t kMaxConstantBytes = uint64_t{1} << 30;

// The first host_func in the trace (regions included), or null.
const graph::TraceNode* FindHostFunc(const graph::TraceRegion& region) {
  for (const graph::TraceNode& n : region.nodes) {
    if (n.kind == graph::TraceNode::Kind::kHostFunc) return &n;
    for (const auto& r : n.regions)
      if (const graph::TraceNode* found = FindHostFunc(*r)) return found;
  }
  return nullptr;
}

std::string Where(const Loc& loc) {
  if (!loc.file_name() || !*loc.file_name()) return "an unknown line";
  return absl::StrCat(loc.file_name(), ":", loc.line());
}

// Unique, deterministic names: the given name or the variable's own, then "_1", "_2", ...
std::vector<std::string> VariableNames(const graph::Trace& trace, const ExportOptions& options) {
  std::map<const VariableState*, std::string> given(options.variable_names.begin(),
                                                    options.variable_names.end());
  std::set<std::string> taken;
  std::vector<std::string> names;
  for (const auto& v : trace.variables) {
    auto it = given.find(v.get());
    std::string base = it != given.end() ? it->second : v->name;
    if (base.empty()) base = "variable";
    std::string name = base;
    for (int k = 1; taken.count(name); ++k) name = absl::StrCat(base, "_", k);
    taken.insert(name);
    names.push_back(name);
  }
  return names;
}

absl::StatusOr<Tensor> DeepCopy(const Tensor& t) {
  ASSIGN_OR_RETURN(Tensor copy, Tensor::TryEmpty(t.spec()));
  if (t.num_bytes() > 0) std::memcpy(copy.mutable_raw_data(), t.raw_data(), t.num_bytes());
  return copy;
}

absl::StatusOr<std::vector<TensorSpec>> Specs(mlir::TypeRange types) {
  std::vector<TensorSpec> specs;
  for (mlir::Type t : types) {
    ASSIGN_OR_RETURN(TensorSpec s, ir::SpecOf(t));
    specs.push_back(s);
  }
  return specs;
}

// Adds a static tensor type's size to `total`; false when the total passes kMaxConstantBytes.
bool AddBytes(mlir::Type type, uint64_t& total) {
  absl::StatusOr<TensorSpec> spec = ir::SpecOf(type);
  if (!spec.ok()) return false;
  uint64_t bytes = SizeOf(spec->dtype);
  for (int d = 0; d < spec->shape.rank(); ++d)
    if (spec->shape[d] < 0 ||
        __builtin_mul_overflow(bytes, static_cast<uint64_t>(spec->shape[d]), &bytes))
      return false;
  total += bytes;
  return bytes <= kMaxConstantBytes && total <= kMaxConstantBytes;
}

bool IsVariableOp(mlir::Operation* op) {
  return llvm::isa<ir::ReadVariableOp, ir::AssignVariableOp>(op);
}

// The type a variable op reads or writes.
mlir::Type VariableType(mlir::Operation* op) {
  if (auto read = llvm::dyn_cast<ir::ReadVariableOp>(op)) return read.getType();
  return llvm::cast<ir::AssignVariableOp>(op).getValue().getType();
}

// What verification leaves to us; on success every variable reference is bound to its index.
absl::Status CheckAndBind(mlir::ModuleOp module, const std::vector<VariableSlot>& variables,
                          mlir::func::FuncOp& func) {
  mlir::Block& body = *module.getBody();
  if (!llvm::hasSingleElement(body) || !llvm::isa<mlir::func::FuncOp>(body.front()))
    return absl::InvalidArgumentError("the module must hold exactly one func.func");
  func = llvm::cast<mlir::func::FuncOp>(body.front());
  if (func.isExternal() || !llvm::hasSingleElement(func.getBody()))
    return absl::InvalidArgumentError("the function must have one block");
  if (func.getBody().front().empty() ||
      !llvm::isa<mlir::func::ReturnOp>(func.getBody().front().back()))
    return absl::InvalidArgumentError("the function must end in func.return");
  std::map<std::string, int> index;
  for (size_t i = 0; i < variables.size(); ++i) index[variables[i].name] = static_cast<int>(i);
  mlir::MLIRContext* ctx = module.getContext();
  uint64_t constant_bytes = 0;
  absl::Status status;
  func.walk([&](mlir::Operation* op) {
    if (!status.ok()) return mlir::WalkResult::interrupt();
    std::string where = ir::DescribeLocation(op->getLoc());
    std::string at = where.empty() ? "" : absl::StrCat(" (from ", where, ")");
    if (llvm::isa<ir::HostFuncOp>(op)) {
      status = absl::InvalidArgumentError(
          absl::StrCat("the module calls a host_func", at, ", which cannot be loaded"));
    } else if (llvm::isa<ir::ConstantOp>(op)) {
      if (!AddBytes(op->getResult(0).getType(), constant_bytes))
        status = absl::InvalidArgumentError(
            absl::StrCat("the module's constants exceed ", kMaxConstantBytes, " bytes"));
    } else if (IsVariableOp(op)) {
      auto named = llvm::dyn_cast<mlir::StringAttr>(op->getAttr("var"));
      if (!named) {
        status = absl::InvalidArgumentError(
            absl::StrCat("variable references must be names, not indices", at));
        return mlir::WalkResult::interrupt();
      }
      auto it = index.find(named.getValue().str());
      if (it == index.end()) {
        status = absl::InvalidArgumentError(
            absl::StrCat("the module refers to variable '", named.getValue().str(),
                         "', which is not among its variables", at));
        return mlir::WalkResult::interrupt();
      }
      TensorSpec want = variables[it->second].spec;
      absl::StatusOr<TensorSpec> got = ir::SpecOf(VariableType(op));
      if (!got.ok() || !(*got == want)) {
        status = absl::InvalidArgumentError(absl::StrCat("the module uses variable '", it->first,
                                                         "' as ", got.ok() ? got->to_string() : "?",
                                                         " but it is ", want.to_string(), at));
        return mlir::WalkResult::interrupt();
      }
      op->setAttr("var", mlir::IntegerAttr::get(mlir::IntegerType::get(ctx, 64), it->second));
    }
    return status.ok() ? mlir::WalkResult::advance() : mlir::WalkResult::interrupt();
  });
  return status;
}

}  // namespace

absl::StatusOr<ExportedModule> ExportModule(const graph::Trace& trace,
                                            const ExportOptions& options) {
  const std::string prefix = absl::StrCat("[", options.what, "] function '", options.name, "': ");
  if (const graph::TraceNode* host = FindHostFunc(trace.body))
    return absl::FailedPreconditionError(
        absl::StrCat(prefix, "it calls a host_func at ", Where(host->loc),
                     "; a host function is C++ code of this process and cannot be exported (write "
                     "it with duet ops)"));
  std::vector<std::string> names = VariableNames(trace, options);

  SharedContext& shared = Shared();
  std::lock_guard<std::mutex> lock(shared.mu);
  DiagnosticsCollector diag(shared.ctx);
  mlir::OwningOpRef<mlir::ModuleOp> module = ir::BuildModule(shared.ctx, trace, options.name);
  if (mlir::failed(mlir::verify(*module)))
    return absl::InternalError(
        absl::StrCat(prefix, "the traced IR does not verify: ", diag.text()));
  if (absl::Status st = RunPipeline(*module, DefaultPipeline(), {}); !st.ok())
    return absl::Status(st.code(), absl::StrCat(prefix, st.message(), " ", diag.text()));

  ExportedModule out;
  std::vector<int> exported(trace.variables.size(), -1);  // trace index -> position in out
  mlir::Builder b(&shared.ctx);
  module->walk([&](mlir::Operation* op) {
    if (!IsVariableOp(op)) return;
    auto index = static_cast<size_t>(llvm::cast<mlir::IntegerAttr>(op->getAttr("var")).getInt());
    op->setAttr("var", b.getStringAttr(names[index]));
  });
  // Capture order, not first use, so the order does not depend on the passes.
  std::set<std::string> used;
  module->walk([&](mlir::Operation* op) {
    if (IsVariableOp(op))
      used.insert(llvm::cast<mlir::StringAttr>(op->getAttr("var")).getValue().str());
  });
  for (size_t i = 0; i < trace.variables.size(); ++i) {
    if (!used.count(names[i])) continue;
    const VariableState& v = *trace.variables[i];
    ASSIGN_OR_RETURN(Tensor value, DeepCopy(v.Read()));
    out.variables.push_back({names[i], std::move(value), v.trainable});
  }
  auto func = llvm::cast<mlir::func::FuncOp>(module->getBody()->front());
  ASSIGN_OR_RETURN(out.inputs, Specs(func.getArgumentTypes()));
  ASSIGN_OR_RETURN(out.outputs, Specs(func.getResultTypes()));
  out.text = ir::PrintModule(*module);
  llvm::raw_string_ostream os(out.bytecode);
  if (mlir::failed(mlir::writeBytecodeToFile(module->getOperation(), os)))
    return absl::InternalError(absl::StrCat(prefix, "cannot write MLIR bytecode: ", diag.text()));
  os.flush();
  return out;
}

absl::StatusOr<ImportedModule> CompileExported(std::string_view bytes,
                                               const std::vector<VariableSlot>& variables,
                                               const std::string& what) {
  const std::string prefix = absl::StrCat("[", what, "] ");
  SharedContext& shared = Shared();
  std::lock_guard<std::mutex> lock(shared.mu);
  DiagnosticsCollector diag(shared.ctx);
  mlir::ParserConfig config(&shared.ctx, /*verifyAfterParse=*/true);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceString<mlir::ModuleOp>(
      llvm::StringRef(bytes.data(), bytes.size()), config, "module");
  if (!module)
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, "the IR does not parse or verify: ", diag.text()));
  mlir::func::FuncOp func;
  if (absl::Status st = CheckAndBind(*module, variables, func); !st.ok())
    return absl::InvalidArgumentError(absl::StrCat(prefix, st.message()));
  ImportedModule out;
  absl::StatusOr<std::vector<TensorSpec>> inputs = Specs(func.getArgumentTypes());
  absl::StatusOr<std::vector<TensorSpec>> outputs = Specs(func.getResultTypes());
  if (!inputs.ok() || !outputs.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, "the function's arguments and results must be duet tensors"));
  out.inputs = *std::move(inputs);
  out.outputs = *std::move(outputs);
  // The exported graph is optimized but unfused (portable); fusing is this executor's choice.
  if (absl::Status st = RunPipeline(*module, LoweringPipeline()); !st.ok())
    return absl::Status(st.code(), absl::StrCat(prefix, st.message(), " ", diag.text()));
  absl::StatusOr<std::shared_ptr<graph::Program>> program = ir::LowerToProgram(*module);
  if (!program.ok())
    return absl::Status(program.status().code(), absl::StrCat(prefix, program.status().message()));
  out.executable.program = *std::move(program);
  out.executable.ir_text = ir::PrintModule(*module, /*elide_constants=*/true);
  return out;
}

}  // namespace duet::compiler
