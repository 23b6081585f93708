// Devices and placement (issue 12) on the test device, a GPU stand-in that runs on the CPU
// (kernels/test_device): device names, explicit copies (and the no-op copy), placement by
// inputs and by DeviceScope (nested, per thread), the four device policies, missing kernels and
// missing devices, gradients through copies, and device memory released with the last handle.
#include <string>
#include <thread>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "kernels/test_device/test_device.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

const Device kTest0{DeviceType::kTest, 0};
const Device kTest1{DeviceType::kTest, 1};

// Sets the process's device policy for one test (enable_eager_execution allows one setting
// per process; tests need each).
class PolicyGuard {
 public:
  explicit PolicyGuard(DevicePolicy p) : saved_(Context::Get().options()) {
    ContextOptions o = saved_;
    o.device_policy = p;
    Context::Get().set_options(o);
  }
  ~PolicyGuard() { Context::Get().set_options(saved_); }

 private:
  ContextOptions saved_;
};

int64_t TestBytesInUse(int index = 0) {
  return FindDeviceMemory(DeviceType::kTest)->stats(index).bytes_in_use;
}

TEST(DeviceNames, ParseAsTensorFlowSpellsThem) {
  EXPECT_EQ(*ParseDevice("/cpu:0"), kCPU0);
  EXPECT_EQ(*ParseDevice("/gpu:1"), (Device{DeviceType::kGPU, 1}));
  EXPECT_EQ(*ParseDevice("/device:GPU:0"), (Device{DeviceType::kGPU, 0}));
  EXPECT_EQ(*ParseDevice("GPU:2"), (Device{DeviceType::kGPU, 2}));
  EXPECT_EQ(*ParseDevice("gpu"), (Device{DeviceType::kGPU, 0}));
  EXPECT_EQ(*ParseDevice("/device:CPU:0"), kCPU0);
  EXPECT_EQ(*ParseDevice("/test:1"), kTest1);
  for (const char* bad : {"tpu:0", "/gpu:-1", "/gpu:x", "/gpu:", "/cpu:0:1", ""})
    EXPECT_FALSE(ParseDevice(bad).ok()) << bad;
  EXPECT_ERROR(DeviceScope("/tpu:0"), "[DeviceScope] cannot parse device name '/tpu:0'");
  EXPECT_EQ(constant({1.f}).device(), "/cpu:0");
  EXPECT_EQ(Device(kTest1).to_string(), "/test:1");
  EXPECT_EQ(NumDevices(DeviceType::kCPU), 1);
  EXPECT_EQ(NumDevices(DeviceType::kTest), test_device::kNumTestDevices);
}

TEST(DeviceCopies, ExplicitCopiesMoveBytesAndReturnToTheHost) {
  Tensor x = constant({1.f, 2.f, 3.f});
  const test_device::CopyCounts before = test_device::Copies();
  Tensor y = x.to("/test:0");
  EXPECT_EQ(y.device(), "/test:0");
  EXPECT_TRUE(test_device::Owns(0, y.raw_data()));
  EXPECT_FALSE(test_device::Owns(0, x.raw_data()));
  EXPECT_EQ(test_device::Copies().to_device, before.to_device + 1);
  // Already there: the same handle, no copy.
  EXPECT_EQ(y.to("/device:TEST:0").impl(), y.impl());
  EXPECT_EQ(x.cpu().impl(), x.impl());
  EXPECT_EQ(test_device::Copies().to_device, before.to_device + 1);
  // Reading a device tensor copies it to the host.
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{1, 2, 3}));
  EXPECT_GE(test_device::Copies().to_host, before.to_host + 1);
  Tensor z = y.to("/test:1");
  EXPECT_TRUE(test_device::Owns(1, z.raw_data()));
  EXPECT_EQ(test_device::Copies().between, before.between + 1);
  EXPECT_EQ(z.cpu().device(), "/cpu:0");
  EXPECT_EQ(z.cpu().to_vector<float>(), (std::vector<float>{1, 2, 3}));
  std::ostringstream printed;
  printed << z;
  EXPECT_EQ(printed.str(), "duet.Tensor([1. 2. 3.], shape=(3,), dtype=float32)");
}

