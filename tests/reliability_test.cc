// Issue 13's defect classes, one test each (each failed or crashed before its fix): shape
// overflow, integer arithmetic edge cases, undefined tensors, custom gradients and loops that
// were silently accepted, special files and raw bytes in .npy errors, function re-entry and
// call-site lines, and errors that lacked the user's line.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/bad_input/bad_input.h"

namespace duet {
namespace {

constexpr int64_t kBig = int64_t{1} << 40;
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

// ---- element-count and byte-size overflow ------------------------------------------------
TEST(Overflow, FactoriesRejectShapesWhoseSizeOverflows) {
  EXPECT_BAD_INPUT(zeros({kBig, kBig}), "[zeros]", "(1099511627776, 1099511627776)",
                   "overflows int64");
  EXPECT_BAD_INPUT(ones({kBig, kBig, 2, kBig}, DType::kInt32), "[ones]", "overflows int64");
  EXPECT_EQ(zeros({kBig, kBig, 0}).num_elements(), 0);  // a zero dim makes any product 0
  EXPECT_BAD_INPUT(fill({int64_t{1} << 62}, 1.0), "[fill]", "tensor limit");
  EXPECT_BAD_INPUT(zeros({int64_t{1} << 37}, DType::kFloat64), "[zeros]", "float64",
                   "tensor limit");
}

TEST(Overflow, ShapeFunctionsRejectOverflowingShapes) {
  Tensor empty = zeros({0});
  EXPECT_BAD_INPUT(reshape(empty, {int64_t{1} << 62, 4}), "[reshape]",
                   "overflows int64");  // wrapped to 0 before
  EXPECT_BAD_INPUT(reshape(zeros({4}), {kBig, kBig, -1}), "[reshape]", "overflows int64");
  EXPECT_BAD_INPUT(broadcast_to(zeros({1}), {kBig, kBig}), "[broadcast_to]", "overflows int64");
  EXPECT_BAD_INPUT(broadcast_to(zeros({1}), {kBig}), "[broadcast_to]", "tensor limit");
  EXPECT_BAD_INPUT(pad(zeros({2}), {kI64Max, 1}), "[pad]", "overflow");
  EXPECT_BAD_INPUT(pad(zeros({2}), {kBig, 0}), "[pad]", "tensor limit");
  EXPECT_BAD_INPUT(slice(zeros({4}), {2}, {kI64Max}), "[slice]",
                   "out of range");  // b + size wrapped before
  Tensor wide = zeros({0, int64_t{1} << 62});
  EXPECT_BAD_INPUT(concat({wide, wide}, 1), "[concat]", "past int64");
  EXPECT_BAD_INPUT(one_hot(zeros({kBig}, DType::kInt32), 1 << 20), "[zeros]");
  Tensor idx = reshape(constant({0, 1}), {2, 1});
  EXPECT_BAD_INPUT(one_hot(broadcast_to(idx, {2, 1 << 20}), 1 << 30), "[one_hot]", "tensor limit");
}

TEST(Overflow, CheckedNumElements) {
  EXPECT_EQ(*CheckedNumElements(Shape{2, 3}), 6);
  EXPECT_EQ(*CheckedNumElements(Shape{2, -1}), -1);
  EXPECT_EQ(*CheckedNumElements(Shape{}), 1);
  EXPECT_FALSE(CheckedNumElements(Shape{kBig, kBig}).ok());
  EXPECT_FALSE(CheckedNumElements(Shape{2, -2}).ok());
  EXPECT_EQ(Shape({kBig, kBig}).num_elements(), kI64Max);  // saturates, never wraps
  EXPECT_FALSE(CheckAllocatable(Shape{int64_t{1} << 61}, 8).ok());
  EXPECT_TRUE(CheckAllocatable(Shape{1024}, 8).ok());
}

TEST(Overflow, NpyHeaderWithAHugeShapeIsAnError) {
  std::string path = TempPath("huge_shape.npy");
  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4), }";
  std::string header =
      std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(dict.size()) + '\0' + dict;
  std::ofstream(path, std::ios::binary) << header << std::string(16, '\0');
  EXPECT_BAD_INPUT(load_npy(path), "[load_npy]", "overflows int64");
}

