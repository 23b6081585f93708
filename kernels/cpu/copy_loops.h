// Dtype-agnostic CPU copy loops for the shape ops: they move elements by byte size, so one
// loop serves float32, bool, bfloat16, ... alike. Callers validate shapes and indices first.
// Example: TransposeBytes(x.raw_data(), out.mutable_raw_data(), x.shape(), {1, 0}, 4);
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "absl/types/span.h"
#include "runtime/shape.h"

namespace duet::cpu {

// out = x transposed by `perm` (out dim j is in dim perm[j]). Dims that stay adjacent are
// merged first; the remaining problem runs as cache-blocked 2-D tiles (or plain chunk copies
// when the innermost dim does not move).
void TransposeBytes(const void* in, void* out, const Shape& in_shape,
                    absl::Span<const int64_t> perm, size_t elem);

// out = x[begin : begin + size] per dim (sizes already resolved, in range).
void SliceBytes(const void* in, void* out, const Shape& in_shape, absl::Span<const int64_t> begin,
                absl::Span<const int64_t> size, size_t elem);

// The inverse of SliceBytes: out (out_shape) is zero bytes except for x copied in at offset
// `before` per dim (pad with constant zero; all-zero bytes are 0 in every dtype).
void PadBytes(const void* in, void* out, const Shape& in_shape, const Shape& out_shape,
              absl::Span<const int64_t> before, size_t elem);

// For o in [0, outer): for each source k, append chunk_bytes[k] bytes read from
// srcs[k] + o * chunk_bytes[k]. This is concat (and stack) along any axis.
void InterleaveChunks(absl::Span<const void* const> srcs, absl::Span<const size_t> chunk_bytes,
                      int64_t outer, void* out);

// out[o, i, :] = params[o, idx[i], :] with `chunk` bytes per row; idx must be in [0, dim).
template <class I>
void GatherChunks(const void* params, const I* idx, int64_t n_idx, int64_t outer, int64_t dim,
                  size_t chunk, void* out) {
  const char* p = static_cast<const char*>(params);
  char* o = static_cast<char*>(out);
  for (int64_t b = 0; b < outer; ++b) {
    const char* base = p + static_cast<size_t>(b * dim) * chunk;
    for (int64_t i = 0; i < n_idx; ++i, o += chunk)
      std::memcpy(o, base + static_cast<size_t>(idx[i]) * chunk, chunk);
  }
}

}  // namespace duet::cpu
