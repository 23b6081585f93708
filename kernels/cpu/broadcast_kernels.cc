// CPU kernels of the broadcast ops (kernels/broadcast_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "kernels/cpu/elementwise_loops.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

// The output's dims with the input's element strides (0 on broadcast dims), adjacent dims
// merged where the input walks them as one (both broadcast, or contiguous across the pair).
struct BroadcastLayout {
  absl::InlinedVector<int64_t, 6> dims, strides;
};
BroadcastLayout CollapseBroadcast(const Shape& in, const Shape& out) {
  const absl::InlinedVector<int64_t, 6> st = cpu::BroadcastStrides(in, out);
  BroadcastLayout l;
  for (int d = 0; d < out.rank(); ++d) {
    if (out[d] == 1) continue;  // size-1 dims move nothing
    if (!l.dims.empty() &&
        ((l.strides.back() == 0 && st[d] == 0) || l.strides.back() == st[d] * out[d])) {
      l.dims.back() *= out[d];
      l.strides.back() = st[d];
      continue;
    }
    l.dims.push_back(out[d]);
    l.strides.push_back(st[d]);
  }
  return l;
}

// Writes dims [d, rank) of the broadcast at po. A broadcast dim writes its block once and then
// doubles it with memcpy, so a [N, 1, 1, C] -> [N, H, W, C] gradient is ~log2(H*W) copies per
// n instead of H*W short rows.
template <class T>
void BroadcastDims(const BroadcastLayout& l, const int64_t* block, int d, const T* px, T* po) {
  const int64_t n = l.dims[d], s = l.strides[d];
  if (d + 1 == static_cast<int>(l.dims.size())) {
    if (s == 0)
      std::fill(po, po + n, px[0]);
    else
      for (int64_t i = 0; i < n; ++i) po[i] = px[i * s];
    return;
  }
  const int64_t b = block[d + 1];
  if (s != 0) {
    for (int64_t i = 0; i < n; ++i) BroadcastDims(l, block, d + 1, px + i * s, po + i * b);
    return;
  }
  BroadcastDims(l, block, d + 1, px, po);
  for (int64_t done = 1; done < n;) {
    const int64_t k = std::min(done, n - done);
    std::memcpy(po + done * b, po, static_cast<size_t>(k * b) * sizeof(T));
    done += k;
  }
}

template <class T>
void Broadcast(const Tensor& x, Tensor& out) {
  if (out.num_elements() == 0) return;
  const BroadcastLayout l = CollapseBroadcast(x.shape(), out.shape());
  if (l.dims.empty()) {  // every dim is 1: a single element
    out.mutable_data<T>()[0] = x.data<T>()[0];
    return;
  }
  absl::InlinedVector<int64_t, 7> block(l.dims.size() + 1, 1);  // elements per index of dim d
  for (int d = static_cast<int>(l.dims.size()) - 1; d >= 0; --d)
    block[d] = block[d + 1] * l.dims[d];
  BroadcastDims(l, block.data(), 0, x.data<T>(), out.mutable_data<T>());
}

absl::Status BroadcastKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  Tensor& out = ctx.outputs[0];
  switch (SizeOf(x.dtype())) {  // moves bits: one loop per element width
    case 1:
      Broadcast<uint8_t>(x, out);
      break;
    case 2:
      Broadcast<uint16_t>(x, out);
      break;
    case 4:
      Broadcast<uint32_t>(x, out);
      break;
    default:
      Broadcast<uint64_t>(x, out);
      break;
  }
  return absl::OkStatus();
}

}  // namespace

DUET_REGISTER_KERNEL("broadcast_to", DeviceType::kCPU, kAnyDType, BroadcastKernel);

}  // namespace duet
