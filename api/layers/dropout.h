// layers::Dropout: in training, zeroes each element with probability `rate` and scales the
// rest by 1 / (1 - rate); the identity otherwise.
// Masks are fresh on every call. Eagerly, a seeded layer's masks are a fixed sequence (the n-th
// call uses seed mix(seed, n)), so a program replays them exactly. Inside a traced
// duet::function the random op's seed is an attribute fixed at trace time, and a fixed seed
// would freeze the mask; so traced calls draw seed -1, which the kernel resolves at run time
// from the global sequence: fresh per call, reproducible after random::set_seed, but not keyed
// by the layer's seed. A traced call needs the input shape fully known.
// Example:
//   layers::Dropout drop(0.5, /*seed=*/1);
//   drop(x, /*training=*/true);   // about half the elements 0, the rest 2 * x
//   drop(x);                      // x
#pragma once

#include "api/layers/layer.h"

namespace duet::layers {

class Dropout : public Layer {
 public:
  explicit Dropout(double rate, int64_t seed = -1, LayerOptions options = {},
                   const Loc& loc = Loc::current());
  Tensor call(const Tensor& x, bool training) override;
  double rate() const { return rate_; }

 private:
  double rate_;
  int64_t mask_seed_;
  int64_t calls_ = 0;
};

}  // namespace duet::layers
