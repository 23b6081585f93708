// Plain C++ batched matmul for the dtypes and sizes oneDNN does not take (float64, ints, and
// float32 matrices too small to amortize a primitive call). The inner loop runs i-k-j so the
// innermost accesses are contiguous rows of B and C (vectorizable); transpose_b uses dot
// products of contiguous rows instead, or packs B when A is transposed too.
// Example: MatmulLoop<double>(MakeMatmulGeometry(a.shape(), b.shape(), false, true), pa, pb, pc);
#pragma once

#include "kernels/cpu/matmul_geometry.h"

namespace duet::cpu {

// c (batch..., m, n) = a (a_batch..., m, k) x b (b_batch..., k, n) with the geometry's
// transposes; writes every element of c (zeros when k == 0).
template <class T>
void MatmulLoop(const MatmulGeometry& g, const T* a, const T* b, T* c);

}  // namespace duet::cpu
