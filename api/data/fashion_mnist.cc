// Fashion-MNIST: read both files of a split (gzip'd or not), parse them as IDX with the exact
// dims expected, and check that the counts agree and every label is a class 0..9.
#include "api/data/fashion_mnist.h"

#include "absl/strings/str_cat.h"
#include "api/data/gzip_file.h"
#include "api/data/idx.h"

namespace duet::data::fashion_mnist {
namespace {

constexpr size_t kMaxFileBytes = size_t{1} << 30;  // 60000 images are 47 MB
constexpr int kClasses = 10;

absl::Status InFile(const std::string& path, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat("[fashion_mnist] ", path, ": ", s.message()));
}

// `dir/name.gz`, or `dir/name` when only the uncompressed file exists.
absl::StatusOr<Tensor> ReadIdx(const std::string& dir, const std::string& name,
                               const IdxOptions& options) {
  std::string path = absl::StrCat(dir, "/", name, ".gz");
  absl::StatusOr<std::string> bytes = ReadMaybeGzipFile(path, kMaxFileBytes);
  if (absl::IsNotFound(bytes.status())) {
    absl::StatusOr<std::string> plain =
        ReadMaybeGzipFile(absl::StrCat(dir, "/", name), kMaxFileBytes);
    if (!absl::IsNotFound(plain.status())) {
      path = absl::StrCat(dir, "/", name);
      bytes = std::move(plain);
    }
  }
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(
        absl::StrCat("[fashion_mnist] ", bytes.status().message(),
                     " (install Debian's dataset-fashion-mnist, or pass the directory "
                     "holding the IDX files)"));
  }
  if (!bytes.ok()) {
    return absl::Status(bytes.status().code(),
                        absl::StrCat("[fashion_mnist] ", bytes.status().message()));
  }
  absl::StatusOr<Tensor> t = ParseIdx(*bytes, options);
  if (!t.ok()) return InFile(path, t.status());
  return t;
}

}  // namespace

absl::StatusOr<std::pair<Tensor, Tensor>> Load(const std::string& dir, const std::string& prefix) {
  const std::string images_name = prefix + "-images-idx3-ubyte",
                    labels_name = prefix + "-labels-idx1-ubyte";
  absl::StatusOr<Tensor> images =
      ReadIdx(dir, images_name,
              {.dtype = DType::kFloat32, .scale = 1.0 / 255.0, .expected_dims = {-1, 28, 28}});
  if (!images.ok()) return images.status();
  absl::StatusOr<Tensor> labels =
      ReadIdx(dir, labels_name, {.dtype = DType::kInt32, .expected_dims = {-1}});
  if (!labels.ok()) return labels.status();
  const int64_t n = images->shape()[0];
  if (labels->shape()[0] != n) {
    return absl::InvalidArgumentError(absl::StrCat("[fashion_mnist] ", dir, "/", labels_name,
                                                   " has ", labels->shape()[0], " labels but ",
                                                   images_name, " has ", n, " images"));
  }
  const int32_t* l = labels->data<int32_t>();
  for (int64_t i = 0; i < n; ++i) {
    if (l[i] < 0 || l[i] >= kClasses) {
      return absl::InvalidArgumentError(absl::StrCat("[fashion_mnist] ", dir, "/", labels_name,
                                                     ": label ", l[i], " at index ", i,
                                                     " is not a class 0..", kClasses - 1));
    }
  }
  // A 4th unit dimension (NHWC, one channel) over the same buffer.
  return std::make_pair(Tensor::View(*images, Shape{n, 28, 28, 1}), *labels);
}

std::pair<Tensor, Tensor> load_train(const std::string& dir, const Loc& loc) {
  return ValueOrThrow(Load(dir, "train"), loc);
}
std::pair<Tensor, Tensor> load_test(const std::string& dir, const Loc& loc) {
  return ValueOrThrow(Load(dir, "t10k"), loc);
}

}  // namespace duet::data::fashion_mnist
