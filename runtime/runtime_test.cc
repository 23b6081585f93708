#include <sstream>

#include "gtest/gtest.h"
#include "runtime/allocator.h"
#include "runtime/op_registry.h"
#include "runtime/tensor_factory.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

TEST(Shape, BasicsAndPrinting) {
  Shape s{2, 3};
  EXPECT_EQ(s.rank(), 2);
  EXPECT_EQ(s.num_elements(), 6);
  EXPECT_EQ(s.to_string(), "(2, 3)");
  EXPECT_EQ(Shape{}.to_string(), "()");
  EXPECT_EQ(Shape{4}.to_string(), "(4,)");
  EXPECT_EQ(Shape({2, -1}).num_elements(), -1);
  EXPECT_EQ(Shape(std::vector<int64_t>{1, 2}).dims(), (std::vector<int64_t>{1, 2}));
}

TEST(Allocator, AlignedAndCached) {
  void* p = AllocateHost(1000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kAlignment, 0u);
  FreeHost(p, 1000);
  int64_t hits = HostAllocatorStats().cache_hits;
  void* q = AllocateHost(1000);
  EXPECT_EQ(q, p);
  EXPECT_EQ(HostAllocatorStats().cache_hits, hits + 1);
  FreeHost(q, 1000);
}

TEST(Tensor, ConstantsTakeTheirCppType) {
  Tensor a = constant({{1, 2}, {3, 4}});
  EXPECT_EQ(a.dtype(), DType::kInt32);
  EXPECT_EQ(a.shape(), (Shape{2, 2}));
  EXPECT_EQ(a.to_vector<int32_t>(), (std::vector<int32_t>{1, 2, 3, 4}));
  EXPECT_EQ(constant({1.5f, 2.0f}).dtype(), DType::kFloat32);
  EXPECT_EQ(constant(3.0).dtype(), DType::kFloat64);
  EXPECT_EQ(constant(3.0f).rank(), 0);
  EXPECT_EQ(constant(int64_t{3}).dtype(), DType::kInt64);
  EXPECT_EQ(constant({true, false}).dtype(), DType::kBool);
  Tensor v = constant(std::vector<float>{1, 2, 3, 4, 5, 6}, Shape{2, 3});
  EXPECT_EQ(v.shape(), (Shape{2, 3}));
  EXPECT_EQ(zeros({3, 4}).dtype(), DType::kFloat32);
  EXPECT_EQ(ones({2}, DType::kInt64).to_vector<int64_t>(), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(std::string(a.device()), "/cpu:0");
}

TEST(Tensor, ReadingErrorsNameTheProblemAndLine) {
  Tensor a = constant({1, 2});
  try {
    (void)a.item<int32_t>();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[item]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(2,)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("runtime_test.cc:"), std::string::npos) << e.what();
  }
  EXPECT_ERROR((void)a.to_vector<float>(), "[to_vector] requested float32");
  EXPECT_ERROR(constant({{1, 2}, {3}}), "[constant]");
  EXPECT_ERROR(constant(std::vector<float>{1, 2, 3}, Shape{2, 2}), "[constant]");
  EXPECT_EQ(a.to_vector<int32_t>().size(), 2u);  // still usable afterwards
}

TEST(Tensor, SymbolicTensorsCannotBeRead) {
  Tensor s = Tensor::Symbolic({Shape{2}, DType::kFloat32});
  EXPECT_TRUE(s.is_symbolic());
  EXPECT_ERROR((void)s.to_vector<float>(), "[to_vector] cannot read the value of symbolic");
}

TEST(Tensor, HalfAndBFloat16RoundTrip) {
  for (float f : {0.f, 1.f, -2.5f, 65504.f, 6.1035156e-05f, 5.9604645e-08f})
    EXPECT_EQ(float(Half(f)), f) << f;
  EXPECT_EQ(float(BFloat16(1.5f)), 1.5f);
  EXPECT_EQ(float(Half(1e6f)), std::numeric_limits<float>::infinity());
}

}  // namespace
}  // namespace duet
