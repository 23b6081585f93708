#include "kernels/cpu/dnnl_context.h"

#include <omp.h>

#include <atomic>
#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/thread_policy.h"

namespace duet::cpu {
namespace {

std::atomic<int64_t> primitives_created{0};
thread_local int tls_dnnl_threads = 1;

// OpenMP's team size is per calling thread (a cheap store; others, such as LibTorch in the same
// process, may have changed it since the last call).
void ApplyDnnlThreads() { omp_set_num_threads(tls_dnnl_threads); }

// Grows on demand and is kept for the thread's life: steady-state execution allocates nothing.
struct GrowingBuffer {
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  std::unique_ptr<void, Free> data;
  size_t size = 0;
  void* Get(size_t bytes) {
    if (bytes > size) {
      size_t rounded = (bytes + 63) / 64 * 64;
      data.reset(std::aligned_alloc(64, rounded));
      size = rounded;
    }
    return data.get();
  }
};

}  // namespace

void* DnnlThreadBuffer(int slot, size_t bytes) {
  thread_local GrowingBuffer buffers[4];
  return buffers[slot].Get(bytes);
}

const dnnl::engine& DnnlEngine() {
  static const dnnl::engine* engine = new dnnl::engine(dnnl::engine::kind::cpu, 0);
  return *engine;
}

dnnl::stream& DnnlStream() {
  thread_local dnnl::stream stream(DnnlEngine());
  return stream;
}

DnnlThreadsScope::DnnlThreadsScope(double flops)
    : threads_(DnnlThreads(flops)), previous_(tls_dnnl_threads) {
  tls_dnnl_threads = threads_;
}
DnnlThreadsScope::~DnnlThreadsScope() { tls_dnnl_threads = previous_; }

dnnl::primitive_attr DnnlAttr() {
  ApplyDnnlThreads();  // every primitive is created right after this
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

void DnnlExecute(const dnnl::primitive& p, const dnnl::primitive_desc_base& pd,
                 std::unordered_map<int, dnnl::memory> args) {
  ApplyDnnlThreads();
  dnnl::memory::desc scratch_md = pd.scratchpad_desc();
  if (size_t bytes = scratch_md.get_size(); bytes > 0)
    args.emplace(DNNL_ARG_SCRATCHPAD,
                 dnnl::memory(scratch_md, DnnlEngine(), DnnlThreadBuffer(0, bytes)));
  dnnl::stream& stream = DnnlStream();
  p.execute(stream, args);
  stream.wait();
}

dnnl::memory DnnlWrap(const dnnl::memory::desc& md, const void* data) {
  // oneDNN takes a non-const handle; inputs are only read.
  return dnnl::memory(md, DnnlEngine(), const_cast<void*>(data));
}

int64_t DnnlPrimitivesCreated() { return primitives_created.load(std::memory_order_relaxed); }
void CountDnnlPrimitive() { primitives_created.fetch_add(1, std::memory_order_relaxed); }

absl::Status DnnlError(const char* op, const dnnl::error& e) {
  return absl::InternalError(absl::StrCat("[", op, "] oneDNN failed: ", e.what(), " (status ",
                                          static_cast<int>(e.status), ")"));
}

}  // namespace duet::cpu
