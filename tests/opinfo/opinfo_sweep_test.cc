// The OpInfo sweep: every registered op against its plain reference, over its samples and
// dtypes, plus its error cases. A registered op without an OpInfo entry fails here.
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

bool Close(double got, double want, double rtol, double atol) {
  if (std::isnan(want)) return std::isnan(got);
  if (std::isinf(want)) return got == want;
  return std::abs(got - want) <= atol + rtol * std::abs(want);
}

class OpInfoSweep : public ::testing::TestWithParam<std::string> {};

TEST_P(OpInfoSweep, EagerMatchesReference) {
  const OpDef* op = OpRegistry::Get().Find(GetParam());
  const OpInfo* info = FindOpInfo(GetParam());
  ASSERT_NE(info, nullptr) << "op '" << GetParam()
                           << "' has no OpInfo entry (tests/opinfo/<family>_info.cc)";
  int checked = 0;
  for (DType dtype : info->dtypes) {
    for (const OpSample& sample : info->samples(dtype)) {
      SCOPED_TRACE(absl::StrCat(op->name, " ", DTypeName(dtype), " sample ", sample.name));
      absl::StatusOr<TensorList> got = Dispatch(*op, sample.inputs, sample.attrs, Loc::current());
      ASSERT_TRUE(got.ok()) << got.status();
      std::vector<Tensor> outs(got->begin(), got->end());
      if (info->check) {
        std::string problem = info->check(sample, outs);
        EXPECT_EQ(problem, "");
      }
      if (!info->compare_values) {
        ++checked;
        continue;
      }
      std::vector<RefTensor> want = info->reference(sample);
      ASSERT_EQ(outs.size(), want.size());
      for (size_t k = 0; k < want.size(); ++k) {
        EXPECT_EQ(outs[k].shape(), want[k].shape);
        EXPECT_EQ(outs[k].dtype(), want[k].dtype)
            << DTypeName(outs[k].dtype()) << " vs " << DTypeName(want[k].dtype);
        if (outs[k].shape() != want[k].shape) continue;
        std::vector<double> vals = Values(outs[k]);
        bool f64 = want[k].dtype == DType::kFloat64;
        double rtol = f64 ? 1e-12 : info->rtol, atol = f64 ? 1e-12 : info->atol;
        if (!IsFloating(want[k].dtype)) rtol = atol = 0;
        int bad = 0;
        for (size_t i = 0; i < vals.size() && bad < 5; ++i)
          if (!Close(vals[i], want[k].values[i], rtol, atol)) {
            ++bad;
            ADD_FAILURE() << "output " << k << " element " << i << ": got " << vals[i] << ", want "
                          << want[k].values[i];
          }
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 0) << "no samples ran";
}

TEST_P(OpInfoSweep, BadInputGivesAnErrorNamingTheOpAndKeepsWorking) {
  const OpDef* op = OpRegistry::Get().Find(GetParam());
  const OpInfo* info = FindOpInfo(GetParam());
  ASSERT_NE(info, nullptr);
  if (!info->errors) GTEST_SKIP() << "no error cases declared for " << op->name;
  for (const ErrorCase& e : info->errors()) {
    SCOPED_TRACE(e.name);
    absl::StatusOr<TensorList> got = Dispatch(*op, e.inputs, e.attrs, Loc::current());
    ASSERT_FALSE(got.ok()) << "expected an error";
    std::string msg(got.status().message());
    EXPECT_NE(msg.find("[" + op->name + "]"), std::string::npos) << msg;
    EXPECT_NE(msg.find(e.message), std::string::npos) << msg << "\n  should contain: " << e.message;
  }
  // The op still works afterwards.
  OpSample first = info->samples(info->dtypes[0])[0];
  EXPECT_TRUE(Dispatch(*op, first.inputs, first.attrs, Loc::current()).ok());
}

INSTANTIATE_TEST_SUITE_P(AllOps, OpInfoSweep, ::testing::ValuesIn(RegisteredOpNames()),
                         [](const auto& info) { return info.param; });

TEST(OpInfoTable, EveryEntryNamesARegisteredOp) {
  for (const OpInfo* info : OpInfoTable())
    EXPECT_NE(OpRegistry::Get().Find(info->op), nullptr) << info->op;
}

}  // namespace
}  // namespace duet::testing
