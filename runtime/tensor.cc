#include "runtime/tensor.h"

#include "absl/strings/str_cat.h"
#include "runtime/allocator.h"
#include "runtime/device_copy.h"
#include "runtime/device_memory.h"
#include "runtime/pending_value.h"

namespace duet {

std::string TensorSpec::to_string() const {
  return absl::StrCat(DTypeName(dtype), shape.to_string());
}

TensorImpl::~TensorImpl() {
  if (!capacity) return;
  if (IsHostMemory(device.type))
    FreeHost(data, capacity);
  else
    FindDeviceMemory(device.type)->Free(device.index, data, capacity);
}

absl::StatusOr<Tensor> Tensor::TryEmpty(const TensorSpec& spec, Device device) {
  if (!spec.shape.fully_defined()) [[unlikely]]
    return absl::InvalidArgumentError(absl::StrCat("[tensor] cannot allocate ", spec.to_string(),
                                                   ": the shape has an unknown (-1) dimension"));
  int64_t n = spec.shape.num_elements();  // saturates at INT64_MAX
  if (n > MaxTensorBytes() / 8) [[unlikely]]
    if (absl::Status s = CheckAllocatable(spec.shape, SizeOf(spec.dtype)); !s.ok())
      return absl::Status(s.code(), absl::StrCat("[tensor] cannot allocate ", DTypeName(spec.dtype),
                                                 ": ", s.message()));
  auto impl = std::make_shared<TensorImpl>();
  impl->spec = spec;
  impl->num_elements = n;
  impl->device = device;
  size_t bytes = static_cast<size_t>(n) * SizeOf(spec.dtype);
  if (IsHostMemory(device.type)) [[likely]] {
    impl->data = AllocateHost(bytes);
  } else {
    if (absl::Status present = CheckDevicePresent(device); !present.ok()) [[unlikely]]
      return absl::Status(present.code(), absl::StrCat("[tensor] cannot allocate ",
                                                       spec.to_string(), ": ", present.message()));
    impl->data = FindDeviceMemory(device.type)->Allocate(device.index, bytes);
  }
  if (!impl->data) [[unlikely]]
    return absl::ResourceExhaustedError(absl::StrCat("[tensor] out of memory allocating ",
                                                     spec.to_string(), " (", bytes, " bytes) on ",
                                                     device.to_string()));
  impl->capacity = bytes == 0 ? 1 : bytes;  // a 0-byte request still gets a block to free later
  return Tensor(std::move(impl));
}

Tensor Tensor::Empty(const TensorSpec& spec, Device device) {
  absl::StatusOr<Tensor> t = TryEmpty(spec, device);
  if (!t.ok()) [[unlikely]]
    throw Error(std::string(t.status().message()));
  return *std::move(t);
}

Tensor Tensor::View(const Tensor& base, const Shape& shape) {
  auto impl = std::make_shared<TensorImpl>();
  impl->spec = TensorSpec(shape, base.dtype());
  impl->num_elements = shape.num_elements();
  impl->device = base.device();
  impl->data = base.impl_->data;
  impl->symbolic = base.impl_->symbolic;
  impl->pending = base.impl_->pending;  // a view of a pending value is ready when it is
  impl->base = base.impl_->base ? base.impl_->base : base.impl_;
  return Tensor(std::move(impl));
}

Tensor Tensor::Symbolic(const TensorSpec& spec, const Loc& origin) {
  auto impl = std::make_shared<TensorImpl>();
  impl->origin = origin;
  impl->spec = spec;
  impl->num_elements = spec.shape.num_elements();
  impl->symbolic = true;
  return Tensor(std::move(impl));
}

void ThrowUndefinedTensor(const char* what, const Loc& loc) {
  ThrowError(absl::InvalidArgumentError(absl::StrCat(
                 "[", what, "] the tensor is undefined (e.g. a gradient that does not exist)")),
             loc);
}

absl::Status Tensor::CheckReadable(DType wanted, const char* what) const {
  if (!defined())
    return absl::InvalidArgumentError(
        absl::StrCat("[", what, "] the tensor is undefined (e.g. a gradient that does not exist)"));
  if (is_symbolic()) {
    std::string made = FormatLoc(origin());
    return absl::FailedPreconditionError(absl::StrCat(
        "[", what, "] cannot read the value of symbolic tensor ", spec().to_string(),
        made.empty() ? "" : absl::StrCat(" made at ", made),
        " while a function is being traced; use cond/while_loop for value-dependent control flow, "
        "or config::run_functions_eagerly(true) to debug"));
  }
  if (impl_->pending)
    if (const absl::Status& s = impl_->pending->WaitStatus(); !s.ok()) return s;
  if (dtype() != wanted)
    return absl::InvalidArgumentError(absl::StrCat("[", what, "] requested ", DTypeName(wanted),
                                                   " but the tensor is ", spec().to_string()));
  if (std::string_view(what) == "item" && num_elements() != 1)
    return absl::InvalidArgumentError(absl::StrCat(
        "[item] needs a tensor with exactly one element, got shape ", shape().to_string()));
  return absl::OkStatus();
}

uint64_t Tensor::version() const {
  static std::atomic<uint64_t> next{1};
  uint64_t v = impl_->version.load(std::memory_order_acquire);
  if (v != 0) return v;
  uint64_t fresh = next.fetch_add(1, std::memory_order_relaxed);
  // Two readers racing here agree on whichever number was stored first.
  return impl_->version.compare_exchange_strong(v, fresh, std::memory_order_acq_rel) ? fresh : v;
}

Tensor Tensor::OnHost(const Loc& loc) const {
  if (IsHostMemory(impl_->device.type)) [[likely]]
    return *this;
  return ValueOrThrow(CopyTensorTo(*this, kCPU0), loc);
}

bool Tensor::is_ready() const {
  return !impl_ || !impl_->pending || impl_->pending->done.load(std::memory_order_acquire);
}

absl::Status Tensor::await_ready() const {
  if (!impl_ || !impl_->pending) return absl::OkStatus();
  return impl_->pending->WaitStatus();
}

// No caller's line to capture: the message names where the tensor was made.
Tensor::operator bool() const { return item<bool>(Loc()); }

}  // namespace duet
