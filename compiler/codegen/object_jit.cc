// CompileToObject and LoadObject over LLVM's ORC LLJIT: one JIT per process, leaked on purpose
// (destroying it at exit would race kernels still referenced by static graphs).
#include "compiler/codegen/object_jit.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "absl/strings/str_cat.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "mlir/ExecutionEngine/OptUtils.h"

namespace duet::codegen {
namespace {

std::string ErrorText(llvm::Error error) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << error;
  return text;
}

void InitializeTargetOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

bool HostHasAvx512() {
  static const bool has = [] {
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    auto it = features.find("avx512f");
    return it != features.end() && it->second;
  }();
  return has;
}

struct Jit {
  std::mutex mu;
  std::unique_ptr<llvm::orc::LLJIT> lljit;
  int next_dylib = 0;
};

absl::StatusOr<Jit*> GetJit() {
  static absl::StatusOr<Jit*> jit = []() -> absl::StatusOr<Jit*> {
    InitializeTargetOnce();
    llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> lljit = llvm::orc::LLJITBuilder().create();
    if (!lljit) return absl::InternalError("creating the JIT: " + ErrorText(lljit.takeError()));
    Jit* j = new Jit;  // leaked: see the file comment
    j->lljit = std::move(*lljit);
    return j;
  }();
  return jit;
}

}  // namespace

const std::string& HostTargetKey() {
  static const std::string& key = *new std::string([] {
    std::string features;
    llvm::StringMap<bool> map = llvm::sys::getHostCPUFeatures();
    std::vector<std::string> on;
    for (const auto& f : map)
      if (f.second) on.push_back(f.first().str());
    std::sort(on.begin(), on.end());
    for (const std::string& f : on) absl::StrAppend(&features, f, ",");
    return absl::StrCat(llvm::sys::getHostCPUName().str(), ":", features,
                        ";llvm " LLVM_VERSION_STRING);
  }());  // leaked: the compile thread may still read it during exit
  return key;
}

uint64_t StableHash(std::string_view bytes) {
  return llvm::xxh3_64bits(llvm::StringRef(bytes.data(), bytes.size()));
}

absl::StatusOr<std::string> CompileToObject(llvm::Module& module, std::string* llvm_ir) {
  InitializeTargetOnce();
  llvm::Expected<llvm::orc::JITTargetMachineBuilder> builder =
      llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return absl::InternalError("detecting the host CPU: " + ErrorText(builder.takeError()));
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine = builder->createTargetMachine();
  if (!machine)
    return absl::InternalError("creating the target machine: " + ErrorText(machine.takeError()));
  llvm::TargetMachine& tm = **machine;
  module.setDataLayout(tm.createDataLayout());
  module.setTargetTriple(tm.getTargetTriple());
  for (llvm::Function& f : module) {
    if (f.isDeclaration()) continue;
    f.addFnAttr("target-cpu", tm.getTargetCPU());
    f.addFnAttr("target-features", tm.getTargetFeatureString());
    if (HostHasAvx512()) {  // the kernels' f32 vectors split into zmm registers
      f.addFnAttr("prefer-vector-width", "512");
      f.addFnAttr("min-legal-vector-width", "512");
    }
  }
  auto optimize = mlir::makeOptimizingTransformer(/*optLevel=*/2, /*sizeLevel=*/0, &tm);
  if (llvm::Error e = optimize(&module))
    return absl::InternalError("optimizing: " + ErrorText(std::move(e)));
  if (llvm_ir) {
    llvm::raw_string_ostream os(*llvm_ir);
    module.print(os, nullptr);
  }
  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream os(object);
  llvm::legacy::PassManager emit;
  if (tm.addPassesToEmitFile(emit, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    return absl::InternalError("the target cannot emit object files");
  emit.run(module);
  return std::string(object.begin(), object.end());
}

absl::StatusOr<void*> LoadObject(std::string_view object, std::string_view symbol) {
  absl::StatusOr<Jit*> jit = GetJit();
  if (!jit.ok()) return jit.status();
  Jit& j = **jit;
  std::lock_guard<std::mutex> lock(j.mu);
  llvm::orc::ExecutionSession& session = j.lljit->getExecutionSession();
  llvm::Expected<llvm::orc::JITDylib&> dylib =
      session.createJITDylib(absl::StrCat("duet_kernel_", j.next_dylib++));
  if (!dylib) return absl::InternalError("creating a JITDylib: " + ErrorText(dylib.takeError()));
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      j.lljit->getDataLayout().getGlobalPrefix());
  if (!process) return absl::InternalError("process symbols: " + ErrorText(process.takeError()));
  dylib->addGenerator(std::move(*process));
  std::unique_ptr<llvm::MemoryBuffer> buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(object.data(), object.size()), "duet_kernel");
  if (llvm::Error e = j.lljit->addObjectFile(*dylib, std::move(buffer)))
    return absl::InternalError("adding the kernel object: " + ErrorText(std::move(e)));
  llvm::Expected<llvm::orc::ExecutorAddr> address =
      j.lljit->lookup(*dylib, llvm::StringRef(symbol.data(), symbol.size()));
  if (!address)
    return absl::InternalError("linking the kernel object: " + ErrorText(address.takeError()));
  return address->toPtr<void*>();
}

}  // namespace duet::codegen
