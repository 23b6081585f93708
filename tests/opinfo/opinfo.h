// The OpInfo table: one entry per registered op, giving sample inputs per dtype, a plain
// reference implementation (naive loops in double, independent of the kernels), and error
// cases. tests/opinfo/opinfo_sweep_test.cc walks the registry and runs every entry; an op
// without an entry fails the sweep. Entries live in tests/opinfo/<family>_info.cc.
// Example:
//   DUET_OPINFO(add) = OpInfo{.op = "add", .dtypes = {DType::kFloat32, DType::kInt32},
//       .samples = BinarySamples, .reference = RefBinary([](double a, double b) { return a + b;
//       })};
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/attr.h"
#include "runtime/op_registry.h"
#include "runtime/tensor.h"

namespace duet::testing {

struct OpSample {
  std::string name;  // "broadcast (2, 3) x (3,)"
  std::vector<Tensor> inputs;
  Attrs attrs;
};

// A sample's attribute `name`, read as op `op` declares it (AttrOf: a wrong name aborts).
template <class T>
const T& SampleAttr(const OpSample& s, std::string_view op, std::string_view name) {
  return AttrOf<T>(*OpRegistry::Get().Find(op), s.attrs, name);
}

struct ErrorCase {
  std::string name;
  std::vector<Tensor> inputs;
  Attrs attrs;
  std::string message;  // substring the error must contain (besides "[op]")
};

// The reference result: values in double (bool as 0/1), the expected shape and dtype.
struct RefTensor {
  Shape shape;
  DType dtype = DType::kFloat64;
  std::vector<double> values;
};

struct OpInfo {
  std::string op;
  std::vector<DType> dtypes;  // dtypes the samples run in
  std::function<std::vector<OpSample>(DType)> samples;
  std::function<std::vector<RefTensor>(const OpSample&)> reference;  // one per output
  std::function<std::vector<ErrorCase>()> errors;                    // may be empty
  double rtol = 1e-5, atol = 1e-6;  // for float32; float64 uses 1e-12
  bool compare_values = true;  // false for random ops: shape/dtype plus the entry's own `check`
  std::function<std::string(const OpSample&, const std::vector<Tensor>&)> check;  // "" = ok
};

std::vector<const OpInfo*>& OpInfoTable();
const OpInfo* FindOpInfo(const std::string& op);  // null when the op has no entry
std::vector<std::string> RegisteredOpNames();     // every op in the registry, for sweeps
struct OpInfoRegistrar {
  explicit OpInfoRegistrar(const OpInfo& info);
};
#define DUET_OPINFO_CONCAT2(a, b) a##b
#define DUET_OPINFO_CONCAT(a, b) DUET_OPINFO_CONCAT2(a, b)
#define DUET_OPINFO(...)                                            \
  static const ::duet::testing::OpInfoRegistrar DUET_OPINFO_CONCAT( \
      opinfo_, __LINE__)(::duet::testing::OpInfo{__VA_ARGS__})

// ---- helpers for writing entries -------------------------------------------------------
// Deterministic pseudo-random values in [lo, hi) of any dtype (ints rounded, bools 0/1).
Tensor TestTensor(const Shape& shape, DType dtype, double lo = -2, double hi = 2,
                  uint32_t seed = 1);
// The tensor's values as doubles.
std::vector<double> Values(const Tensor& t);
RefTensor RefOf(const Tensor& t);

// NumPy broadcasting for references: out_shape and the flat input index for an output index.
Shape RefBroadcastShape(const std::vector<Shape>& shapes);
int64_t RefBroadcastIndex(const Shape& in, const Shape& out, int64_t out_index);
std::vector<int64_t> Unravel(int64_t index, const Shape& shape);
int64_t Ravel(const std::vector<int64_t>& idx, const Shape& shape);

// Elementwise reference over broadcast inputs; out dtype = input 0's unless given.
std::function<std::vector<RefTensor>(const OpSample&)> RefElementwise(
    std::function<double(const std::vector<double>&)> fn, const DType* out_dtype = nullptr);

// Standard samples for broadcasting binary ops: same shape, scalar, row/column broadcast,
// rank-0 with rank-3, size-0. Values in [lo, hi); the second input avoids zero when nonzero_rhs.
std::vector<OpSample> BinarySamples(DType dtype, double lo = -3, double hi = 3,
                                    bool nonzero_rhs = false);
// Standard samples for unary ops over several shapes (scalar, vector, matrix, rank 3, empty).
std::vector<OpSample> UnarySamples(DType dtype, double lo = -3, double hi = 3);

// TF's window arithmetic for conv/pool references, one spatial dim: the output size and the
// padding before the first window ("SAME": out = ceil(in / s), the odd padding pixel after;
// "VALID": no padding).
struct RefDim {
  int64_t out, pad_before;
};
RefDim RefWindowDim(int64_t in, int64_t k, int64_t stride, int64_t dilation,
                    const std::string& padding);

}  // namespace duet::testing
