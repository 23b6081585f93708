// The process-wide oneDNN runtime: one CPU engine, one stream per thread, a per-thread
// scratchpad, and a count of primitives created (so tests can check that caches are reused).
// Primitives are created with a user-managed scratchpad (DnnlAttr) and run through
// DnnlExecute, which supplies this thread's scratchpad: a cached primitive can then run on
// several threads at once without sharing scratch memory.
// Example:
//   dnnl::matmul::primitive_desc pd(desc, DnnlAttr(), DnnlEngine());
//   CountDnnlPrimitive();
//   DnnlExecute(dnnl::matmul(pd), pd, {{DNNL_ARG_SRC, a}, ...});
#pragma once

#include <cstdint>
#include <unordered_map>

#include "absl/status/status.h"
#include "oneapi/dnnl/dnnl.hpp"

namespace duet::cpu {

const dnnl::engine& DnnlEngine();
dnnl::stream& DnnlStream();  // this thread's stream

// Attributes every duet primitive is created with (user scratchpad).
dnnl::primitive_attr DnnlAttr();

// Runs `p` on this thread's stream with this thread's scratchpad and waits for it.
void DnnlExecute(const dnnl::primitive& p, const dnnl::primitive_desc_base& pd,
                 std::unordered_map<int, dnnl::memory> args);

// oneDNN fixes a primitive's OpenMP team size when the primitive is created (from the calling
// thread's omp_get_max_threads()), so the same count must be in force at creation (DnnlAttr)
// and execution (DnnlExecute), and belongs in the primitive's cache key. It is 1 on every
// thread except inside a DnnlThreadsScope, which applies the thread policy
// (runtime/thread_policy.h: more than one only for very large primitives).
class DnnlThreadsScope {
 public:
  explicit DnnlThreadsScope(double flops);
  ~DnnlThreadsScope();
  DnnlThreadsScope(const DnnlThreadsScope&) = delete;
  DnnlThreadsScope& operator=(const DnnlThreadsScope&) = delete;
  int threads() const { return threads_; }

 private:
  int threads_, previous_;
};

// A 64-byte aligned buffer of at least `bytes` owned by this thread and reused across calls
// (slot 0 is the scratchpad DnnlExecute hands out; wrappers may use slots 1..3 for
// temporaries such as reordered weights). Valid until the next call with the same slot.
void* DnnlThreadBuffer(int slot, size_t bytes);

// A plain memory object over `data` (no copy).
dnnl::memory DnnlWrap(const dnnl::memory::desc& md, const void* data);

// Total oneDNN primitives duet has created (cache misses), for tests and benchmarks.
int64_t DnnlPrimitivesCreated();
void CountDnnlPrimitive();

// "[op] oneDNN failed: <what> (status N)".
absl::Status DnnlError(const char* op, const dnnl::error& e);

}  // namespace duet::cpu
