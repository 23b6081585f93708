// CUDA probing and kernels. The probes must pass everywhere (a machine without a GPU reports
// 0 devices and error statuses, without crashing); device tests skip visibly without a device.
#include <cstdio>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kernels/cuda/cuda_kernels.h"
#include "kernels/cuda/device_probe.h"

namespace duet::cuda {
namespace {

TEST(CudaProbe, DeviceCountIsGracefulWithoutADevice) {
  CudaProbe p = ProbeCuda();
  std::printf("cudaGetDeviceCount -> %s (%d), devices=%d, runtime=%d, driver=%d\n",
              p.error_name.c_str(), p.runtime_error, p.device_count, p.runtime_version,
              p.driver_version);
  EXPECT_GE(p.device_count, 0);
  EXPECT_GE(p.runtime_version, 12000);  // the toolkit in /usr/local/cuda is 13.0
  EXPECT_EQ(p.device_count > 0, p.runtime_error == 0);
  EXPECT_EQ(num_gpus(), p.device_count);
  EXPECT_FALSE(p.error_name.empty());
}

TEST(CudaProbe, CudnnLinksAndReportsItsVersion) {
  LibraryProbe p = ProbeCudnn();
  std::printf("cudnnGetVersion() = %ld, cudnnCreate -> %s (%d)\n", p.version, p.create_name.c_str(),
              p.create_status);
  EXPECT_GE(p.version, 90000);
  EXPECT_FALSE(p.create_name.empty());
  if (num_gpus() > 0) {
    EXPECT_TRUE(p.created()) << p.create_name;
  }
}

TEST(CudaProbe, CublasLinksAndReportsItsVersion) {
  LibraryProbe p = ProbeCublas();
  std::printf("cuBLAS version %ld, cublasCreate -> %s (%d)\n", p.version, p.create_name.c_str(),
              p.create_status);
  EXPECT_GE(p.version, 120000);
  EXPECT_FALSE(p.create_name.empty());
  if (num_gpus() > 0) {
    EXPECT_TRUE(p.created()) << p.create_name;
  }
}

TEST(CudaProbe, Describe) {
  std::string s = DescribeCuda();
  std::printf("%s\n", s.c_str());
  EXPECT_NE(s.find("devices"), std::string::npos);
}

TEST(CudaDevice, NoDeviceMeansSoftFailures) {
  if (num_gpus() > 0) GTEST_SKIP() << "a CUDA device is present";
  DeviceBuffer buf(1024);
  EXPECT_FALSE(buf.ok());
  std::string error = LastCudaError();  // the failed cudaMalloc's error (sticky without a driver)
  std::printf("cudaMalloc without a device -> %s\n", error.c_str());
  EXPECT_NE(error, "cudaSuccess");
  EXPECT_EQ(error.rfind("cuda", 0), 0u) << error;
}

TEST(CudaDevice, AddsOnDevice) {
  if (num_gpus() == 0) GTEST_SKIP() << "no CUDA device";
  const int64_t n = 100003;  // not a multiple of the block size
  std::vector<float> a(n), b(n), c(n, -1.f);
  for (int64_t i = 0; i < n; ++i) a[i] = 0.5f * i, b[i] = 3.f - i;
  size_t bytes = n * sizeof(float);
  DeviceBuffer da(bytes), db(bytes), dc(bytes);
  ASSERT_TRUE(da.ok() && db.ok() && dc.ok()) << LastCudaError();
  ASSERT_TRUE(CopyToDevice(da.data(), a.data(), bytes)) << LastCudaError();
  ASSERT_TRUE(CopyToDevice(db.data(), b.data(), bytes)) << LastCudaError();
  ASSERT_TRUE(AddOnDevice(da.f32(), db.f32(), dc.f32(), n)) << LastCudaError();
  ASSERT_TRUE(CopyToHost(c.data(), dc.data(), bytes)) << LastCudaError();
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(c[i], a[i] + b[i]) << "at " << i;
  EXPECT_TRUE(AddOnDevice(da.f32(), db.f32(), dc.f32(), 0));
}

}  // namespace
}  // namespace duet::cuda
