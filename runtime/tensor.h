// Tensor: an immutable, refcounted handle to a typed, shaped buffer (or, while tracing, to a
// symbolic value with no buffer). Copying a Tensor copies the handle, never the data.
// Example: Tensor t = Tensor::Empty({Shape{2, 2}, DType::kInt32}); t.mutable_data<int32_t>()[0] =
// 1;
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/device.h"
#include "runtime/dtype.h"
#include "runtime/error.h"
#include "runtime/shape.h"

namespace duet {

// Shape and dtype, as op inference produces them and as traced signatures are declared.
struct TensorSpec {
  Shape shape;
  DType dtype = DType::kFloat32;
  TensorSpec() = default;
  TensorSpec(Shape s, DType d) : shape(std::move(s)), dtype(d) {}
  std::string to_string() const;  // "float32(2, 3)"
  friend bool operator==(const TensorSpec&, const TensorSpec&) = default;
};

struct TensorImpl;
struct PendingValue;  // runtime/pending_value.h: an async kernel's outputs before it has run

class Tensor {
 public:
  Tensor() = default;  // undefined: like TF's None (e.g. a gradient that does not exist)

  // A fresh uninitialized buffer (64-byte aligned). Only the creator may write it. TryEmpty
  // reports an unknown dim, an oversized shape or a failed allocation; Empty throws them.
  static absl::StatusOr<Tensor> TryEmpty(const TensorSpec& spec, Device device = kCPU0);
  static Tensor Empty(const TensorSpec& spec, Device device = kCPU0);
  // Shares `base`'s buffer under another shape with the same element count (reshape, squeeze...).
  static Tensor View(const Tensor& base, const Shape& shape);
  // A value with shape and dtype but no buffer: what ops see while a function is traced.
  static Tensor Symbolic(const TensorSpec& spec, const Loc& origin = Loc());
  // A copy of `n` elements of type T (T must map to `shape`'s dtype).
  template <class T>
  static Tensor FromData(const T* values, const Shape& shape) {
    Tensor t = Empty({shape, kDTypeOf<T>});
    std::copy(values, values + t.num_elements(), t.mutable_data<T>());
    return t;
  }

  bool defined() const { return impl_ != nullptr; }
  bool is_symbolic() const;  // true while tracing: no value to read
  // On an undefined tensor these throw duet::Error naming the caller's line.
  const TensorSpec& spec(const Loc& loc = Loc::current()) const;
  DType dtype(const Loc& loc = Loc::current()) const;
  const Shape& shape(const Loc& loc = Loc::current()) const;
  int rank(const Loc& loc = Loc::current()) const;
  int64_t num_elements(const Loc& loc = Loc::current()) const;
  size_t num_bytes(const Loc& loc = Loc::current()) const;
  Device device(const Loc& loc = Loc::current()) const;
  // Where a symbolic tensor was made (the user's line of the op that produced it while
  // tracing), for errors raised where the caller's line cannot be captured (bool(x)).
  Loc origin() const;

  // Copies to another device ("/gpu:0", "/device:GPU:1", "/test:0"); the same handle when the
  // tensor is already there. Gradients flow back through the copy. Defined with the
  // copy_to_device op (kernels/device_ops.cc). gpu(n) throws naming the device when there is
  // no such GPU.
  Tensor to(std::string_view device, const Loc& loc = Loc::current()) const;
  Tensor gpu(int index = 0, const Loc& loc = Loc::current()) const;
  Tensor cpu(const Loc& loc = Loc::current()) const;

  // Async execution (ExecutionMode::kAsync): a tensor is ready once the kernel that makes it
  // has run. Reading values waits (raw_data() too); await_ready() waits and reports the error of
  // a failed kernel this tensor depends on ("poisoned"), naming that op and its line.
  bool is_ready() const;
  absl::Status await_ready() const;

  // Raw element access for kernels. data<T>() checks nothing; the dispatcher guarantees dtypes.
  const void* raw_data() const;
  void* mutable_raw_data();  // only on a tensor you just created with Empty()
  template <class T>
  const T* data() const {
    return static_cast<const T*>(raw_data());
  }
  template <class T>
  T* mutable_data() {
    return static_cast<T*>(mutable_raw_data());
  }

  // Reading values (the .numpy() of C++). Throw duet::Error on a dtype mismatch, a symbolic
  // tensor, or (item) more than one element.
  template <class T>
  std::vector<T> to_vector(const Loc& loc = Loc::current()) const;
  template <class T>
  T item(const Loc& loc = Loc::current()) const;
  explicit operator bool() const;  // item<bool>() of a one-element bool tensor

  // True when this handle is the only reference to a buffer it owns (not a view): the owner
  // may then update it in place without anyone observing a change (Variable updates do). The
  // caller must be the only one able to copy this handle (the Variable holds its lock), and a
  // true answer orders every other thread's use of the buffer before the caller's writes.
  bool is_sole_owner() const;

