// RunFusion: the tile interpreter.
//   1. Each thread-pool chunk owns one tile-sized scratch buffer per region value (the last,
//      shorter tile gets its own) and reuses it for every tile it claims.
//   2. Per tile: full inputs are copied into their scratch (one-element inputs are passed as
//      rank-0 views and broadcast by the kernels; row, column and other broadcasts are
//      expanded into theirs, ExpandSlice), the ops run in order on the scratch, and
//      the results are copied to their slice of the outputs. Main memory sees each input read
//      once and each result written once.
#include "graph/fusion.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"
#include "runtime/thread_pool.h"

namespace duet::graph {
namespace {

// ExpandSlice for one element size: runs along the innermost dim are a copy (the input spans
// it) or a fill (the input broadcasts along it); an odometer steps over the outer dims.
template <class E>
void ExpandTyped(const E* src, const Shape& in_shape, const Shape& out, int64_t offset, int64_t len,
                 E* dst) {
  const int r = out.rank(), ir = in_shape.rank();
  absl::InlinedVector<int64_t, 6> stride(r, 0), idx(r, 0);  // the input's stride per out dim
  for (int64_t d = r - 1, s = 1; d >= 0; --d) {
    const int64_t n = d - (r - ir) >= 0 ? in_shape[d - (r - ir)] : 1;
    stride[d] = n == 1 ? 0 : s;
    s *= n;
  }
  int64_t src_off = 0;
  for (int64_t d = r - 1, rem = offset; d >= 0; --d) {
    idx[d] = rem % out[d];
    rem /= out[d];
    src_off += idx[d] * stride[d];
  }
  const int64_t inner = out[r - 1], inner_stride = stride[r - 1];  // 1 or 0
  for (int64_t done = 0; done < len;) {
    const int64_t run = std::min(inner - idx[r - 1], len - done);
    if (inner_stride)
      std::memcpy(dst + done, src + src_off, run * sizeof(E));
    else
      std::fill_n(dst + done, run, src[src_off]);
    done += run;
    src_off -= idx[r - 1] * inner_stride;
    idx[r - 1] = 0;
    for (int d = r - 2; d >= 0; --d) {
      src_off += stride[d];
      if (++idx[d] < out[d]) break;
      src_off -= stride[d] * out[d];
      idx[d] = 0;
    }
  }
}

// Tiles a pool chunk takes at a time (about one elementwise grain of work).
constexpr int64_t kTilesPerChunk = 4;

class TileRunner {
 public:
  TileRunner(const FusionPlan& plan, absl::Span<const Tensor> inputs)
      : plan_(plan), inputs_(inputs), values_(plan.values.size()), specs_(plan.ops.size()) {}