TEST(DeviceCopies, AMissingGpuIsNamed) {
  if (num_gpus() > 0) GTEST_SKIP() << "a CUDA device is present";
  EXPECT_ERROR(constant({1.f}).gpu(), "[copy_to_device] device /gpu:0 is not present");
  EXPECT_ERROR(constant({1.f}).to("/gpu:3"), "this process sees 0 GPU devices");
  EXPECT_ERROR(constant({1.f}).to("/test:7"), "device /test:7 is not present");
  EXPECT_ERROR(constant({1.f}).to("/quantum:0"), "[copy_to_device] cannot parse device name");
}

TEST(Placement, OpsRunWhereTheirInputsAre) {
  Tensor a = constant({{1.f, 2.f}, {3.f, 4.f}});
  Tensor at = a.to("/test:0");
  Tensor c = matmul(at, at) + at;
  EXPECT_EQ(c.device(), "/test:0");
  EXPECT_TRUE(test_device::Owns(0, c.raw_data()));
  EXPECT_EQ(c.to_vector<float>(), (matmul(a, a) + a).to_vector<float>());
  Tensor s = reduce_sum(at * 2.f);  // the number is a host scalar: it follows the op
  EXPECT_EQ(s.device(), "/test:0");
  EXPECT_EQ(s.item<float>(), 20.f);
  Tensor r = reshape(at, {4});  // a view stays on its device
  EXPECT_EQ(r.device(), "/test:0");
}

TEST(Placement, DeviceScopePlacesNestsAndIsPerThread) {
  Tensor a = constant({1.f, 2.f});
  {
    DeviceScope outer("/test:0");
    Tensor b = a + a;  // kSilent (the default): host inputs are copied to the scope's device
    EXPECT_EQ(b.device(), "/test:0");
    {
      DeviceScope inner("/test:1");
      EXPECT_EQ((a * a).device(), "/test:1");
      DeviceScope cpu("/cpu:0");
      EXPECT_EQ((b * b).device(), "/cpu:0");  // the test tensor is copied back
    }
    EXPECT_EQ((a - a).device(), "/test:0");
    Device seen_elsewhere = kTest0;
    std::thread([&] { seen_elsewhere = (a + a).device(); }).join();
    EXPECT_EQ(seen_elsewhere, kCPU0);
  }
  EXPECT_EQ((a + a).device(), "/cpu:0");
}

TEST(Placement, ExplicitRefusesCopiesButLetsScalarsFollow) {
  PolicyGuard policy(DevicePolicy::kExplicit);
  Tensor at = constant({1.f, 2.f, 3.f}).to("/test:0");
  Tensor host = constant({1.f, 1.f, 1.f});
  EXPECT_ERROR(at + host,
               "[add] input 1 (y) float32(3,) is on /cpu:0 but the op runs on /test:0; under "
               "DevicePolicy::kExplicit inputs are not copied");
  EXPECT_EQ((at * 2.f).device(), "/test:0");
  EXPECT_EQ((at + host.to("/test:0")).to_vector<float>(), (std::vector<float>{2, 3, 4}));
}

TEST(Placement, WarnCopiesAndSaysSoOncePerOpAndDevicePair) {
  PolicyGuard policy(DevicePolicy::kWarn);
  Tensor at = constant({1.f, 2.f}).to("/test:0");
  Tensor host = constant({1.f, 1.f});
  testing::internal::CaptureStderr();
  Tensor s1 = maximum(at, host);
  Tensor s2 = maximum(at, host);
  Tensor d = minimum(at, host);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(s2.to_vector<float>(), (std::vector<float>{1, 2}));
  EXPECT_EQ(d.device(), "/test:0");
  const std::string said = "[maximum] copies input y from /cpu:0 to /test:0";
  ASSERT_NE(err.find(said), std::string::npos) << err;
  EXPECT_EQ(err.find(said, err.find(said) + 1), std::string::npos) << "said twice: " << err;
  EXPECT_NE(err.find("[minimum] copies input y from /cpu:0 to /test:0"), std::string::npos) << err;
}

