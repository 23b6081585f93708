// Minor page faults per benchmark iteration (getrusage), the cost of an allocator that returns
// pages to the OS between training steps.
// Example:
//   FaultCounter faults;  // after warm-up
//   for (auto _ : state) Step();
//   faults.Report(state);  // counter "faults/step"
#pragma once

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdint>

inline int64_t MinorFaults() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

class FaultCounter {
 public:
  FaultCounter() : start_(MinorFaults()) {}
  void Report(benchmark::State& state) const {
    state.counters["faults/step"] = benchmark::Counter(static_cast<double>(MinorFaults() - start_),
                                                       benchmark::Counter::kAvgIterations);
  }

 private:
  int64_t start_;
};
