// Fashion-MNIST from Debian's dataset-fashion-mnist: the gzip'd IDX files
// {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz (or uncompressed, without .gz) in `dir`.
// Images are float32 (N, 28, 28, 1) scaled to [0, 1], labels int32 (N,) in 0..9. A missing,
// truncated or corrupt file throws duet::Error naming the file and what is wrong.
// Example:
//   auto [images, labels] = data::fashion_mnist::load_train();   // (60000, 28, 28, 1), (60000,)
//   auto [test_images, test_labels] = data::fashion_mnist::load_test("/my/copy");   // 10000
#pragma once

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "runtime/error.h"
#include "runtime/tensor.h"

namespace duet::data::fashion_mnist {

inline constexpr const char* kDefaultDir = "/usr/share/datasets/fashion-mnist";

std::pair<Tensor, Tensor> load_train(const std::string& dir = kDefaultDir,
                                     const Loc& loc = Loc::current());
std::pair<Tensor, Tensor> load_test(const std::string& dir = kDefaultDir,
                                    const Loc& loc = Loc::current());

// The internal form: `prefix` is "train" or "t10k"; errors start with "[fashion_mnist] <file>: ".
absl::StatusOr<std::pair<Tensor, Tensor>> Load(const std::string& dir, const std::string& prefix);

}  // namespace duet::data::fashion_mnist
