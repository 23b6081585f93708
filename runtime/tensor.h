// Tensor: an immutable, refcounted handle to a typed, shaped buffer (or, while tracing, to a
// symbolic value with no buffer). Copying a Tensor copies the handle, never the data.
// Example: Tensor t = Tensor::Empty({Shape{2, 2}, DType::kInt32}); t.mutable_data<int32_t>()[0] = 1;
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
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

class Tensor {
 public:
  Tensor() = default;  // undefined: like TF's None (e.g. a gradient that does not exist)

  // A fresh uninitialized buffer (64-byte aligned). Only the creator may write it.
  static Tensor Empty(const TensorSpec& spec, Device device = kCPU0);
  // Shares `base`'s buffer under another shape with the same element count (reshape, squeeze...).
  static Tensor View(const Tensor& base, const Shape& shape);
  // A value with shape and dtype but no buffer: what ops see while a function is traced.
  static Tensor Symbolic(const TensorSpec& spec);
  // A copy of `n` elements of type T (T must map to `shape`'s dtype).
  template <class T>
  static Tensor FromData(const T* values, const Shape& shape) {
    Tensor t = Empty({shape, kDTypeOf<T>});
    std::copy(values, values + t.num_elements(), t.mutable_data<T>());
    return t;
  }

  bool defined() const { return impl_ != nullptr; }
  bool is_symbolic() const;  // true while tracing: no value to read
  const TensorSpec& spec() const;
  DType dtype() const { return spec().dtype; }
  const Shape& shape() const { return spec().shape; }
  int rank() const { return shape().rank(); }
  int64_t num_elements() const;
  size_t num_bytes() const { return static_cast<size_t>(num_elements()) * SizeOf(dtype()); }
  Device device() const;

  // Raw element access for kernels. data<T>() checks nothing; the dispatcher guarantees dtypes.
  const void* raw_data() const;
  void* mutable_raw_data();  // only on a tensor you just created with Empty()
  template <class T> const T* data() const { return static_cast<const T*>(raw_data()); }
  template <class T> T* mutable_data() { return static_cast<T*>(mutable_raw_data()); }

  // Reading values (the .numpy() of C++). Throw duet::Error on a dtype mismatch, a symbolic
  // tensor, or (item) more than one element.
  template <class T> std::vector<T> to_vector(const Loc& loc = Loc::current()) const;
  template <class T> T item(const Loc& loc = Loc::current()) const;
  explicit operator bool() const;  // item<bool>() of a one-element bool tensor

  // True when this handle is the only reference to a buffer it owns (not a view): the owner
  // may then update it in place without anyone observing a change (Variable updates do).
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
  absl::Status CheckReadable(DType wanted, const char* what) const;
  std::shared_ptr<TensorImpl> impl_;
};

// What every tensor handle points at. Views keep their base alive through `base`.
struct TensorImpl {
  TensorSpec spec;
  int64_t num_elements = 0;
  Device device = kCPU0;
  void* data = nullptr;                     // null when symbolic
  bool symbolic = false;                    // traced value: shape and dtype only
  size_t capacity = 0;                      // bytes owned (0 for views and symbolic values)
  std::shared_ptr<const TensorImpl> base;   // the owner of `data` for views
  mutable std::atomic<uint64_t> version{0};  // 0: not assigned yet (Tensor::version)
  ~TensorImpl();
};

inline bool Tensor::is_sole_owner() const { return impl_ && impl_.use_count() == 1 && !impl_->base && impl_->data; }
inline void Tensor::mark_modified() { impl_->version.store(0, std::memory_order_release); }
inline bool Tensor::is_symbolic() const { return impl_ && impl_->symbolic; }
inline const TensorSpec& Tensor::spec() const { return impl_->spec; }
inline int64_t Tensor::num_elements() const { return impl_->num_elements; }
inline Device Tensor::device() const { return impl_->device; }
inline const void* Tensor::raw_data() const { return impl_->data; }
inline void* Tensor::mutable_raw_data() { return impl_->data; }

template <class T>
std::vector<T> Tensor::to_vector(const Loc& loc) const {
  ThrowIfError(CheckReadable(kDTypeOf<T>, "to_vector"), loc);
  const T* p = data<T>();
  return std::vector<T>(p, p + num_elements());
}

template <class T>
T Tensor::item(const Loc& loc) const {
  ThrowIfError(CheckReadable(kDTypeOf<T>, "item"), loc);
  return *data<T>();
}

std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace duet
