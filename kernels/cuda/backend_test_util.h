// Shared by the cuda_backend_test files: moving host tensors to /gpu:0 and back, running one
// registered GPU kernel as the eager executor would (shape inference, outputs allocated on the
// device, the kernel called), random inputs, broadcasting index helpers for host references,
// and NaN-aware tolerance checks. Device steps return Statuses, so a failure fails the test.
// Example:
//   ASSERT_OK_AND_ASSIGN(Tensor z, RunGpu("add", {x, y}));
//   ExpectAllNear(Values<float>(z), want, 1e-5, 1e-6, "add");
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "kernels/cuda/cuda_copy.h"
#include "kernels/cuda/device_probe.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"
#include "runtime/tensor.h"

namespace duet::cuda::test {

inline constexpr Device kGpu0{DeviceType::kGPU, 0};

#define DUET_TEST_CONCAT_(a, b) a##b
#define DUET_TEST_CONCAT(a, b) DUET_TEST_CONCAT_(a, b)
// ASSERT that a StatusOr is OK and move its value into `lhs`.
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                   \
  auto DUET_TEST_CONCAT(statusor_, __LINE__) = (expr);    \
  ASSERT_TRUE(DUET_TEST_CONCAT(statusor_, __LINE__).ok()) \
      << DUET_TEST_CONCAT(statusor_, __LINE__).status();  \
  lhs = *std::move(DUET_TEST_CONCAT(statusor_, __LINE__))

// A host tensor holding `data` (n elements of `dtype`).
inline Tensor HostTensor(const Shape& shape, DType dtype, const void* data) {
  Tensor t = Tensor::Empty({shape, dtype});
  if (t.num_bytes()) std::memcpy(t.mutable_raw_data(), data, t.num_bytes());
  return t;
}
template <class T>
Tensor HostTensor(const Shape& shape, const std::vector<T>& values) {
  return HostTensor(shape, kDTypeOf<T>, values.data());
}
// bool tensors from 0/1 bytes (std::vector<bool> has no data()).
inline Tensor BoolTensor(const Shape& shape, const std::vector<uint8_t>& values) {
  return HostTensor(shape, DType::kBool, values.data());
}

template <class T>
std::vector<T> Values(const Tensor& host) {
  const T* p = host.data<T>();
  return std::vector<T>(p, p + host.num_elements());
}

inline absl::StatusOr<Tensor> ToGpu(const Tensor& host) {
  ASSIGN_OR_RETURN(Tensor d, Tensor::TryEmpty(host.spec(), kGpu0));
  RETURN_IF_ERROR(CopyHostToDevice(0, d.mutable_raw_data(), host.raw_data(), host.num_bytes()));
  return d;
}

inline absl::StatusOr<Tensor> ToHost(const Tensor& gpu) {
  Tensor h = Tensor::Empty(gpu.spec());
  RETURN_IF_ERROR(CopyDeviceToHost(0, h.mutable_raw_data(), gpu.raw_data(), gpu.num_bytes()));
  return h;
}

// Runs op `name`'s GPU kernel on copies of the host `inputs`; returns output 0 on the host.
inline absl::StatusOr<Tensor> RunGpu(const char* name, const std::vector<Tensor>& inputs,
                                     std::initializer_list<NamedAttr> attr_values = {}) {
  const OpDef* op = OpRegistry::Get().Find(name);
  if (!op) return absl::NotFoundError(absl::StrCat("no op ", name));
  const Attrs attrs = MakeAttrs(*op, attr_values);
  std::vector<Tensor> dev;
  for (const Tensor& t : inputs) {
    ASSIGN_OR_RETURN(Tensor d, ToGpu(t));
    dev.push_back(std::move(d));
  }
  ASSIGN_OR_RETURN(SpecList specs, op->infer(InferContext{*op, dev, attrs}));
  TensorList outs(specs.size());
  if (!op->kernel_allocates_outputs)
    for (size_t i = 0; i < specs.size(); ++i) {
      ASSIGN_OR_RETURN(outs[i], Tensor::TryEmpty(specs[i], kGpu0));
    }
  const DType dtype =
      op->kernel_dtype_input >= 0 ? dev[op->kernel_dtype_input].dtype() : specs[0].dtype;
  KernelFn fn = op->kernel(DeviceType::kGPU, dtype);
  if (!fn) return absl::UnimplementedError(absl::StrCat("no GPU kernel for ", name));
  KernelContext ctx{*op, dev, absl::MakeSpan(outs), specs, attrs};
  RETURN_IF_ERROR(fn(ctx));
  if (outs[0].device() != kGpu0) return absl::InternalError("the output is not on /gpu:0");
  return ToHost(outs[0]);
}

inline std::vector<float> RandomFloats(int64_t n, float lo, float hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

template <class T>
std::vector<T> RandomInts(int64_t n, int64_t lo, int64_t hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  std::vector<T> v(static_cast<size_t>(n));
  for (T& x : v) x = static_cast<T>(dist(rng));
  return v;
}

// The row-major index of element i of `shape`.
inline std::vector<int64_t> Unravel(int64_t i, const Shape& shape) {
  std::vector<int64_t> idx(shape.rank());
  for (int d = shape.rank() - 1; d >= 0; --d) {
    idx[d] = i % shape[d];
    i /= shape[d];
  }
  return idx;
}

// The flat offset in `in` (broadcast NumPy-style to the output) of output index `out_index`.
inline int64_t BroadcastOffset(const std::vector<int64_t>& out_index, const Shape& in) {
  const int offset = static_cast<int>(out_index.size()) - in.rank();
  int64_t flat = 0;
  for (int d = 0; d < in.rank(); ++d)
    flat = flat * in[d] + (in[d] == 1 ? 0 : out_index[d + offset]);
  return flat;
}

// |got - want| <= abs + rel * |want| elementwise (NaN wants NaN).
template <class T>
void ExpectAllNear(const std::vector<T>& got, const std::vector<double>& want, double rel,
                   double abs, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  int failures = 0;
  for (size_t i = 0; i < got.size() && failures < 5; ++i) {
    const double g = static_cast<double>(got[i]), w = want[i];
    const bool ok =
        std::isnan(w) ? std::isnan(g) : (g == w || std::fabs(g - w) <= abs + rel * std::fabs(w));
    if (!ok) {
      ++failures;
      ADD_FAILURE() << what << ": element " << i << " is " << g << ", want " << w;
    }
  }
}

}  // namespace duet::cuda::test
