// The slots, the compile queue and its thread, and the in-process kernel table (by key).
#include "compiler/codegen/generated_kernels.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "compiler/codegen/fusion_to_llvm.h"
#include "compiler/codegen/kernel_cache.h"
#include "compiler/codegen/object_jit.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "runtime/debug_dump.h"

namespace duet::codegen {
namespace {

std::atomic<bool>& Enabled() {
  static std::atomic<bool> on = [] {
    const char* env = std::getenv("DUET_FUSION_TIER");
    return !(env && std::string(env) == "0");
  }();
  return on;
}

struct Counters {
  std::atomic<int64_t> compiled{0}, disk_hits{0}, shared{0}, unsupported{0}, failed{0}, calls{0};
  std::atomic<int64_t> codegen_us{0};
};
Counters& Stats() {
  static Counters* c = new Counters;
  return *c;
}

class Slot final : public graph::GeneratedKernelSlot, public std::enable_shared_from_this<Slot> {
 public:
  explicit Slot(const graph::FusionPlan& plan) : plan_(plan) { plan_.generated = nullptr; }

  graph::GeneratedKernel Get() override;
  bool ready() const override { return kernel_.load(std::memory_order_acquire) != nullptr; }
  double compile_ms() const override { return compile_us_.load() / 1000.0; }
  const graph::FusionPlan& plan() const { return plan_; }
  void Set(graph::GeneratedKernel kernel) { kernel_.store(kernel, std::memory_order_release); }
  void set_compile_us(int64_t us) { compile_us_.store(us); }

 private:
  graph::FusionPlan plan_;
  std::atomic<graph::GeneratedKernel> kernel_{nullptr};
  std::atomic<bool> queued_{false};
  std::atomic<int64_t> compile_us_{0};
};

// One thread compiles, in order: a compile takes tens of milliseconds and the kernels need
// the cores. The thread starts on first use and sleeps when idle. At exit the queue is dropped
// and the compile in flight must finish before anything it uses (LLVM's statics among them) is
// destroyed. exit() runs the exiting thread's thread_local destructors before any static
// destructor or atexit handler (glibc's __run_exit_handlers), so a thread_local guard on the
// thread that queued work (ExitGuard) is where that wait happens; an atexit handler registered
// at first use is the fallback for a process that exits from another thread.
class Compiler {
 public:
  static Compiler& Get() {
    static Compiler* c = [] {
      Compiler* made = new Compiler;  // leaked with its detached thread
      std::atexit([] { Get().Shutdown(); });
      return made;
    }();
    return *c;
  }