  // A number unique to this buffer's current contents: fresh for every new buffer (even at a
  // reused address) and after mark_modified(). Caches of derived data (oneDNN's reordered
  // weights) key on it. Assigned lazily, so tensors nobody caches pay nothing.
  uint64_t version() const;
  // Call after writing a buffer others may have read (in-place variable updates do).
  void mark_modified();

  // Identity of the underlying value (same handle), for tests and tracing.
  const TensorImpl* impl() const { return impl_.get(); }

 private:
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}
  friend struct PendingTensors;  // runtime/pending_value.h: makes and completes pending outputs
  const TensorImpl& Checked(const char* what, const Loc& loc) const;
  absl::Status CheckReadable(DType wanted, const char* what) const;
  // After CheckReadable: this tensor, or its copy on the host when it lives on a device.
  Tensor OnHost(const Loc& loc) const;
  std::shared_ptr<TensorImpl> impl_;
};

// What every tensor handle points at. Views keep their base alive through `base`.
struct TensorImpl {
  TensorSpec spec;
  int64_t num_elements = 0;
  Device device = kCPU0;
  void* data = nullptr;                      // null when symbolic
  bool symbolic = false;                     // traced value: shape and dtype only
  size_t capacity = 0;                       // bytes owned (0 for views and symbolic values)
  std::shared_ptr<const TensorImpl> base;    // the owner of `data` for views
  Loc origin;                                // symbolic: the traced op's user line
  mutable std::atomic<uint64_t> version{0};  // 0: not assigned yet (Tensor::version)
  // Async: shared by an enqueued op's outputs from creation on (never reassigned); `data` may
  // be read once it is done. Null for every tensor made synchronously.
  std::shared_ptr<PendingValue> pending;
  ~TensorImpl();
};

inline bool Tensor::is_sole_owner() const {
  if (!impl_ || impl_->base || !impl_->data || impl_.use_count() != 1) return false;
  // use_count() is a relaxed load: it does not order the other threads' last reads of the
  // buffer (before they dropped their handles) before our in-place writes. Copying and
  // dropping the handle does an acquire-release decrement of the same count, which does, and
  // ThreadSanitizer sees it. No one can copy the handle meanwhile (see above), so it stays 1.
  std::shared_ptr<TensorImpl>(impl_).reset();
  return true;
}
inline void Tensor::mark_modified() { impl_->version.store(0, std::memory_order_release); }
inline bool Tensor::is_symbolic() const { return impl_ && impl_->symbolic; }
// "[what] the tensor is undefined (e.g. a gradient that does not exist)" at `loc`.
[[noreturn]] void ThrowUndefinedTensor(const char* what, const Loc& loc);

inline const TensorImpl& Tensor::Checked(const char* what, const Loc& loc) const {
  if (!impl_) [[unlikely]]
    ThrowUndefinedTensor(what, loc);
  return *impl_;
}
inline const TensorSpec& Tensor::spec(const Loc& loc) const {
  return Checked("Tensor::spec", loc).spec;
}
inline DType Tensor::dtype(const Loc& loc) const {
  return Checked("Tensor::dtype", loc).spec.dtype;
}
inline const Shape& Tensor::shape(const Loc& loc) const {
  return Checked("Tensor::shape", loc).spec.shape;
}
inline int Tensor::rank(const Loc& loc) const {
  return Checked("Tensor::rank", loc).spec.shape.rank();
}
inline int64_t Tensor::num_elements(const Loc& loc) const {
  return Checked("Tensor::num_elements", loc).num_elements;
}
inline size_t Tensor::num_bytes(const Loc& loc) const {
  const TensorImpl& impl = Checked("Tensor::num_bytes", loc);
  return static_cast<size_t>(impl.num_elements) * SizeOf(impl.spec.dtype);
}
inline Device Tensor::device(const Loc& loc) const { return Checked("Tensor::device", loc).device; }
inline Loc Tensor::origin() const { return impl_ ? impl_->origin : Loc(); }
// Blocks until `p`'s kernel has run (at once when it has, or on the thread running it).
void AwaitPendingValue(const PendingValue& p);
inline const void* Tensor::raw_data() const {
  if (impl_->pending) [[unlikely]]
    AwaitPendingValue(*impl_->pending);
  return impl_->data;
}
inline void* Tensor::mutable_raw_data() { return impl_->data; }

template <class T>
std::vector<T> Tensor::to_vector(const Loc& loc) const {
  ThrowIfError(CheckReadable(kDTypeOf<T>, "to_vector"), loc);
  const Tensor host = OnHost(loc);
  const T* p = host.data<T>();
  return std::vector<T>(p, p + num_elements());
}

template <class T>
T Tensor::item(const Loc& loc) const {
  ThrowIfError(CheckReadable(kDTypeOf<T>, "item"), loc);
  return *OnHost(loc).data<T>();
}

std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace duet
