// Bad input through the public API: each case throws duet::Error whose message names the op,
// the offending shapes/dtypes and this file's line, and the program keeps working afterwards.
#include <cstdio>
#include <fstream>
#include <functional>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

// Runs `fn`, expecting an Error that contains every piece and "errors_test.cc:<line>".
void ExpectError(int line, const std::function<void()>& fn, std::vector<std::string> pieces) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected one containing " << pieces[0];
  } catch (const Error& e) {
    std::string m = e.what();
    pieces.push_back("errors_test.cc:" + std::to_string(line));
    for (const std::string& p : pieces)
      EXPECT_NE(m.find(p), std::string::npos) << "message: " << m << "\nmissing: " << p;
  }
  // The runtime is still healthy.
  EXPECT_EQ((constant({1, 2}) + 1).to_vector<int32_t>(), (std::vector<int32_t>{2, 3}));
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

TEST(Errors, ShapeMismatchInMatmul) {
  Tensor a = zeros({2, 3}), b = zeros({4, 5});
  ExpectError(__LINE__, [&] { matmul(a, b); }, {"[matmul]", "(2, 3)", "(4, 5)"});
}

TEST(Errors, ImpossibleBroadcast) {
  Tensor a = zeros({2, 3}), b = zeros({4});
  ExpectError(__LINE__, [&] { a* b; }, {"[mul]", "cannot broadcast", "(2, 3)", "(4,)"});
}

TEST(Errors, WrongRank) {
  Tensor x = zeros({3, 4}), f = zeros({3, 3, 1, 1});
  ExpectError(__LINE__, [&] { conv2d(x, f, {1, 1}, "SAME"); }, {"[conv2d]", "rank 4", "(3, 4)"});
}

TEST(Errors, DTypeMismatch) {
  Tensor a = constant({1.f, 2.f}), b = constant({1, 2});
  ExpectError(__LINE__, [&] { add(a, b); }, {"[add]", "float32", "int32"});
}

TEST(Errors, BadAxis) {
  Tensor x = zeros({2, 3});
  ExpectError(__LINE__, [&] { reduce_sum(x, {2}); }, {"[reduce_sum]", "axis", "(2, 3)"});
  ExpectError(__LINE__, [&] { softmax(x, 5); }, {"[softmax]", "axis", "(2, 3)"});
}

TEST(Errors, UnknownPadding) {
  Tensor x = zeros({1, 4, 4, 1}), f = zeros({3, 3, 1, 1});
  auto full = [&] { conv2d(x, f, {1, 1}, "FULL"); };
  ExpectError(__LINE__ - 1, full, {"[conv2d]", "FULL", "SAME", "VALID"});
  ExpectError(__LINE__, [&] { max_pool2d(x, {2, 2}, {2, 2}, "same"); }, {"[max_pool2d]", "same"});
}

TEST(Errors, ItemOfNonScalar) {
  Tensor x = zeros({2, 2});
  ExpectError(__LINE__, [&] { (void)x.item<float>(); }, {"[item]", "(2, 2)"});
}

TEST(Errors, NumberThatDoesNotFitTheTensorDType) {
  Tensor x = constant({1, 2});
  ExpectError(__LINE__, [&] { x + 1.5; }, {"[add]", "1.5", "int32"});
}

TEST(Errors, IntegerDivisionByZero) {
  Tensor x = constant({1, 2});
  ExpectError(__LINE__, [&] { x / 0; }, {"[div]", "division by zero"});
}

TEST(Errors, MissingNpy) {
  ExpectError(__LINE__, [&] { load_npy(TempPath("does_not_exist.npy")); },
              {"[load_npy]", "does_not_exist.npy"});
}

TEST(Errors, CorruptNpy) {
  std::string path = TempPath("corrupt.npy");
  std::ofstream(path) << "this is not a numpy file at all";
  ExpectError(__LINE__, [&] { load_npy(path); }, {"[load_npy]", "corrupt.npy"});
}

TEST(Errors, TruncatedNpy) {
  std::string path = TempPath("truncated.npy");
  save_npy(zeros({100}), path);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 40);
  ExpectError(__LINE__, [&] { load_npy(path); }, {"[load_npy]", "truncated.npy"});
}

}  // namespace
}  // namespace duet
