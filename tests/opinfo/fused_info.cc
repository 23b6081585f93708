// OpInfo entries for the fused contractions (fused_matmul, fused_conv2d). Their references
// are the producer's own OpInfo reference (the naive matmul and convolution loops of
// nn_info.cc) followed by the epilogue in double, so the fused kernels (oneDNN post-ops for
// float32, the producer + step kernels otherwise) are checked against the same loops.
// Samples cover every declared activation, a bias over the last dim as (n) and (1, n), a
// residual of the output's shape, both transposes, a batched product, sizes that take the
// oneDNN paths, and an empty epilogue.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "api/duet.h"
#include "runtime/epilogue.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

using Ints = std::vector<int64_t>;
const std::vector<DType> kFloats = {DType::kFloat32, DType::kFloat64};

double Activate(const std::string& name, double v) {
  if (name == "relu") return v > 0 ? v : 0;
  if (name == "tanh") return std::tanh(v);
  if (name == "sigmoid") return 1 / (1 + std::exp(-v));
  if (name == "exp") return std::exp(v);
  if (name == "sqrt") return std::sqrt(v);
  return std::nan("");  // an activation without a reference: the comparison fails
}

// The producer's reference on the first two inputs, then the epilogue.
std::function<std::vector<RefTensor>(const OpSample&)> RefFused(const char* producer) {
  return [producer](const OpSample& s) {
    OpSample inner{s.name, {s.inputs[0], s.inputs[1]}, Attrs(s.attrs.begin(), s.attrs.end() - 1)};
    RefTensor r = FindOpInfo(producer)->reference(inner)[0];
    const std::string& epilogue = std::get<std::string>(s.attrs.back());
    size_t next = 2;
    for (const std::string& step : SplitEpilogue(epilogue)) {
      if (step != "add") {
        for (double& v : r.values) v = Activate(step, v);
        continue;
      }
      const Tensor& operand = s.inputs[next++];
      std::vector<double> o = Values(operand);
      for (int64_t i = 0; i < static_cast<int64_t>(r.values.size()); ++i)
        r.values[i] += o[RefBroadcastIndex(operand.shape(), r.shape, i)];
    }
    return std::vector<RefTensor>{r};
  };
}

struct Case {
  Shape a, b;
  std::vector<Shape> operands;
  std::string epilogue;
  bool ta = false, tb = false;
};

std::vector<OpSample> FusedMatmulSamples(DType d) {
  std::vector<Case> cases = {
      {{2, 3}, {3, 4}, {{4}}, "add,relu"},
      {{3, 2}, {3, 4}, {{1, 4}}, "add", true, false},
      {{2, 3}, {4, 3}, {{4}, {2, 4}}, "add,add,tanh", false, true},
      {{2, 3}, {3, 4}, {}, "sigmoid"},
      {{2, 3}, {3, 4}, {{4}}, "add,exp"},
      {{2, 3}, {3, 4}, {}, ""},
      {{2, 3, 4}, {4, 5}, {{5}}, "add,relu"},
      // oneDNN's post-ops in float32 (the plain loops and step kernels in float64).
      {{64, 128}, {128, 96}, {{96}}, "add,relu"},
      {{128, 64}, {96, 128}, {{1, 96}, {64, 96}}, "add,add,tanh", true, true},
      {{32, 64}, {64, 48}, {{48}}, "add,sigmoid"},
      {{32, 64}, {64, 48}, {{32, 48}}, "add,exp"},
  };
  std::vector<OpSample> out;
  uint32_t seed = 11;
  for (const Case& c : cases) {
    OpSample s{absl::StrCat(c.a.to_string(), " x ", c.b.to_string(), " {", c.epilogue, "}"),
               {TestTensor(c.a, d, -1, 1, seed++), TestTensor(c.b, d, -1, 1, seed++)},
               {AttrValue(c.ta), AttrValue(c.tb), AttrValue(c.epilogue)}};
    for (const Shape& o : c.operands) s.inputs.push_back(TestTensor(o, d, -1, 1, seed++));
    out.push_back(std::move(s));
  }
  // sqrt needs a positive argument: positive factors and bias.
  OpSample sq{"positive (4, 3) x (3, 5) {add,sqrt}",
              {TestTensor({4, 3}, d, 0.1, 1, 91), TestTensor({3, 5}, d, 0.1, 1, 92),
               TestTensor({5}, d, 0.1, 1, 93)},
              {AttrValue(false), AttrValue(false), AttrValue(std::string("add,sqrt"))}};
  out.push_back(std::move(sq));
  return out;
}

