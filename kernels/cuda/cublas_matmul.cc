// Host-compiled (no nvcc): cublas_matmul.h over the cuBLAS v2 C API.
#include "kernels/cuda/cublas_matmul.h"

#include <cublas_v2.h>

#include <limits>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "kernels/cuda/cuda_context.h"

namespace duet::cuda {
namespace {

absl::Status CublasCheck(cublasStatus_t s, const char* call) {
  if (s == CUBLAS_STATUS_SUCCESS) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("cuBLAS failed: ", cublasGetStatusName(s), " in ", call));
}

bool FitsInt(int64_t v) { return v >= 0 && v <= std::numeric_limits<int>::max(); }

template <class T>
absl::Status Gemm(cublasHandle_t h, const GemmShape& g, const T* a, const T* b, T* c) {
  const cublasOperation_t op_b = g.transpose_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  const cublasOperation_t op_a = g.transpose_a ? CUBLAS_OP_T : CUBLAS_OP_N;
  const int m = static_cast<int>(g.m), n = static_cast<int>(g.n), k = static_cast<int>(g.k);
  const int ldb = g.transpose_b ? k : n, lda = g.transpose_a ? m : k, ldc = n;
  const T alpha = 1, beta = 0;
  if constexpr (std::is_same_v<T, float>) {
    if (g.batch == 1)
      return CublasCheck(cublasSgemm(h, op_b, op_a, n, m, k, &alpha, b, ldb, a, lda, &beta, c, ldc),
                         "cublasSgemm");
    return CublasCheck(
        cublasSgemmStridedBatched(h, op_b, op_a, n, m, k, &alpha, b, ldb, g.stride_b, a, lda,
                                  g.stride_a, &beta, c, ldc, g.stride_c, static_cast<int>(g.batch)),
        "cublasSgemmStridedBatched");
  } else {
    if (g.batch == 1)
      return CublasCheck(cublasDgemm(h, op_b, op_a, n, m, k, &alpha, b, ldb, a, lda, &beta, c, ldc),
                         "cublasDgemm");
    return CublasCheck(
        cublasDgemmStridedBatched(h, op_b, op_a, n, m, k, &alpha, b, ldb, g.stride_b, a, lda,
                                  g.stride_a, &beta, c, ldc, g.stride_c, static_cast<int>(g.batch)),
        "cublasDgemmStridedBatched");
  }
}

}  // namespace

absl::Status RowMajorGemm(int device, ElemType type, const GemmShape& g, const void* a,
                          const void* b, void* c) {
  if (!FitsInt(g.m) || !FitsInt(g.n) || !FitsInt(g.k) || !FitsInt(g.batch))
    return absl::UnimplementedError(absl::StrCat("cuBLAS takes int sizes; this product is ", g.m,
                                                 " x ", g.k, " x ", g.n, " in ", g.batch,
                                                 " batches"));
  if (g.m == 0 || g.n == 0 || g.batch == 0) return absl::OkStatus();
  if (g.k == 0) return absl::InternalError("RowMajorGemm needs k > 0 (zero the output instead)");
  absl::StatusOr<cublasHandle_t> h = CublasHandle(device);
  if (!h.ok()) return h.status();
  DeviceGuard guard(device);
  if (type == ElemType::kF32)
    return Gemm(*h, g, static_cast<const float*>(a), static_cast<const float*>(b),
                static_cast<float*>(c));
  if (type == ElemType::kF64)
    return Gemm(*h, g, static_cast<const double*>(a), static_cast<const double*>(b),
                static_cast<double*>(c));
  return absl::UnimplementedError("cuBLAS matmul runs float32 and float64 only");
}

}  // namespace duet::cuda
