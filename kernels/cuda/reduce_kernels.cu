// The reductions of gpu_reduce.h (nvcc). Two strided kernels: one thread per output (outputs
// whose reduced run is short, or strided so that neighbouring threads read neighbouring
// elements) and one block per output (long runs: the block's threads split the run and
// combine through shared memory). Reducers follow kernels/cpu/reduce_loops.cc.
#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include "kernels/cuda/elementwise-inl.cuh"
#include "kernels/cuda/gpu_reduce.h"

namespace duet::cuda {
namespace {

template <class T>
struct SumAccOf {
  using type = T;
};
template <>
struct SumAccOf<float> {
  using type = double;
};
template <>
struct SumAccOf<int32_t> {
  using type = uint64_t;  // wraps; the int32 result is the low 32 bits
};
template <>
struct SumAccOf<int64_t> {
  using type = uint64_t;
};

template <class T>
struct SumOp {
  using Acc = typename SumAccOf<T>::type;
  __device__ static Acc Init() { return Acc(0); }
  __device__ static Acc Step(Acc a, T v) { return a + static_cast<Acc>(v); }
  __device__ static Acc Combine(Acc a, Acc b) { return a + b; }
  __device__ static T Finish(Acc a, int64_t) { return static_cast<T>(a); }
};

template <class T>
struct MeanOp : SumOp<T> {
  using Acc = typename SumOp<T>::Acc;
  __device__ static T Finish(Acc a, int64_t n) {
    if constexpr (std::is_floating_point_v<T>)
      return static_cast<T>(static_cast<double>(a) / static_cast<double>(n));
    else
      return n ? static_cast<T>(static_cast<int64_t>(a) / n) : T(0);  // truncates toward zero
  }
};

template <class T>
struct ProdOp {
  using Acc = typename SumAccOf<T>::type;
  __device__ static Acc Init() { return Acc(1); }
  __device__ static Acc Step(Acc a, T v) { return a * static_cast<Acc>(v); }
  __device__ static Acc Combine(Acc a, Acc b) { return a * b; }
  __device__ static T Finish(Acc a, int64_t) { return static_cast<T>(a); }
};

template <class T>
struct Limits;
template <>
struct Limits<float> {
  __device__ static float Lowest() { return -__int_as_float(0x7f800000); }
  __device__ static float Highest() { return __int_as_float(0x7f800000); }
};
template <>
struct Limits<double> {
  __device__ static double Lowest() { return -__longlong_as_double(0x7ff0000000000000LL); }
  __device__ static double Highest() { return __longlong_as_double(0x7ff0000000000000LL); }
};
template <>
struct Limits<int32_t> {
  __device__ static int32_t Lowest() { return -2147483647 - 1; }
  __device__ static int32_t Highest() { return 2147483647; }
};
template <>
struct Limits<int64_t> {
  __device__ static int64_t Lowest() { return -9223372036854775807LL - 1; }
  __device__ static int64_t Highest() { return 9223372036854775807LL; }
};

// NaN propagates: once the accumulator is NaN nothing replaces it.
template <class T, bool kMax>
struct ExtremumOp {
  using Acc = T;
  __device__ static T Init() { return kMax ? Limits<T>::Lowest() : Limits<T>::Highest(); }
  __device__ static T Step(T a, T v) { return ((kMax ? v > a : v < a) || v != v) ? v : a; }
  __device__ static T Combine(T a, T b) { return Step(a, b); }
  __device__ static T Finish(T a, int64_t) { return a; }
};

// Offset of the kept-dims part of output o.
__device__ inline int64_t KeptOffset(const ReduceLayout& l, int64_t o) {
  int64_t off = 0;
  for (int d = l.kept_rank - 1; d >= 0; --d) {
    off += (o % l.kept_dims[d]) * l.kept_strides[d];
    o /= l.kept_dims[d];
  }
  return off;
}

// Offset of reduced index r, skipping the innermost reduced dim (which callers walk).
__device__ inline int64_t OuterReducedOffset(const ReduceLayout& l, int64_t r) {
  int64_t off = 0;
  for (int d = l.reduced_rank - 2; d >= 0; --d) {
    off += (r % l.reduced_dims[d]) * l.reduced_strides[d];
    r /= l.reduced_dims[d];
  }
  return off;
}

__device__ inline int64_t ReducedOffset(const ReduceLayout& l, int64_t r) {
  if (l.reduced_rank == 0) return 0;
  const int last = l.reduced_rank - 1;
  const int64_t inner = l.reduced_dims[last];
  return OuterReducedOffset(l, r / inner) + (r % inner) * l.reduced_strides[last];
}

template <class T, class R>
__global__ void ThreadPerOutputKernel(const T* __restrict__ x, T* __restrict__ out,
                                      ReduceLayout l) {
  const int last = l.reduced_rank - 1;
  const int64_t inner = l.reduced_rank ? l.reduced_dims[last] : 1;
  const int64_t inner_stride = l.reduced_rank ? l.reduced_strides[last] : 0;
  const int64_t runs = inner ? l.count / inner : 0;
  for (int64_t o = GlobalThread(); o < l.num_outputs; o += GridStride()) {
    const T* base = x + KeptOffset(l, o);
    typename R::Acc acc = R::Init();
    for (int64_t r = 0; r < runs; ++r) {
      const T* run = base + OuterReducedOffset(l, r);
      for (int64_t j = 0; j < inner; ++j) acc = R::Step(acc, run[j * inner_stride]);
    }
    out[o] = R::Finish(acc, l.count);
  }
}

template <class T, class R>
__global__ void BlockPerOutputKernel(const T* __restrict__ x, T* __restrict__ out, ReduceLayout l) {
  using Acc = typename R::Acc;
  __shared__ Acc partial[kThreadsPerBlock];
  for (int64_t o = blockIdx.x; o < l.num_outputs; o += gridDim.x) {
    const T* base = x + KeptOffset(l, o);
    Acc acc = R::Init();
    for (int64_t r = threadIdx.x; r < l.count; r += blockDim.x)
      acc = R::Step(acc, base[ReducedOffset(l, r)]);
    partial[threadIdx.x] = acc;
    __syncthreads();
    for (int w = kThreadsPerBlock / 2; w > 0; w /= 2) {
      if (static_cast<int>(threadIdx.x) < w)
        partial[threadIdx.x] = R::Combine(partial[threadIdx.x], partial[threadIdx.x + w]);
      __syncthreads();
    }
    if (threadIdx.x == 0) out[o] = R::Finish(partial[0], l.count);
    __syncthreads();  // partial[0] is read before the next output overwrites it
  }
}

// A block per output pays off when the run is long and either contiguous (coalesced) or the
// outputs too few to fill the device with one thread each.
bool UseBlockPerOutput(const ReduceLayout& l) {
  if (l.count < 256 || l.reduced_rank == 0) return false;
  return l.reduced_strides[l.reduced_rank - 1] == 1 || l.num_outputs < 4096;
}

template <class T, class R>
int Run(const void* x, void* out, const ReduceLayout& l, cudaStream_t stream) {
  if (l.num_outputs == 0) return 0;
  const T* px = static_cast<const T*>(x);
  T* po = static_cast<T*>(out);
  if (UseBlockPerOutput(l)) {
    const int64_t blocks = l.num_outputs < kMaxBlocks ? l.num_outputs : kMaxBlocks;
    BlockPerOutputKernel<T, R>
        <<<static_cast<unsigned>(blocks), kThreadsPerBlock, 0, stream>>>(px, po, l);
  } else {
    ThreadPerOutputKernel<T, R>
        <<<BlocksFor(l.num_outputs), kThreadsPerBlock, 0, stream>>>(px, po, l);
  }
  return static_cast<int>(cudaGetLastError());
}

template <class T>
int Typed(ReduceKind kind, const void* x, void* out, const ReduceLayout& l, cudaStream_t s) {
  switch (kind) {
    case ReduceKind::kSum:
      return Run<T, SumOp<T>>(x, out, l, s);
    case ReduceKind::kMean:
      return Run<T, MeanOp<T>>(x, out, l, s);
    case ReduceKind::kMax:
      return Run<T, ExtremumOp<T, true>>(x, out, l, s);
    case ReduceKind::kMin:
      return Run<T, ExtremumOp<T, false>>(x, out, l, s);
    case ReduceKind::kProd:
      return Run<T, ProdOp<T>>(x, out, l, s);
  }
  return kUnsupported;
}

// One thread per (o, i): a sequential walk keeps "first index" and "first NaN" exact.
template <class T, bool kMin>
__global__ void ArgReduceKernel(const T* __restrict__ x, int64_t* __restrict__ out, int64_t outer,
                                int64_t n, int64_t inner) {
  const int64_t total = outer * inner;
  for (int64_t t = GlobalThread(); t < total; t += GridStride()) {
    const int64_t o = t / inner, i = t % inner;
    const T* p = x + o * n * inner + i;
    T best = p[0];
    int64_t at = 0;
    for (int64_t k = 1; k < n && best == best; ++k) {
      const T v = p[k * inner];
      if ((kMin ? v < best : v > best) || v != v) best = v, at = k;
    }
    out[t] = at;
  }
}

template <class T>
int ArgTyped(bool arg_min, const void* x, int64_t* out, int64_t outer, int64_t n, int64_t inner,
             cudaStream_t stream) {
  const int64_t total = outer * inner;
  if (total == 0) return 0;
  const T* px = static_cast<const T*>(x);
  if (arg_min)
    ArgReduceKernel<T, true>
        <<<BlocksFor(total), kThreadsPerBlock, 0, stream>>>(px, out, outer, n, inner);
  else
    ArgReduceKernel<T, false>
        <<<BlocksFor(total), kThreadsPerBlock, 0, stream>>>(px, out, outer, n, inner);
  return static_cast<int>(cudaGetLastError());
}

}  // namespace

int LaunchReduce(ReduceKind kind, ElemType type, const void* x, void* out,
                 const ReduceLayout& layout, cudaStream_t stream) {
  switch (type) {
    case ElemType::kF32:
      return Typed<float>(kind, x, out, layout, stream);
    case ElemType::kF64:
      return Typed<double>(kind, x, out, layout, stream);
    case ElemType::kI32:
      return Typed<int32_t>(kind, x, out, layout, stream);
    case ElemType::kI64:
      return Typed<int64_t>(kind, x, out, layout, stream);
    default:
      return kUnsupported;
  }
}

int LaunchArgReduce(ElemType type, bool arg_min, const void* x, int64_t* out, int64_t outer,
                    int64_t n, int64_t inner, cudaStream_t stream) {
  if (n <= 0) return outer * inner == 0 ? 0 : kUnsupported;
  switch (type) {
    case ElemType::kF32:
      return ArgTyped<float>(arg_min, x, out, outer, n, inner, stream);
    case ElemType::kF64:
      return ArgTyped<double>(arg_min, x, out, outer, n, inner, stream);
    case ElemType::kI32:
      return ArgTyped<int32_t>(arg_min, x, out, outer, n, inner, stream);
    case ElemType::kI64:
      return ArgTyped<int64_t>(arg_min, x, out, outer, n, inner, stream);
    default:
      return kUnsupported;
  }
}

}  // namespace duet::cuda