  absl::Status Run(int64_t offset, int64_t len, std::vector<Tensor>& results) {
    if (len != len_) RETURN_IF_ERROR(Prepare(len));
    for (int v = 0; v < plan_.num_inputs(); ++v) {
      if (plan_.broadcast[v]) continue;
      if (plan_.expands(v)) {
        ExpandSlice(inputs_[v], plan_.shape, offset, len, values_[v].mutable_raw_data());
        continue;
      }
      size_t elem = SizeOf(plan_.values[v].dtype);
      std::memcpy(values_[v].mutable_raw_data(),
                  static_cast<const char*>(inputs_[v].raw_data()) + offset * elem, len * elem);
    }
    for (size_t k = 0; k < plan_.ops.size(); ++k) RETURN_IF_ERROR(RunOp(plan_.ops[k], specs_[k]));
    for (size_t r = 0; r < results.size(); ++r) {
      const Tensor& tile = values_[plan_.results[r]];
      size_t elem = SizeOf(tile.dtype());
      std::memcpy(static_cast<char*>(results[r].mutable_raw_data()) + offset * elem,
                  tile.raw_data(), len * elem);
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Prepare(int64_t len) {
    len_ = len;
    for (int v = 0; v < static_cast<int>(values_.size()); ++v) {
      if (v < plan_.num_inputs() && plan_.broadcast[v]) {
        values_[v] = Tensor::View(inputs_[v], Shape{});
        continue;
      }
      ASSIGN_OR_RETURN(values_[v], Tensor::TryEmpty({Shape{len}, plan_.values[v].dtype}));
    }
    for (size_t k = 0; k < plan_.ops.size(); ++k) {
      specs_[k].clear();
      for (int o : plan_.ops[k].out) specs_[k].push_back({Shape{len}, plan_.values[o].dtype});
    }
    return absl::OkStatus();
  }

  absl::Status RunOp(const FusedOp& f, const SpecList& specs) {
    TensorList ins;
    for (int v : f.in) ins.push_back(values_[v]);
    TensorList outs(f.out.size());
    const bool own = f.op->kernel_allocates_outputs;  // e.g. cast: may return a view
    if (!own)
      for (size_t k = 0; k < f.out.size(); ++k) outs[k] = values_[f.out[k]];
    KernelContext ctx{*f.op, ins, absl::MakeSpan(outs), specs, f.attrs};
    if (absl::Status s = f.kernel(ctx); !s.ok())
      return absl::Status(s.code(), absl::StrCat(s.message(), " (in a fused region, at ",
                                                 f.where.empty() ? "?" : f.where, ")"));
    if (own)
      for (size_t k = 0; k < f.out.size(); ++k) values_[f.out[k]] = std::move(outs[k]);
    return absl::OkStatus();
  }

  const FusionPlan& plan_;
  absl::Span<const Tensor> inputs_;
  std::vector<Tensor> values_;   // this chunk's tiles, by region value
  std::vector<SpecList> specs_;  // per op: its outputs' tile specs
  int64_t len_ = -1;
};

// Elements per pool chunk for a generated kernel (about an elementwise grain of work).
constexpr int64_t kGeneratedChunk = 16 * kFusionTile;

void RunGenerated(GeneratedKernel kernel, const FusionPlan& plan, absl::Span<const Tensor> inputs,
                  std::vector<Tensor>& results) {
  const int num_in = plan.num_inputs();
  // No heap per call: a region has a few inputs and results.
  absl::InlinedVector<char*, 8> base(num_in + results.size());
  absl::InlinedVector<size_t, 8> step(base.size());  // bytes per element; 0: broadcast input
  for (int i = 0; i < num_in; ++i) {
    base[i] = static_cast<char*>(const_cast<void*>(inputs[i].raw_data()));
    step[i] = plan.broadcast[i] ? 0 : SizeOf(inputs[i].dtype());
  }
  for (size_t r = 0; r < results.size(); ++r) {
    base[num_in + r] = static_cast<char*>(results[r].mutable_raw_data());
    step[num_in + r] = SizeOf(results[r].dtype());
  }
  const int64_t chunks = (plan.domain + kGeneratedChunk - 1) / kGeneratedChunk;
  ParallelFor(chunks, 1, [&](int64_t begin, int64_t end) {
    absl::InlinedVector<void*, 8> args(base.size());
    // Expanded inputs' chunks, in this thread's buffers (kept: no heap per call once grown).
    thread_local std::vector<std::vector<char>> expanded;
    for (int64_t c = begin; c < end; ++c) {
      const int64_t offset = c * kGeneratedChunk;
      const int64_t n = std::min(kGeneratedChunk, plan.domain - offset);
      for (size_t a = 0; a < base.size(); ++a) args[a] = base[a] + offset * step[a];
      for (int i = 0, k = 0; i < num_in; ++i) {
        if (!plan.expands(i)) continue;
        if (expanded.size() <= static_cast<size_t>(k)) expanded.resize(k + 1);
        expanded[k].resize(std::max<size_t>(expanded[k].size(), kGeneratedChunk * step[i]));
        ExpandSlice(inputs[i], plan.shape, offset, n, expanded[k].data());
        args[i] = expanded[k++].data();
      }
      kernel(n, args.data());
    }
  });
}

}  // namespace

void ExpandSlice(const Tensor& in, const Shape& shape, int64_t offset, int64_t len, void* dst) {
  const void* src = in.raw_data();
  switch (SizeOf(in.dtype())) {
    case 1:
      return ExpandTyped(static_cast<const uint8_t*>(src), in.shape(), shape, offset, len,
                         static_cast<uint8_t*>(dst));
    case 2:
      return ExpandTyped(static_cast<const uint16_t*>(src), in.shape(), shape, offset, len,
                         static_cast<uint16_t*>(dst));
    case 4:
      return ExpandTyped(static_cast<const uint32_t*>(src), in.shape(), shape, offset, len,
                         static_cast<uint32_t*>(dst));
    default:
      return ExpandTyped(static_cast<const uint64_t*>(src), in.shape(), shape, offset, len,
                         static_cast<uint64_t*>(dst));
  }
}

absl::StatusOr<std::vector<Tensor>> RunFusion(const FusionPlan& plan,
                                              absl::Span<const Tensor> inputs,
                                              absl::Span<const TensorSpec> result_specs,
                                              absl::Span<const char> dying) {
  if (static_cast<int>(inputs.size()) != plan.num_inputs() ||
      result_specs.size() != plan.results.size())
    return absl::InternalError("[fusion] the region's inputs or results do not match its plan");
  std::vector<Tensor> results(result_specs.size());
  absl::InlinedVector<bool, 8> donated(inputs.size(), false);
  for (size_t r = 0; r < results.size(); ++r) {
    for (size_t k = 0; k < dying.size() && k < inputs.size() && !results[r].defined(); ++k)
      if (dying[k] && !donated[k] && !plan.broadcast[k] && !plan.expands(static_cast<int>(k)) &&
          inputs[k].spec() == result_specs[r] && inputs[k].is_sole_owner()) {
        donated[k] = true;
        results[r] = inputs[k];
        results[r].mark_modified();
      }
    if (!results[r].defined()) {
      ASSIGN_OR_RETURN(results[r], Tensor::TryEmpty(result_specs[r]));
    }
  }
  if (plan.generated) {
    if (GeneratedKernel kernel = plan.generated->Get()) {
      RunGenerated(kernel, plan, inputs, results);
      return results;
    }
  }
  const int64_t num_tiles = (plan.domain + kFusionTile - 1) / kFusionTile;
  std::mutex mu;
  absl::Status first_error;
  ParallelFor(num_tiles, kTilesPerChunk, [&](int64_t begin, int64_t end) {
    TileRunner runner(plan, inputs);
    for (int64_t t = begin; t < end; ++t) {
      const int64_t offset = t * kFusionTile;
      absl::Status s = runner.Run(offset, std::min(kFusionTile, plan.domain - offset), results);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = std::move(s);
        return;
      }
    }
  });
  RETURN_IF_ERROR(first_error);
  return results;
}

}  // namespace duet::graph
