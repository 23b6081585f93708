// Random tensors: duet::random::normal and duet::random::uniform (float32 or float64).
// Values are a pure function of the seed and the element's index (Philox4x32-10), so an
// explicit seed gives the same tensor on every call, run and machine. With seed = -1 each
// call draws a fresh seed from the global seed (set_seed; a fixed default otherwise) and a
// per-process call counter: successive calls differ, and a program that starts with
// set_seed(42) replays the same sequence. uniform draws from [lo, hi).
// Example:
//   Tensor a = random::normal({1000}, 0.f, 1.f, /*seed=*/7);   // same values every time
//   random::set_seed(42);
//   Tensor b = random::uniform({2, 3});                         // reproducible after set_seed
#pragma once

#include <cstdint>

#include "runtime/tensor.h"

namespace duet::random {

Tensor normal(const Shape& shape, float mean = 0.f, float stddev = 1.f, int64_t seed = -1,
              DType dtype = DType::kFloat32, const Loc& loc = Loc::current());
Tensor uniform(const Shape& shape, float lo = 0.f, float hi = 1.f, int64_t seed = -1,
               DType dtype = DType::kFloat32, const Loc& loc = Loc::current());
// Sets the global seed and restarts the call counter that seeds calls made with seed = -1.
void set_seed(int64_t seed);

}  // namespace duet::random
