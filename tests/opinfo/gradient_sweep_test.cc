// The gradient sweep: every op declares a gradient rule or "not differentiable"; every
// differentiable op's analytic gradient (GradientTape) matches central finite differences in
// float64 over its OpInfo samples (broadcasting and reduction cases included).
#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "api/duet.h"
#include "gtest/gtest.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

constexpr int64_t kMaxElements = 400;  // finite differences cost 2 forward runs per element
constexpr double kEps = 1e-6;

std::vector<std::string> DifferentiableOps() {
  std::vector<std::string> names;
  for (const OpDef* op : OpRegistry::Get().ops())
    if (op->gradient_kind == GradientKind::kDefined) names.push_back(op->name);
  return names;
}

Tensor Copy(const Tensor& t) {
  Tensor c = Tensor::Empty(t.spec());
  std::memcpy(c.mutable_raw_data(), t.raw_data(), t.num_bytes());
  return c;
}

// <r, op(inputs)[0]>: the scalar whose gradient we compare.
double Projected(const OpDef& op, const std::vector<Tensor>& inputs, const Attrs& attrs,
                 const Tensor& r) {
  TensorList out = *Dispatch(op, inputs, attrs, Loc::current());
  std::vector<double> y = Values(out[0]), w = Values(r);
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += y[i] * w[i];
  return s;
}

TEST(GradientSlots, EveryOpDeclaresAGradientOrItsAbsence) {
  std::vector<std::string> missing;
  for (const OpDef* op : OpRegistry::Get().ops())
    if (op->gradient_kind == GradientKind::kUnspecified) missing.push_back(op->name);
  EXPECT_TRUE(missing.empty()) << "ops with neither .Gradient() nor .NotDifferentiable(): "
                               << ::testing::PrintToString(missing);
}

class GradientSweep : public ::testing::TestWithParam<std::string> {};

TEST_P(GradientSweep, AnalyticMatchesFiniteDifferencesInFloat64) {
  const OpDef& op = *OpRegistry::Get().Find(GetParam());
  const OpInfo* info = FindOpInfo(GetParam());
  ASSERT_NE(info, nullptr);
  ASSERT_NE(std::find(info->dtypes.begin(), info->dtypes.end(), DType::kFloat64),
            info->dtypes.end())
      << "a differentiable op's OpInfo entry must run float64 samples";
  int checked = 0;
  for (const OpSample& sample : info->samples(DType::kFloat64)) {
    int64_t total = 0;
    for (const Tensor& t : sample.inputs) total += t.num_elements();
    if (total > kMaxElements || total == 0) continue;
    SCOPED_TRACE(absl::StrCat(op.name, " sample ", sample.name));
    std::vector<Tensor> inputs = sample.inputs;
    TensorList out0 = *Dispatch(op, inputs, sample.attrs, Loc::current());
    // The check is in float64: other output dtypes (casts) and non-finite inputs are skipped.
    if (out0[0].dtype() != DType::kFloat64) continue;
    bool finite = true;
    for (const Tensor& t : inputs)
      for (double v : Values(t)) finite = finite && std::isfinite(v);
    if (!finite) continue;
    Tensor r = TestTensor(out0[0].shape(), out0[0].dtype(), -1, 1, 99);
    // Analytic.
    std::vector<Tensor> analytic;
    {
      GradientTape tape;
      for (const Tensor& x : inputs)
        if (IsFloating(x.dtype())) tape.watch(x);
      TensorList out = *Dispatch(op, inputs, sample.attrs, Loc::current());
      std::vector<GradSource> sources(inputs.begin(), inputs.end());
      std::vector<GradSource> float_sources;
      for (const Tensor& x : inputs)
        if (IsFloating(x.dtype())) float_sources.emplace_back(x);
      analytic = tape.gradient(out[0], float_sources, r);
    }
    // Numeric, per floating input and element.
    size_t k = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!IsFloating(inputs[i].dtype())) continue;
      const Tensor& g = analytic[k++];
      std::vector<double> got =
          g.defined() ? Values(g) : std::vector<double>(inputs[i].num_elements(), 0.0);
      if (g.defined()) {
        ASSERT_EQ(g.shape(), inputs[i].shape()) << "input " << i;
      }
      for (int64_t j = 0; j < inputs[i].num_elements(); ++j) {
        std::vector<Tensor> plus = inputs, minus = inputs;
        plus[i] = Copy(inputs[i]);
        minus[i] = Copy(inputs[i]);
        plus[i].mutable_data<double>()[j] += kEps;
        minus[i].mutable_data<double>()[j] -= kEps;
        double numeric =
            (Projected(op, plus, sample.attrs, r) - Projected(op, minus, sample.attrs, r)) /
            (2 * kEps);
        EXPECT_NEAR(got[j], numeric, 1e-6 + 1e-5 * std::abs(numeric))
            << "input " << i << " element " << j;
      }
    }
    ++checked;
  }
  EXPECT_GT(checked, 0) << "no float64 sample small enough to check";
}

INSTANTIATE_TEST_SUITE_P(DifferentiableOps, GradientSweep, ::testing::ValuesIn(DifferentiableOps()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace duet::testing
