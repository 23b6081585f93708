#include "tests/opinfo/opinfo.h"

#include "runtime/op_registry.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

namespace duet::testing {

std::vector<const OpInfo*>& OpInfoTable() {
  static auto* table = new std::vector<const OpInfo*>();
  return *table;
}

const OpInfo* FindOpInfo(const std::string& op) {
  for (const OpInfo* info : OpInfoTable())
    if (info->op == op) return info;
  return nullptr;
}

std::vector<std::string> RegisteredOpNames() {
  std::vector<std::string> names;
  for (const OpDef* op : OpRegistry::Get().ops()) names.push_back(op->name);
  return names;
}

OpInfoRegistrar::OpInfoRegistrar(const OpInfo& info) { OpInfoTable().push_back(new OpInfo(info)); }

Tensor TestTensor(const Shape& shape, DType dtype, double lo, double hi, uint32_t seed) {
  std::mt19937 gen(seed * 7919u + static_cast<uint32_t>(shape.num_elements()) * 31u +
                   static_cast<uint32_t>(dtype));
  std::uniform_real_distribution<double> dist(lo, hi);
  Tensor t = Tensor::Empty({shape, dtype});
  VisitDType(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = t.mutable_data<T>();
    for (int64_t i = 0; i < t.num_elements(); ++i) {
      double v = dist(gen);
      if constexpr (std::is_same_v<T, bool>)
        p[i] = v > (lo + hi) / 2;
      else if constexpr (std::is_integral_v<T>)
        p[i] = static_cast<T>(std::floor(v));
      else if constexpr (std::is_floating_point_v<T>)
        p[i] = static_cast<T>(v);
      else
        p[i] = T(static_cast<float>(v));
    }
  });
  return t;
}

std::vector<double> Values(const Tensor& t) {
  std::vector<double> out(t.num_elements());
  VisitDType(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = t.data<T>();
    for (int64_t i = 0; i < t.num_elements(); ++i) {
      if constexpr (std::is_arithmetic_v<T>)
        out[i] = static_cast<double>(p[i]);
      else
        out[i] = static_cast<float>(p[i]);
    }
  });
  return out;
}

RefTensor RefOf(const Tensor& t) { return RefTensor{t.shape(), t.dtype(), Values(t)}; }

Shape RefBroadcastShape(const std::vector<Shape>& shapes) {
  int rank = 0;
  for (const Shape& s : shapes) rank = std::max(rank, s.rank());
  Shape out;
  for (int i = 0; i < rank; ++i) {
    int64_t d = 1;
    for (const Shape& s : shapes) {
      int j = s.rank() - rank + i;
      if (j >= 0 && s[j] != 1) d = s[j];
    }
    out.push_back(d);
  }
  return out;
}

std::vector<int64_t> Unravel(int64_t index, const Shape& shape) {
  std::vector<int64_t> idx(shape.rank());
  for (int i = shape.rank() - 1; i >= 0; --i) {
    idx[i] = shape[i] ? index % shape[i] : 0;
    index = shape[i] ? index / shape[i] : 0;
  }
  return idx;
}

int64_t Ravel(const std::vector<int64_t>& idx, const Shape& shape) {
  int64_t flat = 0;
  for (int i = 0; i < shape.rank(); ++i) flat = flat * shape[i] + idx[i];
  return flat;
}

int64_t RefBroadcastIndex(const Shape& in, const Shape& out, int64_t out_index) {
  std::vector<int64_t> oi = Unravel(out_index, out);
  std::vector<int64_t> ii(in.rank());
  for (int i = 0; i < in.rank(); ++i) {
    int j = out.rank() - in.rank() + i;
    ii[i] = in[i] == 1 ? 0 : oi[j];
  }
  return Ravel(ii, in);
}

std::function<std::vector<RefTensor>(const OpSample&)> RefElementwise(
    std::function<double(const std::vector<double>&)> fn, const DType* out_dtype) {
  std::optional<DType> fixed;
  if (out_dtype) fixed = *out_dtype;
  return [fn, fixed](const OpSample& s) {
    std::vector<Shape> shapes;
    std::vector<std::vector<double>> vals;
    for (const Tensor& t : s.inputs) {
      shapes.push_back(t.shape());
      vals.push_back(Values(t));
    }
    RefTensor r;
    r.shape = RefBroadcastShape(shapes);
    r.dtype = fixed ? *fixed : s.inputs[0].dtype();
    int64_t n = r.shape.num_elements();
    std::vector<double> args(s.inputs.size());
    for (int64_t i = 0; i < n; ++i) {
      for (size_t k = 0; k < s.inputs.size(); ++k)
        args[k] = vals[k][RefBroadcastIndex(shapes[k], r.shape, i)];
      r.values.push_back(fn(args));
    }
    return std::vector<RefTensor>{r};
  };
}

std::vector<OpSample> BinarySamples(DType dtype, double lo, double hi, bool nonzero_rhs) {
  auto rhs = [&](const Shape& s, uint32_t seed) {
    Tensor t = TestTensor(s, dtype, lo, hi, seed);
    if (!nonzero_rhs) return t;
    // Shift zeros away: positive values in [1, hi) keep integer division well defined.
    return TestTensor(s, dtype, 1, std::max(hi, 2.0), seed);
  };
  std::vector<std::pair<Shape, Shape>> cases = {
      {Shape{}, Shape{}},         {Shape{5}, Shape{5}},          {Shape{2, 3}, Shape{2, 3}},
      {Shape{2, 3}, Shape{}},     {Shape{}, Shape{4}},           {Shape{2, 3}, Shape{3}},
      {Shape{2, 1}, Shape{1, 3}}, {Shape{4, 1, 3}, Shape{2, 1}}, {Shape{0, 3}, Shape{3}},
      {Shape{1000}, Shape{1000}}};
  std::vector<OpSample> out;
  uint32_t seed = 1;
  for (auto& [a, b] : cases)
    out.push_back({a.to_string() + " x " + b.to_string(),
                   {TestTensor(a, dtype, lo, hi, seed++), rhs(b, seed++)},
                   {}});
  return out;
}

std::vector<OpSample> UnarySamples(DType dtype, double lo, double hi) {
  std::vector<OpSample> out;
  uint32_t seed = 11;
  for (const Shape& s : {Shape{}, Shape{7}, Shape{3, 4}, Shape{2, 3, 4}, Shape{0}, Shape{1000}})
    out.push_back({s.to_string(), {TestTensor(s, dtype, lo, hi, seed++)}, {}});
  return out;
}

RefDim RefWindowDim(int64_t in, int64_t k, int64_t s, int64_t d, const std::string& padding) {
  int64_t eff = (k - 1) * d + 1;
  if (padding == "VALID")
    return {static_cast<int64_t>(std::ceil(double(in - eff + 1) / double(s))), 0};
  int64_t out = static_cast<int64_t>(std::ceil(double(in) / double(s)));
  int64_t pad_total = std::max<int64_t>((out - 1) * s + eff - in, 0);
  return {out, pad_total / 2};
}

}  // namespace duet::testing