Attrs MatmulAttrs(const char* epilogue) {
  return {AttrValue(false), AttrValue(false), AttrValue(std::string(epilogue))};
}

std::vector<ErrorCase> FusedMatmulErrors() {
  Tensor a = TestTensor({2, 3}, DType::kFloat32), b = TestTensor({3, 4}, DType::kFloat32);
  Tensor bias = TestTensor({4}, DType::kFloat32);
  return {
      {"add without operand", {a, b}, MatmulAttrs("add"), "adds more operands than the 0 given"},
      {"unused operand", {a, b, bias}, MatmulAttrs("relu"), "uses 0 operands, got 1"},
      {"undeclared activation",
       {a, b},
       MatmulAttrs("log"),
       "epilogue step 'log' is neither 'add' nor a final activation"},
      {"activation not last",
       {a, b, bias},
       MatmulAttrs("relu,add"),
       "epilogue step 'relu' is neither 'add' nor a final activation"},
      {"operand grows the product",
       {a, TestTensor({3, 1}, DType::kFloat32), bias},
       MatmulAttrs("add"),
       "epilogue operand (4,) does not broadcast to (2, 1)"},
      {"producer error", {a, a}, MatmulAttrs(""), "inner dimensions differ"},
      {"one input", {a}, MatmulAttrs(""), "takes 2 inputs and one per add, got 1"},
  };
}

DUET_OPINFO(.op = "fused_matmul", .dtypes = kFloats, .samples = FusedMatmulSamples,
            .reference = RefFused("matmul"), .errors = FusedMatmulErrors, .rtol = 1e-4,
            .atol = 1e-4);

Attrs ConvAttrs(Ints strides, const char* padding, const char* epilogue) {
  return {AttrValue(std::move(strides)), AttrValue(std::string(padding)), AttrValue(Ints{1, 1}),
          AttrValue(std::string(epilogue))};
}

std::vector<OpSample> FusedConv2DSamples(DType d) {
  struct ConvCase {
    Shape x, k;
    std::vector<Shape> operands;
    Ints strides;
    const char* padding;
    const char* epilogue;
  };
  std::vector<ConvCase> cases = {
      {{2, 5, 5, 3}, {3, 3, 3, 4}, {{4}}, {1, 1}, "VALID", "add,relu"},
      {{1, 6, 6, 2}, {3, 3, 2, 3}, {{3}}, {2, 2}, "SAME", "add,tanh"},
      {{2, 4, 4, 2}, {3, 3, 2, 2}, {{2}, {2, 2, 2, 2}}, {1, 1}, "VALID", "add,add,relu"},
      {{1, 5, 5, 1}, {3, 3, 1, 2}, {}, {1, 1}, "SAME", "sigmoid"},
      {{4, 12, 12, 8}, {3, 3, 8, 16}, {{16}}, {1, 1}, "VALID", "add,relu"},
  };
  std::vector<OpSample> out;
  uint32_t seed = 51;
  for (const ConvCase& c : cases) {
    OpSample s{absl::StrCat(c.x.to_string(), " * ", c.k.to_string(), " ", c.padding, " {",
                            c.epilogue, "}"),
               {TestTensor(c.x, d, -1, 1, seed++), TestTensor(c.k, d, -1, 1, seed++)},
               ConvAttrs(c.strides, c.padding, c.epilogue)};
    for (const Shape& o : c.operands) s.inputs.push_back(TestTensor(o, d, -1, 1, seed++));
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<ErrorCase> FusedConv2DErrors() {
  Tensor x = TestTensor({1, 5, 5, 1}, DType::kFloat32),
         k = TestTensor({3, 3, 1, 2}, DType::kFloat32);
  return {
      {"add without operand", {x, k}, ConvAttrs({1, 1}, "VALID", "add"), "adds more operands"},
      {"bias of the wrong size",
       {x, k, TestTensor({3}, DType::kFloat32)},
       ConvAttrs({1, 1}, "VALID", "add"),
       "[fused_conv2d]"},
      {"producer error", {x, k}, ConvAttrs({1, 1}, "FOO", ""), "unknown padding 'FOO'"},
  };
}

DUET_OPINFO(.op = "fused_conv2d", .dtypes = kFloats, .samples = FusedConv2DSamples,
            .reference = RefFused("conv2d"), .errors = FusedConv2DErrors, .rtol = 1e-4,
            .atol = 1e-4);

}  // namespace
}  // namespace duet::testing