TEST(Placement, SilentCopiesWithoutAWord) {
  PolicyGuard policy(DevicePolicy::kSilent);
  Tensor at = constant({1.f, 2.f}).to("/test:0");
  testing::internal::CaptureStderr();
  Tensor s = at + constant({1.f, 1.f});
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(s.device(), "/test:0");
  EXPECT_EQ(s.to_vector<float>(), (std::vector<float>{2, 3}));
}

TEST(Placement, SilentForInt32CopiesOnlyInt32) {
  PolicyGuard policy(DevicePolicy::kSilentForInt32);
  Tensor it = constant({1, 2}).to("/test:0");
  EXPECT_EQ((it + constant({5, 5})).to_vector<int32_t>(), (std::vector<int32_t>{6, 7}));
  Tensor ft = constant({1.f, 2.f}).to("/test:0");
  EXPECT_ERROR(ft + constant({1.f, 1.f}), "under DevicePolicy::kSilentForInt32 inputs are not");
}

TEST(Placement, AnOpWithNoKernelThereIsNamed) {
  Tensor x = ones({1, 4, 4, 1}), k = ones({3, 3, 1, 1});
  EXPECT_ERROR(conv2d(x.to("/test:0"), k.to("/test:0"), {1, 1}, "SAME"),
               "[conv2d] has no test kernel for float32 (device /test:0)");
}

TEST(Placement, InAScopeAMissingKernelFallsBackToTheCpuPerPolicy) {
  Tensor x = ones({1, 4, 4, 1}), k = ones({3, 3, 1, 1});
  Tensor want = conv2d(x, k, {1, 1}, "SAME");
  {
    DeviceScope d("/test:0");
    Tensor y = conv2d(x, k, {1, 1}, "SAME");  // kSilent: runs on the CPU
    EXPECT_EQ(y.device(), "/cpu:0");
    EXPECT_EQ(y.to_vector<float>(), want.to_vector<float>());
  }
  {
    PolicyGuard policy(DevicePolicy::kWarn);
    DeviceScope d("/test:0");
    testing::internal::CaptureStderr();
    Tensor y = conv2d(x, k, {1, 1}, "SAME");
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("[conv2d] runs on the CPU instead of /test:0 (from a DeviceScope): the op "
                       "has no test kernel for float32"),
              std::string::npos)
        << err;
  }
  {
    PolicyGuard policy(DevicePolicy::kExplicit);
    DeviceScope d("/test:0");
    EXPECT_ERROR(conv2d(x, k, {1, 1}, "SAME"),
                 "[conv2d] cannot run on /test:0 (from a DeviceScope): the op has no test kernel "
                 "for float32; under DevicePolicy::kExplicit ops do not fall back to the CPU");
  }
}

TEST(Placement, AGpuScopeWithoutAGpuFollowsThePolicy) {
  if (num_gpus() > 0) GTEST_SKIP() << "a CUDA device is present";
  Tensor a = constant({1.f, 2.f});
  {
    DeviceScope d("/gpu:0");
    EXPECT_EQ((a + a).device(), "/cpu:0");  // kSilent
  }
  PolicyGuard policy(DevicePolicy::kExplicit);
  DeviceScope d("/gpu:0");
  EXPECT_ERROR(a + a,
               "[add] cannot run on /gpu:0 (from a DeviceScope): device /gpu:0 is not "
               "present: this process sees 0 GPU devices");
}

