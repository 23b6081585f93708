// OpInfo entry for copy_to_device. The sweeps run on the CPU, so the samples copy to "/cpu:0"
// (the identity); copies to other devices are tested in tests/device_test.cc.
#include <string>

#include "api/duet.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

const std::vector<DType> kAll = {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64,
                                 DType::kBool};

Attrs OnDevice(const char* device) { return {AttrValue(std::string(device))}; }

DUET_OPINFO(
        .op = "copy_to_device", .dtypes = kAll,
        .samples =
            [](DType d) {
              std::vector<OpSample> out = UnarySamples(d);
              for (OpSample& s : out) s.attrs = OnDevice("/cpu:0");
              return out;
            },
        .reference = RefElementwise([](const std::vector<double>& v) { return v[0]; }),
        .errors =
            [] {
              Tensor x = TestTensor({3}, DType::kFloat32);
              return std::vector<ErrorCase>{
                  {"unparsable device", {x}, OnDevice("/quantum:0"), "cannot parse device name"},
                  {"absent device", {x}, OnDevice("/gpu:7"), "device /gpu:7 is not present"},
              };
            });

}  // namespace
}  // namespace duet::testing
