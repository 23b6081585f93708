// The direct window kernels of gpu_window.h (nvcc): pooling with clipped windows exactly as
// kernels/cpu/pool_loops.cc (same argmax tie rule, same summation order), and NHWC padding.
#include <cuda_runtime.h>

#include <cstdint>

#include "kernels/cuda/elementwise-inl.cuh"
#include "kernels/cuda/gpu_window.h"

namespace duet::cuda {
namespace {

struct Bounds {
  int64_t h_begin, h_end, w_begin, w_end;
  __device__ int64_t count() const { return (h_end - h_begin) * (w_end - w_begin); }
};

// The part of output (oh, ow)'s window inside the input.
__device__ inline Bounds WindowBounds(const PoolGeometry& g, int64_t oh, int64_t ow) {
  const int64_t h0 = oh * g.stride_h - g.pad_top, w0 = ow * g.stride_w - g.pad_left;
  return {h0 > 0 ? h0 : 0, h0 + g.k_h < g.in_h ? h0 + g.k_h : g.in_h, w0 > 0 ? w0 : 0,
          w0 + g.k_w < g.in_w ? w0 + g.k_w : g.in_w};
}

// The output rows (or columns) whose windows contain input row i: [first, last].
__device__ inline void Covering(int64_t i, int64_t pad, int64_t k, int64_t stride, int64_t out,
                                int64_t* first, int64_t* last) {
  const int64_t hi = i + pad;     // window start s = o * stride - pad <= i
  const int64_t lo = hi - k + 1;  // and i < s + k
  *first = lo <= 0 ? 0 : (lo + stride - 1) / stride;
  *last = hi / stride < out - 1 ? hi / stride : out - 1;
}

// Flat offset into x of the first maximum of (n, oh, ow)'s window in channel c; -1 if empty.
template <class T>
__device__ int64_t FirstMax(const PoolGeometry& g, const T* x, int64_t n, int64_t oh, int64_t ow,
                            int64_t c) {
  const Bounds b = WindowBounds(g, oh, ow);
  if (b.count() <= 0) return -1;
  int64_t arg = ((n * g.in_h + b.h_begin) * g.in_w + b.w_begin) * g.channels + c;
  T best = x[arg];
  for (int64_t ih = b.h_begin; ih < b.h_end; ++ih)
    for (int64_t iw = b.w_begin; iw < b.w_end; ++iw) {
      const int64_t at = ((n * g.in_h + ih) * g.in_w + iw) * g.channels + c;
      if (x[at] > best) best = x[at], arg = at;
    }
  return arg;
}

template <class T, bool kMax>
__global__ void PoolKernel(PoolGeometry g, const T* __restrict__ x, T* __restrict__ y) {
  const int64_t total = g.batch * g.out_h * g.out_w * g.channels;
  for (int64_t t = GlobalThread(); t < total; t += GridStride()) {
    const int64_t c = t % g.channels, ow = (t / g.channels) % g.out_w;
    const int64_t oh = (t / (g.channels * g.out_w)) % g.out_h;
    const int64_t n = t / (g.channels * g.out_w * g.out_h);
    const Bounds b = WindowBounds(g, oh, ow);
    T acc = kMax ? -static_cast<T>(__int_as_float(0x7f800000)) : T(0);
    for (int64_t ih = b.h_begin; ih < b.h_end; ++ih)
      for (int64_t iw = b.w_begin; iw < b.w_end; ++iw) {
        const T v = x[((n * g.in_h + ih) * g.in_w + iw) * g.channels + c];
        if (kMax)
          acc = acc < v ? v : acc;  // std::max(acc, v): a NaN input never wins
        else
          acc += v;
      }
    if (!kMax) acc /= static_cast<T>(b.count());
    y[t] = acc;
  }
}

// One thread per input element: the windows covering it, in output order.
template <class T, bool kMax>
__global__ void PoolGradKernel(PoolGeometry g, const T* __restrict__ x, const T* __restrict__ dy,
                               T* __restrict__ dx) {
  const int64_t total = g.batch * g.in_h * g.in_w * g.channels;
  for (int64_t t = GlobalThread(); t < total; t += GridStride()) {
    const int64_t c = t % g.channels, iw = (t / g.channels) % g.in_w;
    const int64_t ih = (t / (g.channels * g.in_w)) % g.in_h;
    const int64_t n = t / (g.channels * g.in_w * g.in_h);
    int64_t oh0, oh1, ow0, ow1;
    Covering(ih, g.pad_top, g.k_h, g.stride_h, g.out_h, &oh0, &oh1);
    Covering(iw, g.pad_left, g.k_w, g.stride_w, g.out_w, &ow0, &ow1);
    T acc = T(0);
    for (int64_t oh = oh0; oh <= oh1; ++oh)
      for (int64_t ow = ow0; ow <= ow1; ++ow) {
        const int64_t out = ((n * g.out_h + oh) * g.out_w + ow) * g.channels + c;
        if (kMax) {
          if (FirstMax(g, x, n, oh, ow, c) == t) acc += dy[out];
        } else {
          const Bounds b = WindowBounds(g, oh, ow);
          if (b.count() > 0) acc += dy[out] * (T(1) / static_cast<T>(b.count()));
        }
      }
    dx[t] = acc;
  }
}

template <class T>
__global__ void MaxPoolGradGradKernel(PoolGeometry g, const T* __restrict__ x,
                                      const T* __restrict__ ddx, T* __restrict__ ddy) {
  const int64_t total = g.batch * g.out_h * g.out_w * g.channels;
  for (int64_t t = GlobalThread(); t < total; t += GridStride()) {
    const int64_t c = t % g.channels, ow = (t / g.channels) % g.out_w;
    const int64_t oh = (t / (g.channels * g.out_w)) % g.out_h;
    const int64_t n = t / (g.channels * g.out_w * g.out_h);
    const int64_t arg = FirstMax(g, x, n, oh, ow, c);
    ddy[t] = arg < 0 ? T(0) : ddx[arg];
  }
}

template <class Bits>
__global__ void PadKernel(const Bits* __restrict__ x, Bits* __restrict__ y, int64_t n, int64_t h,
                          int64_t w, int64_t c, int64_t top, int64_t left, int64_t out_h,
                          int64_t out_w) {
  const int64_t total = n * out_h * out_w * c;
  for (int64_t t = GlobalThread(); t < total; t += GridStride()) {
    const int64_t ch = t % c, ow = (t / c) % out_w, oh = (t / (c * out_w)) % out_h;
    const int64_t b = t / (c * out_w * out_h);
    const int64_t ih = oh - top, iw = ow - left;
    y[t] = (ih >= 0 && ih < h && iw >= 0 && iw < w) ? x[((b * h + ih) * w + iw) * c + ch] : Bits(0);
  }
}

template <class Bits>
int Pad(const void* x, void* y, int64_t n, int64_t h, int64_t w, int64_t c, int64_t top,
        int64_t bottom, int64_t left, int64_t right, cudaStream_t stream) {
  const int64_t out_h = h + top + bottom, out_w = w + left + right;
  const int64_t total = n * out_h * out_w * c;
  if (total == 0) return 0;
  PadKernel<Bits><<<BlocksFor(total), kThreadsPerBlock, 0, stream>>>(
      static_cast<const Bits*>(x), static_cast<Bits*>(y), n, h, w, c, top, left, out_h, out_w);
  return static_cast<int>(cudaGetLastError());
}

int64_t OutElements(const PoolGeometry& g) { return g.batch * g.out_h * g.out_w * g.channels; }
int64_t InElements(const PoolGeometry& g) { return g.batch * g.in_h * g.in_w * g.channels; }

// Calls fn(T{}) for the floating element types the window kernels support.
template <class Fn>
int VisitFloat(ElemType type, Fn fn) {
  if (type == ElemType::kF32) return fn(float{});
  if (type == ElemType::kF64) return fn(double{});
  return kUnsupported;
}

}  // namespace

int LaunchPool2D(PoolKind kind, ElemType type, const PoolGeometry& g, const void* x, void* y,
                 cudaStream_t stream) {
  return VisitFloat(type, [&](auto tag) {
    using T = decltype(tag);
    const int64_t total = OutElements(g);
    if (total <= 0) return 0;
    const T* px = static_cast<const T*>(x);
    T* py = static_cast<T*>(y);
    if (kind == PoolKind::kMax)
      PoolKernel<T, true><<<BlocksFor(total), kThreadsPerBlock, 0, stream>>>(g, px, py);
    else
      PoolKernel<T, false><<<BlocksFor(total), kThreadsPerBlock, 0, stream>>>(g, px, py);
    return static_cast<int>(cudaGetLastError());
  });
}

int LaunchMaxPool2DGrad(ElemType type, const PoolGeometry& g, const void* x, const void* dy,
                        void* dx, cudaStream_t stream) {
  return VisitFloat(type, [&](auto tag) {
    using T = decltype(tag);
    const int64_t total = InElements(g);
    if (total <= 0) return 0;
    PoolGradKernel<T, true><<<BlocksFor(total), kThreadsPerBlock, 0, stream>>>(
        g, static_cast<const T*>(x), static_cast<const T*>(dy), static_cast<T*>(dx));
    return static_cast<int>(cudaGetLastError());
  });
}

int LaunchMaxPool2DGradGrad(ElemType type, const PoolGeometry& g, const void* x, const void* ddx,
                            void* ddy, cudaStream_t stream) {
  return VisitFloat(type, [&](auto tag) {
    using T = decltype(tag);
    const int64_t total = OutElements(g);
    if (total <= 0) return 0;
    MaxPoolGradGradKernel<T><<<BlocksFor(total), kThreadsPerBlock, 0, stream>>>(
        g, static_cast<const T*>(x), static_cast<const T*>(ddx), static_cast<T*>(ddy));
    return static_cast<int>(cudaGetLastError());
  });
}

int LaunchAvgPool2DGrad(ElemType type, const PoolGeometry& g, const void* dy, void* dx,
                        cudaStream_t stream) {
  return VisitFloat(type, [&](auto tag) {
    using T = decltype(tag);
    const int64_t total = InElements(g);
    if (total <= 0) return 0;
    PoolGradKernel<T, false><<<BlocksFor(total), kThreadsPerBlock, 0, stream>>>(
        g, nullptr, static_cast<const T*>(dy), static_cast<T*>(dx));
    return static_cast<int>(cudaGetLastError());
  });
}

int LaunchPadNHWC(int elem_size, const void* x, void* y, int64_t n, int64_t h, int64_t w, int64_t c,
                  int64_t top, int64_t bottom, int64_t left, int64_t right, cudaStream_t stream) {
  switch (elem_size) {
    case 1:
      return Pad<uint8_t>(x, y, n, h, w, c, top, bottom, left, right, stream);
    case 2:
      return Pad<uint16_t>(x, y, n, h, w, c, top, bottom, left, right, stream);
    case 4:
      return Pad<uint32_t>(x, y, n, h, w, c, top, bottom, left, right, stream);
    case 8:
      return Pad<uint64_t>(x, y, n, h, w, c, top, bottom, left, right, stream);
    default:
      return kUnsupported;
  }
}

}  // namespace duet::cuda