TEST(Placement, InAsyncModeCopiesOfPendingValuesAreQueued) {
  Tensor x = random::uniform({64, 64}, 0.f, 1.f, /*seed=*/4);
  std::vector<float> want = (matmul(x, x) * 2.f).to_vector<float>();
  ExecutionModeScope async(ExecutionMode::kAsync);
  Tensor m = matmul(x, x);  // pending on the CPU
  DeviceScope d("/test:0");
  Tensor y = m * 2.f;  // the copy of m to /test:0 is queued behind the matmul
  EXPECT_EQ(y.device(), "/test:0");
  EXPECT_EQ(y.to_vector<float>(), want);
}

TEST(Placement, PrintWorksOnADevice) {
  Tensor t = constant({1.f, 2.f}).to("/test:1");
  testing::internal::CaptureStdout();
  print(t, "on the device: ");
  EXPECT_EQ(testing::internal::GetCapturedStdout(),
            "on the device: duet.Tensor([1. 2.], shape=(2,), dtype=float32)\n");
}

TEST(DeviceGradients, GradientsFlowBackThroughCopies) {
  Variable w(constant({1.f, 2.f, 3.f}), "w");
  GradientTape tape;
  Tensor wt = Tensor(w).to("/test:0");
  Tensor loss = reduce_sum(wt * wt);
  EXPECT_EQ(loss.device(), "/test:0");
  Tensor g = tape.gradient(loss, w);
  EXPECT_EQ(g.device(), "/cpu:0");  // the copy's gradient is copied back
  EXPECT_EQ(g.to_vector<float>(), (std::vector<float>{2, 4, 6}));
}

TEST(DeviceMemory, DroppingTheLastHandleFreesDeviceMemory) {
  const int64_t before = TestBytesInUse();
  {
    Variable v(constant(std::vector<float>(1000, 1.f)).to("/test:0"), "v");
    EXPECT_EQ(TestBytesInUse(), before + 4000);
    v.assign_add(constant(std::vector<float>(1000, 1.f)));  // a host value: added on the device
    EXPECT_EQ(v.value().device(), "/test:0");
    v.assign(constant(std::vector<float>(1000, 5.f)));  // a host value is copied to the device
    EXPECT_EQ(v.value().device(), "/test:0");
    EXPECT_EQ(v.value().to_vector<float>()[999], 5.f);
    EXPECT_EQ(TestBytesInUse(), before + 4000);  // the old values were freed
  }
  EXPECT_EQ(TestBytesInUse(), before);  // "v = None": the Variable's memory is released
  Tensor t = ones({256}).to("/test:0");
  EXPECT_EQ(TestBytesInUse(), before + 1024);
  t = Tensor();
  EXPECT_EQ(TestBytesInUse(), before);
  const DeviceMemoryStats stats = FindDeviceMemory(DeviceType::kTest)->stats(0);
  EXPECT_EQ(stats.num_allocs - stats.num_frees, 0);
  EXPECT_GE(stats.peak_bytes, 8000);
}

TEST(DeviceMemory, FunctionsNameDeviceArguments) {
  auto f = function([](Tensor x) { return x + 1.f; }, FunctionOptions{.name = "plus_one"});
  EXPECT_ERROR(f(constant({1.f}).to("/test:0")),
               "[plus_one] argument 0 float32(1,) is on /test:0; compiled functions run on the "
               "CPU");
}

TEST(DeviceMemory, ATracedFunctionCannotMoveTensorsToADevice) {
  auto f = function([](Tensor x) { return x.to("/test:0"); });
  EXPECT_ERROR(f(constant({1.f})),
               "[copy_to_device] a traced function runs on the CPU and cannot move a tensor to "
               "/test:0");
  config::run_functions_eagerly(true);  // the debugging switch runs it eagerly: then it can
  EXPECT_EQ(f(constant({1.f})).device(), "/test:0");
  config::run_functions_eagerly(false);
}

}  // namespace
}  // namespace duet
