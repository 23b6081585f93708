// NumPy .npy files: the interchange format for tensors (np.save / np.load), used by users, by
// tests against NumPy, and by the duet-run CLI. Writes format 1.0 (C order, little-endian,
// header padded to 64 bytes) atomically: a temporary file in the same directory is renamed
// over the target, so a failed save never leaves a partial file. Reads format 1.0/2.0/3.0.
// dtypes: float32 '<f4', float64 '<f8', int32 '<i4', int64 '<i8', bool '|b1', float16 '<f2'
// (bfloat16 has no NumPy dtype: cast to float32 first).
// Example:
//   save_npy(constant({{1.f, 2.f}}), "/tmp/a.npy");   // np.load("/tmp/a.npy") -> float32 (1, 2)
//   Tensor b = load_npy("/tmp/a.npy");
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/error.h"
#include "runtime/tensor.h"

namespace duet {

// Throw duet::Error ("[save_npy] ..."/"[load_npy] ...", naming the path and the caller's line).
void save_npy(const Tensor& t, const std::string& path, const Loc& loc = Loc::current());
Tensor load_npy(const std::string& path, const Loc& loc = Loc::current());

// The Status versions, for internal callers.
absl::Status WriteNpy(const Tensor& t, const std::string& path);
absl::StatusOr<Tensor> ReadNpy(const std::string& path);

}  // namespace duet