// ---- integer arithmetic --------------------------------------------------------------------
TEST(IntegerArithmetic, MinOverMinusOneWrapsInsteadOfTrapping) {
  Tensor min32 = constant(INT32_MIN), m1 = constant(-1);
  EXPECT_EQ(div(min32, m1).item<int32_t>(), INT32_MIN);
  EXPECT_EQ(floor_mod(min32, m1).item<int32_t>(), 0);
  Tensor min64 = constant(std::numeric_limits<int64_t>::min()), m164 = constant(int64_t{-1});
  EXPECT_EQ(div(min64, m164).item<int64_t>(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(floor_mod(min64, m164).item<int64_t>(), 0);
  EXPECT_EQ(div(constant({-7, 7}), constant({2, -2})).to_vector<int32_t>(),
            (std::vector<int32_t>{-4, -4}));
  EXPECT_EQ(floor_mod(constant({-7, 7}), constant({2, -2})).to_vector<int32_t>(),
            (std::vector<int32_t>{1, -1}));
}

TEST(IntegerArithmetic, DivisionByZeroIsAnError) {
  EXPECT_BAD_INPUT(div(constant({1, 2}), constant({1, 0})), "[div]", "integer division by zero");
  EXPECT_BAD_INPUT(floor_mod(constant(int64_t{5}), constant(int64_t{0})), "[floor_mod]",
                   "integer division by zero");
}

TEST(IntegerArithmetic, OverflowWrapsLikeTF) {
  Tensor max32 = constant(INT32_MAX), min32 = constant(INT32_MIN);
  EXPECT_EQ(add(max32, 1).item<int32_t>(), INT32_MIN);
  EXPECT_EQ(sub(min32, 1).item<int32_t>(), INT32_MAX);
  EXPECT_EQ(mul(max32, 2).item<int32_t>(), -2);
  EXPECT_EQ(neg(min32).item<int32_t>(), INT32_MIN);
  EXPECT_EQ(abs(min32).item<int32_t>(), INT32_MIN);
  EXPECT_EQ(square(constant(65536)).item<int32_t>(), 0);
  EXPECT_EQ(pow(constant(2), constant(31)).item<int32_t>(), INT32_MIN);
  EXPECT_EQ(reduce_sum(constant({INT32_MAX, 1})).item<int32_t>(), INT32_MIN);
  int64_t max64 = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(add(constant(max64), constant(int64_t{1})).item<int64_t>(),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(reduce_sum(constant(std::vector<int64_t>{max64, 1})).item<int64_t>(),
            std::numeric_limits<int64_t>::min());
  Tensor m = constant({{65536, 65536}});
  EXPECT_EQ(matmul(m, transpose(m)).item<int32_t>(), 0);  // 2 * 2^32 wraps to 0
  Variable v(constant(INT32_MAX), "counter");
  v.assign_add(1);
  EXPECT_EQ(v.value().item<int32_t>(), INT32_MIN);
}

// ---- undefined tensors ---------------------------------------------------------------------
TEST(Undefined, AccessorsThrowAndDefinedAnswers) {
  Tensor none;
  EXPECT_FALSE(none.defined());
  EXPECT_BAD_INPUT(none.shape(), "[Tensor::shape]", "undefined", "gradient that does not exist");
  EXPECT_BAD_INPUT(none.dtype(), "[Tensor::dtype]", "undefined");
  EXPECT_BAD_INPUT(none.rank(), "[Tensor::rank]", "undefined");
  EXPECT_BAD_INPUT(none.num_elements(), "[Tensor::num_elements]", "undefined");
  EXPECT_BAD_INPUT(none.spec(), "[Tensor::spec]", "undefined");
  EXPECT_BAD_INPUT(none.item<float>(), "[item]", "undefined");
  std::ostringstream os;
  os << none;  // printing answers, as for TF's None
  EXPECT_EQ(os.str(), "duet.Tensor(<undefined>)");
}

TEST(Undefined, OpsLossesAndFunctionsThrow) {
  Variable w(constant(2.f), "w");
  GradientTape tape;
  Tensor unrelated = constant(1.f) * 3.f;
  Tensor none = tape.gradient(unrelated, w);  // a "None" gradient
  ASSERT_FALSE(none.defined());
  Tensor x = constant({1.f, 2.f});
  EXPECT_BAD_INPUT(none + 1.f, "[add] input 0",
                   "undefined tensor (e.g. a gradient that does not exist)");
  EXPECT_BAD_INPUT(add(x, none), "[add] input 1", "undefined tensor");
  EXPECT_BAD_INPUT(matmul(none, x), "[matmul]", "undefined");
  EXPECT_BAD_INPUT(reduce_sum(none), "[reduce_sum]", "undefined");
  EXPECT_BAD_INPUT(reshape(none, {2}), "[reshape]", "undefined");
  EXPECT_BAD_INPUT(concat({x, none}, 0), "[concat]", "undefined");
  EXPECT_BAD_INPUT(losses::mean_squared_error(none, x), "undefined");
  EXPECT_BAD_INPUT(losses::sparse_softmax_cross_entropy(constant({0}), none), "undefined");
  auto f = function([](Tensor a) { return a * 2.f; });
  EXPECT_BAD_INPUT(f(none), "undefined");
  EXPECT_BAD_INPUT(Variable(none), "[Variable]", "undefined");
}

// ---- silently accepted input ---------------------------------------------------------------
// The error names the line where the custom_gradient was made (and what was wrong).
void ExpectGradientError(const std::function<Tensor(Tensor)>& f, int line,
                         const std::string& want) {
  Tensor x = constant({1.f, 2.f});
  GradientTape tape;
  tape.watch(x);
  Tensor y = f(x);
  try {
    tape.gradient(y, x);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("[custom_gradient]"), std::string::npos) << m;
    EXPECT_NE(m.find(want), std::string::npos) << m;
    EXPECT_NE(m.find("(at tests/reliability_test.cc:" + std::to_string(line) + ")"),
              std::string::npos)
        << m;
  }
  testing::ExpectHealthy();
}

TEST(CustomGradient, WrongDtypeOrShapeIsAnError) {
  auto to_f64 = [](Tensor dy) { return std::vector<Tensor>{cast(dy, DType::kFloat64)}; };
  auto three = [](Tensor) { return std::vector<Tensor>{constant({1.f, 2.f, 3.f})}; };
  auto wrong_dtype = custom_gradient([&](Tensor a) { return std::pair{a * 2.f, to_f64}; });
  int dtype_line = __LINE__ - 1;
  auto wrong_shape = custom_gradient([&](Tensor a) { return std::pair{a * 2.f, three}; });
  int shape_line = __LINE__ - 1;
  ExpectGradientError(wrong_dtype, dtype_line,
                      "returned float64(2,) for input 0, which is float32(2,)");
  ExpectGradientError(wrong_shape, shape_line, "returned float32(3,) for input 0");
}

TEST(WhileLoop, NoLoopVariablesIsAnError) {
  auto cond_fn = [](const std::vector<Tensor>&) { return constant(true); };
  auto body = [](const std::vector<Tensor>& v) { return v; };
  EXPECT_BAD_INPUT(while_loop(cond_fn, body, {}), "[while_loop]", "at least one loop variable");
  auto f = function([&](Tensor x) {
    while_loop(cond_fn, body, {});  // the error names this line
    return x;
  });
  int line = __LINE__ - 3;
  try {
    f(constant(1.f));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(
        std::string(e.what()).find("(at tests/reliability_test.cc:" + std::to_string(line) + ")"),
        std::string::npos)
        << e.what();
  }
  testing::ExpectHealthy();
}

// ---- files ---------------------------------------------------------------------------------
TEST(Npy, FifoAndDevicesAreRefusedWithoutBlocking) {
  std::string fifo = TempPath("pipe.npy");
  ::unlink(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_BAD_INPUT(load_npy(fifo), "[load_npy]", "not a regular file");  // blocked forever before
  EXPECT_BAD_INPUT(load_npy("/dev/zero"), "[load_npy]", "not a regular file");
  EXPECT_BAD_INPUT(load_npy(TempPath("")), "[load_npy]", "not a regular file");  // a directory
}

TEST(Npy, HeaderBytesInMessagesAreEscaped) {
  std::string path = TempPath("nul.npy");
  const char raw[] = "{'descr': '<f\0\x01', 'fortran_order': False, 'shape': (2,), }";
  std::string dict(raw, sizeof(raw) - 1);
  std::string header =
      std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(dict.size()) + '\0' + dict;
  std::ofstream(path, std::ios::binary) << header << std::string(8, '\0');
  // Before, the NUL ended the message: no dtype after it and no "(at file:line)".
  EXPECT_BAD_INPUT(load_npy(path), "[load_npy]", "unsupported dtype '<f\\x00\\x01'");
}

// ---- function --------------------------------------------------------------------------------
TEST(Function, GraphTextInsideItsOwnTraceIsAnErrorNotADeadlock) {
  std::function<std::string(Tensor)> ask;
  auto f = function([&](Tensor x) {
    ask(x);
    return x + 1.f;
  });
  int traced = -1;
  ask = [&](Tensor x) {
    traced = f.tracing_count();  // answers inside the trace
    f.explain_retrace();
    return f.graph_text(x);  // hung forever before
  };
  int line = __LINE__ - 2;
  try {
    f(constant(1.f));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("[function function]"), std::string::npos) << m;
    EXPECT_NE(m.find("inside its own trace"), std::string::npos) << m;
    EXPECT_NE(m.find("(at tests/reliability_test.cc:" + std::to_string(line) + ")"),
              std::string::npos)
        << m;
  }
  EXPECT_EQ(traced, 1);
  ask = [](Tensor) { return std::string(); };
  EXPECT_EQ(f(constant(1.f)).item<float>(), 2.f);  // the function still works
  EXPECT_NE(f.graph_text(constant(1.f)).find("duet.add"), std::string::npos);
}

TEST(Function, CallErrorsNameTheCallersLine) {
  auto f =
      function([](Tensor x) { return matmul(x, x); }, {TensorSpec(Shape{2, 2}, DType::kFloat32)});
  EXPECT_BAD_INPUT(f(zeros({3, 3})), "[function function] argument 0", "TensorSpec");
  auto g = function([](Tensor x, Tensor y) { return div(x, y); });
  EXPECT_BAD_INPUT(g(constant({1, 2}), constant({1, 0})), "[div]", "integer division by zero");
  auto h = function([](Tensor x) { return x; });
  EXPECT_BAD_INPUT(h.graph_text(Tensor()), "undefined");
}

// ---- errors that lacked the user's line -------------------------------------------------------
TEST(UserLine, ConversionsInsideATraceNameWhereTheTensorWasMade) {
  auto uses_bool = function([](Tensor x) {
    if (x > 0.f) return x;  // the line of `x > 0.f`
    return -x;
  });
  int line = __LINE__ - 3;
  auto prints = function([](Tensor x) {
    Tensor y = x * 2.f;
    std::cout << y;
    return y;
  });
  int print_line = __LINE__ - 4;
  for (auto [fn, want] :
       {std::pair<std::function<void()>, int>{[&] { uses_bool(constant(1.f)); }, line},
        {[&] { prints(constant(1.f)); }, print_line}}) {
    try {
      fn();
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("reliability_test.cc:" + std::to_string(want)),
                std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find("symbolic"), std::string::npos) << e.what();
    }
  }
}

TEST(UserLine, EmptyVariableAccessors) {
  Variable empty;
  EXPECT_BAD_INPUT(empty.name(), "[Variable::name]", "empty");
  EXPECT_BAD_INPUT(empty.dtype(), "[Variable::dtype]", "empty");
  EXPECT_BAD_INPUT(empty.shape(), "[Variable::shape]", "empty");
  EXPECT_BAD_INPUT(empty.trainable(), "[Variable::trainable]", "empty");
  EXPECT_BAD_INPUT(empty.value(), "[read_variable]", "empty");
  EXPECT_BAD_INPUT(empty.assign_add(1.f), "[assign_add]", "empty");
  std::ostringstream os;
  os << empty;
  EXPECT_EQ(os.str(), "duet.Variable(<empty>)");
}

}  // namespace
}  // namespace duet