  void Enqueue(std::shared_ptr<Slot> slot) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(slot));
    if (!thread_started_) {
      thread_started_ = true;
      std::thread([this] { Loop(); }).detach();
    }
    work_.notify_one();
  }

  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
  }

  void Shutdown() {
    std::unique_lock<std::mutex> lock(mu_);
    stopping_ = true;
    queue_.clear();
    work_.notify_all();
    idle_.wait(lock, [&] { return !busy_; });
  }

 private:
  void Loop() {
    for (;;) {
      std::shared_ptr<Slot> slot;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_.wait(lock, [&] { return !queue_.empty() || stopping_; });
        if (stopping_) return;
        slot = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
      }
      const auto start = std::chrono::steady_clock::now();
      Build(*slot);
      const int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
      slot->set_compile_us(us);
      Stats().codegen_us += us;
      std::lock_guard<std::mutex> lock(mu_);
      busy_ = false;
      idle_.notify_all();
    }
  }

  void Build(Slot& slot) {
    absl::StatusOr<std::string> mlir = FusionKernelMlir(slot.plan());
    if (!mlir.ok()) {
      ++Stats().unsupported;
      if (DumpEnabled())
        DumpLine(absl::StrCat("fusion kernel: stays on tier 0: ", mlir.status().message()));
      return;
    }
    const std::string key =
        absl::StrCat(*mlir, "\n// ", kLoweringVersion, "\n// target ", HostTargetKey());
    const std::string name = absl::StrFormat("%016x", StableHash(key));
    if (auto it = loaded_.find(key); it != loaded_.end()) {  // only this thread touches loaded_
      ++Stats().shared;
      slot.Set(it->second);
      return;
    }
    absl::StatusOr<void*> fn = LoadOrCompile(key, *mlir, name);
    if (!fn.ok()) {
      ++Stats().failed;
      if (DumpEnabled())
        DumpLine(
            absl::StrCat("fusion kernel ", name, ": stays on tier 0: ", fn.status().message()));
      return;
    }
    auto kernel = reinterpret_cast<graph::GeneratedKernel>(*fn);
    loaded_.emplace(key, kernel);
    slot.Set(kernel);
  }

  absl::StatusOr<void*> LoadOrCompile(const std::string& key, const std::string& mlir,
                                      const std::string& name) {
    const KernelDiskCache& cache = KernelDiskCache::Default();
    if (std::optional<std::string> object = cache.Read(key)) {
      absl::StatusOr<void*> fn = LoadObject(*object, kKernelSymbol);
      if (fn.ok()) {
        ++Stats().disk_hits;
        if (DumpEnabled())
          DumpLine(absl::StrCat("fusion kernel ", name, ": from ", cache.PathFor(key)));
        return fn;
      }  // an entry that passed its checksum but does not link: compile it again
    }
    llvm::LLVMContext llvm_context;
    absl::StatusOr<std::unique_ptr<llvm::Module>> module = LowerKernelMlir(mlir, llvm_context);
    if (!module.ok()) return module.status();
    std::string llvm_ir;
    absl::StatusOr<std::string> object =
        CompileToObject(**module, DumpEnabled() ? &llvm_ir : nullptr);
    if (!object.ok()) return object.status();
    if (DumpEnabled()) DumpLine(absl::StrCat("fusion kernel ", name, ":\n", mlir, "\n", llvm_ir));
    if (absl::Status s = cache.Write(key, *object); !s.ok() && DumpEnabled())
      DumpLine(absl::StrCat("fusion kernel ", name, ": not cached: ", s.message()));
    ++Stats().compiled;
    return LoadObject(*object, kKernelSymbol);
  }

  std::mutex mu_;
  std::condition_variable work_, idle_;
  std::deque<std::shared_ptr<Slot>> queue_;
  bool busy_ = false, stopping_ = false, thread_started_ = false;
  std::unordered_map<std::string, graph::GeneratedKernel> loaded_;
};

// The thread that ran static initialization: the one whose exit() ends the process.
const std::thread::id kLoadThread = std::this_thread::get_id();

struct ExitGuard {
  ~ExitGuard() {
    if (std::this_thread::get_id() == kLoadThread) Compiler::Get().Shutdown();
  }
};

graph::GeneratedKernel Slot::Get() {
  if (graph::GeneratedKernel k = kernel_.load(std::memory_order_acquire)) {
    Stats().calls.fetch_add(1, std::memory_order_relaxed);
    return k;
  }
  if (!queued_.exchange(true)) {
    thread_local ExitGuard guard;  // constructed on the queuing thread: see Compiler
    (void)&guard;
    Compiler::Get().Enqueue(shared_from_this());
  }
  return nullptr;
}

}  // namespace

std::shared_ptr<graph::GeneratedKernelSlot> MakeGeneratedKernelSlot(const graph::FusionPlan& plan) {
  if (!GeneratedKernelsEnabled()) return nullptr;
  return std::make_shared<Slot>(plan);
}

bool GeneratedKernelsEnabled() { return Enabled().load(); }
void SetGeneratedKernelsEnabled(bool on) { Enabled().store(on); }

void WaitForGeneratedKernels() { Compiler::Get().Wait(); }

GeneratedKernelStats GetGeneratedKernelStats() {
  Counters& c = Stats();
  GeneratedKernelStats s;
  s.compiled = c.compiled;
  s.disk_hits = c.disk_hits;
  s.shared = c.shared;
  s.unsupported = c.unsupported;
  s.failed = c.failed;
  s.calls = c.calls;
  s.codegen_ms = c.codegen_us.load() / 1000.0;
  return s;
}

}  // namespace duet::codegen
