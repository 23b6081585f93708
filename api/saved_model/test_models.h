// What the saved-model tests export: an MLP (Dense), a small CNN (Conv2D, pools, Dense), the
// 10-op chain, and a helper comparing tensors bit for bit (TestDir/DirEntries: runtime/test_dir.h).
#pragma once

#include <cstring>
#include <string>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "runtime/test_dir.h"
#include "tools/bench/chain10.h"

namespace duet::saved_model {

inline Sequential MakeMlp() {
  return Sequential({layers::Dense(16, Activation::kRelu), layers::Dense(4)});
}

inline Sequential MakeCnn() {
  return Sequential({layers::Conv2D(4, {3, 3}, Activation::kRelu), layers::MaxPool2D({2, 2}),
                     layers::Conv2D(4, {3, 3}, Activation::kRelu, {1, 1}, "SAME"),
                     layers::AveragePooling2D({2, 2}), layers::Flatten(), layers::Dense(3)});
}

inline void ExpectBitEqual(const Tensor& a, const Tensor& b) {
  ASSERT_EQ(a.spec(), b.spec());
  EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.num_bytes()), 0);
}

}  // namespace duet::saved_model
