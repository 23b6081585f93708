#include "kernels/cpu/copy_loops.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"

namespace duet::cpu {
namespace {

using Dims = absl::InlinedVector<int64_t, 6>;

// Calls body(in_offset, out_offset) over the odometer of `dims` (row-major), where the offsets
// advance by in_strides/out_strides (in bytes) per dim.
template <class Body>
void ForEachIndex(const Dims& dims, const Dims& in_strides, const Dims& out_strides, Body body) {
  int rank = static_cast<int>(dims.size());
  int64_t total = 1;
  for (int64_t d : dims) total *= d;
  Dims idx(rank, 0);
  int64_t in_off = 0, out_off = 0;
  for (int64_t n = 0; n < total; ++n) {
    body(in_off, out_off);
    for (int d = rank - 1; d >= 0; --d) {
      in_off += in_strides[d];
      out_off += out_strides[d];
      if (++idx[d] < dims[d]) break;
      in_off -= in_strides[d] * dims[d];
      out_off -= out_strides[d] * dims[d];
      idx[d] = 0;
    }
  }
}

// A rows x cols tile walk: out[r * out_row_stride + c] = in[r + c * in_col_stride]. Both the
// strided reads and the contiguous writes of a 32 x 32 tile stay in L1.
template <class U>
void Transpose2D(const U* __restrict in, U* __restrict out, int64_t rows, int64_t cols,
                 int64_t in_col_stride, int64_t out_row_stride) {
  constexpr int64_t kBlock = 32;
  for (int64_t r0 = 0; r0 < rows; r0 += kBlock) {
    int64_t r1 = std::min(r0 + kBlock, rows);
    for (int64_t c0 = 0; c0 < cols; c0 += kBlock) {
      int64_t c1 = std::min(c0 + kBlock, cols);
      for (int64_t r = r0; r < r1; ++r) {
        const U* src = in + r;
        U* dst = out + r * out_row_stride;
        for (int64_t c = c0; c < c1; ++c) dst[c] = src[c * in_col_stride];
      }
    }
  }
}

template <class U>
void TransposeTiles(const char* in, char* out, const Dims& dims, const Dims& in_strides,
                    const Dims& out_strides, int p) {
  // Tiles span out dim p (contiguous in the input) and the last out dim (contiguous in the
  // output); every other dim is walked by the odometer.
  int last = static_cast<int>(dims.size()) - 1;
  Dims od, is, os;
  for (int d = 0; d < last; ++d)
    if (d != p) {
      od.push_back(dims[d]);
      is.push_back(in_strides[d] * static_cast<int64_t>(sizeof(U)));
      os.push_back(out_strides[d] * static_cast<int64_t>(sizeof(U)));
    }
  ForEachIndex(od, is, os, [&](int64_t in_off, int64_t out_off) {
    Transpose2D(reinterpret_cast<const U*>(in + in_off), reinterpret_cast<U*>(out + out_off),
                dims[p], dims[last], in_strides[last], out_strides[p]);
  });
}

}  // namespace

void TransposeBytes(const void* in, void* out, const Shape& in_shape,
                    absl::Span<const int64_t> perm, size_t elem) {
  const char* src = static_cast<const char*>(in);
  char* dst = static_cast<char*>(out);
  auto row_major = RowMajorStrides(in_shape);
  // Out dims with their input strides (elements), size-1 dims dropped, and runs of dims that
  // are adjacent in the input merged: (B, M, N) by (0, 2, 1) stays 3-D, (A, B, C) by (1, 2, 0)
  // becomes a 2-D transpose of (A, B*C).
  Dims dims, in_strides;
  for (int64_t p : perm) {
    int64_t d = in_shape[static_cast<int>(p)], s = row_major[static_cast<int>(p)];
    if (d == 0) return;
    if (d == 1) continue;
    if (!dims.empty() && in_strides.back() == s * d) {
      dims.back() *= d;
      in_strides.back() = s;
    } else {
      dims.push_back(d);
      in_strides.push_back(s);
    }
  }
  int k = static_cast<int>(dims.size());
  if (k == 0) {
    std::memcpy(dst, src, elem);
    return;
  }
  Dims out_strides(k);
  for (int64_t s = 1, d = k - 1; d >= 0; --d) {
    out_strides[d] = s;
    s *= dims[d];
  }
  if (in_strides[k - 1] == 1) {  // the innermost dim stays innermost: copy contiguous runs
    size_t chunk = static_cast<size_t>(dims[k - 1]) * elem;
    Dims od(dims.begin(), dims.end() - 1), is, os;
    for (int d = 0; d < k - 1; ++d) {
      is.push_back(in_strides[d] * static_cast<int64_t>(elem));
      os.push_back(out_strides[d] * static_cast<int64_t>(elem));
    }
    ForEachIndex(od, is, os, [&](int64_t i, int64_t o) { std::memcpy(dst + o, src + i, chunk); });
    return;
  }
  int p = 0;  // the out dim contiguous in the input (the input's last non-1 dim) exists
  while (in_strides[p] != 1) ++p;
  switch (elem) {
    case 1:
      TransposeTiles<uint8_t>(src, dst, dims, in_strides, out_strides, p);
      break;
    case 2:
      TransposeTiles<uint16_t>(src, dst, dims, in_strides, out_strides, p);
      break;
    case 4:
      TransposeTiles<uint32_t>(src, dst, dims, in_strides, out_strides, p);
      break;
    default:
      TransposeTiles<uint64_t>(src, dst, dims, in_strides, out_strides, p);
      break;
  }
}

void SliceBytes(const void* in, void* out, const Shape& in_shape, absl::Span<const int64_t> begin,
                absl::Span<const int64_t> size, size_t elem) {
  const char* src = static_cast<const char*>(in);
  char* dst = static_cast<char*>(out);
  int rank = in_shape.rank();
  for (int64_t s : size)
    if (s == 0) return;
  auto strides = RowMajorStrides(in_shape);
  int64_t base = 0;
  for (int d = 0; d < rank; ++d) base += begin[d] * strides[d];
  // Trailing dims taken whole are contiguous in the input: fold them into one chunk.
  int k = rank;
  int64_t chunk_elems = 1;
  while (k > 0 && begin[k - 1] == 0 && size[k - 1] == in_shape[k - 1]) chunk_elems *= in_shape[--k];
  if (k > 0) chunk_elems *= size[--k];  // dim k is partial: its run is still contiguous
  size_t chunk = static_cast<size_t>(chunk_elems) * elem;
  Dims od, is, os;
  int64_t out_stride = chunk_elems;
  for (int d = k - 1; d >= 0; --d) {
    od.insert(od.begin(), size[d]);
    is.insert(is.begin(), strides[d] * static_cast<int64_t>(elem));
    os.insert(os.begin(), out_stride * static_cast<int64_t>(elem));
    out_stride *= size[d];
  }
  src += base * static_cast<int64_t>(elem);
  ForEachIndex(od, is, os, [&](int64_t i, int64_t o) { std::memcpy(dst + o, src + i, chunk); });
}

void PadBytes(const void* in, void* out, const Shape& in_shape, const Shape& out_shape,
              absl::Span<const int64_t> before, size_t elem) {
  const char* src = static_cast<const char*>(in);
  char* dst = static_cast<char*>(out);
  int64_t out_elems = out_shape.num_elements();
  if (out_elems > 0) std::memset(dst, 0, static_cast<size_t>(out_elems) * elem);
  if (in_shape.num_elements() == 0) return;
  int rank = in_shape.rank();
  auto strides = RowMajorStrides(out_shape);
  int64_t base = 0;
  for (int d = 0; d < rank; ++d) base += before[d] * strides[d];
  // Trailing dims without padding are contiguous in the output: fold them into one chunk.
  int k = rank;
  int64_t chunk_elems = 1;
  while (k > 0 && in_shape[k - 1] == out_shape[k - 1]) chunk_elems *= in_shape[--k];
  if (k > 0) chunk_elems *= in_shape[--k];  // dim k is padded: its run is still contiguous
  size_t chunk = static_cast<size_t>(chunk_elems) * elem;
  Dims od, is, os;
  int64_t in_stride = chunk_elems;
  for (int d = k - 1; d >= 0; --d) {
    od.insert(od.begin(), in_shape[d]);
    is.insert(is.begin(), in_stride * static_cast<int64_t>(elem));
    os.insert(os.begin(), strides[d] * static_cast<int64_t>(elem));
    in_stride *= in_shape[d];
  }
  dst += base * static_cast<int64_t>(elem);
  ForEachIndex(od, is, os, [&](int64_t i, int64_t o) { std::memcpy(dst + o, src + i, chunk); });
}

void InterleaveChunks(absl::Span<const void* const> srcs, absl::Span<const size_t> chunk_bytes,
                      int64_t outer, void* out) {
  char* dst = static_cast<char*>(out);
  for (int64_t o = 0; o < outer; ++o)
    for (size_t k = 0; k < srcs.size(); ++k) {
      size_t n = chunk_bytes[k];
      if (n == 0) continue;
      std::memcpy(dst, static_cast<const char*>(srcs[k]) + static_cast<size_t>(o) * n, n);
      dst += n;
    }
}

}  // namespace duet::cpu
