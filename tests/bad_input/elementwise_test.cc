// Bad-input catalogue, elementwise family (binary, unary, comparison, cast, where): wrong dtype,
// impossible broadcasts, unrepresentable numbers, integer division by zero, undefined and
// oversized inputs. Each case names the op and this file's line; the runtime stays healthy.
#include "tests/bad_input/bad_input.h"

namespace duet {
namespace {

Tensor F() { return constant({{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}}); }  // float32 (2, 3)
Tensor I() { return constant({1, 2, 3}); }                             // int32 (3,)

TEST(BadInputElementwise, DType) {
  EXPECT_BAD_INPUT(add(F(), I()), "[add]", "float32", "int32");
  EXPECT_BAD_INPUT(sub(I(), constant(1.0)), "[sub]", "int32", "float64");
  EXPECT_BAD_INPUT(mul(constant(true), constant(true)), "[mul]", "bool");
  EXPECT_BAD_INPUT(exp(I()), "[exp]", "int32");
  EXPECT_BAD_INPUT(log(constant(true)), "[log]", "bool");
  EXPECT_BAD_INPUT(sqrt(I()), "[sqrt]", "int32");
  EXPECT_BAD_INPUT(tanh(I()), "[tanh]", "int32");
  EXPECT_BAD_INPUT(logical_and(I(), I()), "[logical_and]", "int32");
  EXPECT_BAD_INPUT(logical_not(F()), "[logical_not]", "float32");
  EXPECT_BAD_INPUT(where(I(), F(), F()), "[where]", "int32");
  EXPECT_BAD_INPUT(where(constant(true), F(), I()), "[where]", "float32", "int32");
  EXPECT_BAD_INPUT(maximum(F(), I()), "[maximum]", "float32", "int32");
}

TEST(BadInputElementwise, Broadcast) {
  EXPECT_BAD_INPUT(add(F(), constant({1.f, 2.f})), "[add]", "(2, 3)", "(2,)");
  EXPECT_BAD_INPUT(F() * zeros({4, 3}), "[mul]", "(4, 3)");
  EXPECT_BAD_INPUT(less(F(), zeros({3, 2})), "[less]", "(3, 2)");
  EXPECT_BAD_INPUT(where(constant({true, false}), F(), F()), "[where]", "(2,)");
  EXPECT_BAD_INPUT(floor_mod(zeros({2, 1, 5}), zeros({3, 4})), "[floor_mod]", "(3, 4)");
}

TEST(BadInputElementwise, Numbers) {
  EXPECT_BAD_INPUT(I() + 1.5, "[add]", "1.5", "int32");
  EXPECT_BAD_INPUT(I() * 1e10, "[mul]", "int32");
  EXPECT_BAD_INPUT(constant(int64_t{1}) - 0.5, "[sub]", "int64");
}

TEST(BadInputElementwise, IntegerDivisionAndPowers) {
  EXPECT_BAD_INPUT(div(I(), constant({1, 0, 1})), "[div]", "division by zero");
  EXPECT_BAD_INPUT(I() / 0, "[div]", "division by zero");
  EXPECT_BAD_INPUT(floor_mod(I(), 0), "[floor_mod]", "division by zero");
  EXPECT_BAD_INPUT(pow(I(), constant({1, -1, 2})), "[pow]", "negative");
}

TEST(BadInputElementwise, Undefined) {
  Tensor none;
  EXPECT_BAD_INPUT(add(none, F()), "[add] input 0", "undefined");
  EXPECT_BAD_INPUT(F() - none, "[sub] input 1", "undefined");
  EXPECT_BAD_INPUT(neg(none), "[neg]", "undefined");
  EXPECT_BAD_INPUT(exp(none), "[exp]", "undefined");
  EXPECT_BAD_INPUT(equal(none, 1), "[equal]", "undefined");
  EXPECT_BAD_INPUT(where(none, F(), F()), "[where]", "undefined");
  EXPECT_BAD_INPUT(cast(none, DType::kInt32), "[cast]", "undefined");
  EXPECT_BAD_INPUT(none > 0.f, "[greater]", "undefined");
}

TEST(BadInputElementwise, OversizedAndEmpty) {
  constexpr int64_t kBig = int64_t{1} << 40;
  Tensor row = zeros({1, kBig / kBig});
  EXPECT_BAD_INPUT(add(zeros({kBig / 1024, 1}, DType::kInt32), zeros({1, 1 << 20}, DType::kInt32)), "[add]",
                   "tensor limit");
  EXPECT_BAD_INPUT(zeros({0, 3}) + zeros({2, 3}), "[add]", "(0, 3)", "(2, 3)");
  EXPECT_EQ((zeros({0, 3}) + 1.f).shape(), Shape({0, 3}));  // empty is fine
  EXPECT_EQ(row.num_elements(), 1);
}

}  // namespace
}  // namespace duet
