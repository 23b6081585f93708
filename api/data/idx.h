// IDX, the MNIST file format: bytes 0-1 zero, byte 2 the element type (0x08 uint8, 0x09 int8,
// 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), byte 3 the rank, then one big-endian
// uint32 per dimension and the elements, big-endian, row-major. ParseIdx treats the bytes as
// untrusted (it is a fuzz target): every header field is checked against the byte count before
// anything is allocated, so the output is never larger than the input allows.
// Example:
//   absl::StatusOr<Tensor> images = ParseIdx(bytes, {.dtype = DType::kFloat32, .scale = 1 / 255.0,
//                                                    .expected_dims = {-1, 28, 28}});
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/tensor.h"

namespace duet::data {

struct IdxOptions {
  // The tensor's dtype: kInt32 (integer element types only), kFloat32 or kFloat64.
  DType dtype = DType::kInt32;
  double scale = 1.0;                  // float outputs: each value times this
  std::vector<int64_t> expected_dims;  // when not empty: the dims the file must have (-1: any)
};

// The tensor an IDX file holds (shape = its dims), or InvalidArgument saying what is wrong
// (bad magic, unknown type, wrong dims, header or data size mismatch).
absl::StatusOr<Tensor> ParseIdx(std::string_view bytes, const IdxOptions& options = {});

}  // namespace duet::data
