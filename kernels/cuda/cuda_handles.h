// Forward declarations of the CUDA runtime, cuBLAS and cuDNN handle types, spelled exactly as
// their own headers declare them (a repeated typedef of the same type is legal C++), so plain
// C++ headers can name streams and handles without including any CUDA header.
// Example: cudaStream_t CurrentStream(int device);  // in a header the host compiler reads
#pragma once

struct CUstream_st;
typedef struct CUstream_st* cudaStream_t;
struct cublasContext;
typedef struct cublasContext* cublasHandle_t;
struct cudnnContext;
typedef struct cudnnContext* cudnnHandle_t;
