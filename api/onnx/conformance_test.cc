// ONNX backend node-test conformance: every case in Debian's libonnx-testdata
// (/usr/share/libonnx-testdata/data/node/<case>/model.onnx + test_data_set_*/{input,output}_*.pb)
// whose ops all have importers runs through import_model and is compared with the expected
// outputs (ONNX's backend runner tolerances: rtol 1e-3, atol 1e-7; ints and bools exact).
// conformance_pass_list.txt is the ratchet: a listed case that fails fails the test; a passing
// case that is not listed is printed with a hint to add it. DUET_ONNX_WRITE_PASS_LIST=<file>
// writes the current passing list there.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/onnx/import_registry.h"
#include "api/onnx/model_loader.h"
#include "api/onnx/ops.h"
#include "api/onnx/tensor_proto.h"
#include "api/train/read_file.h"
#include "gtest/gtest.h"

namespace duet::onnx::internal {
namespace {

namespace fs = std::filesystem;
constexpr char kNodeTests[] = "/usr/share/libonnx-testdata/data/node";
constexpr double kRtol = 1e-3, kAtol = 1e-7;

std::vector<std::string> Sorted(const fs::path& dir, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path().string());
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;  // input_10 after input_9
  });
  return out;
}

// The ops of the model that have no importer (other domains count as unmapped).
std::set<std::string> UnmappedOps(const std::string& model_path) {
  std::set<std::string> out;
  auto bytes = train::ReadWholeFile(model_path, kMaxModelBytes, "conformance");
  ::onnx::ModelProto model;
  if (!bytes.ok() || !model.ParseFromString(*bytes)) return {"<unparsable>"};
  for (const auto& node : model.graph().node()) {
    bool other_domain = !node.domain().empty() && node.domain() != "ai.onnx";
    if (other_domain || !FindImporter(node.op_type()))
      out.insert(other_domain ? node.domain() + "." + node.op_type() : node.op_type());
  }
  return out;
}

std::string Compare(const Tensor& got, const Tensor& want) {
  if (got.spec() != want.spec())
    return "got " + got.spec().to_string() + ", want " + want.spec().to_string();
  bool floating = IsFloating(want.dtype());
  Tensor g = cast(got, floating ? DType::kFloat64 : DType::kInt64);
  Tensor w = cast(want, floating ? DType::kFloat64 : DType::kInt64);
  if (floating) {
    std::vector<double> a = g.to_vector<double>(), b = w.to_vector<double>();
    for (size_t i = 0; i < a.size(); ++i) {
      if (std::isnan(a[i]) && std::isnan(b[i])) continue;
      if (a[i] == b[i]) continue;  // equal infinities
      if (!(std::abs(a[i] - b[i]) <= kAtol + kRtol * std::abs(b[i])))
        return absl::StrCat("element ", i, ": got ", a[i], ", want ", b[i]);
    }
  } else {
    std::vector<int64_t> a = g.to_vector<int64_t>(), b = w.to_vector<int64_t>();
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return absl::StrCat("element ", i, ": got ", a[i], ", want ", b[i]);
  }
  return "";
}

// "" when every data set of the case matches.
std::string RunCase(const fs::path& dir) {
  auto model = LoadModelFile((dir / "model.onnx").string());
  if (!model.ok()) return std::string(model.status().message());
  ImportedModel imported(*model);
  for (const std::string& set : Sorted(dir, "test_data_set_")) {
    std::vector<Tensor> inputs, want;
    for (const std::string& f : Sorted(set, "input_")) {
      auto t = ReadTensorProtoFile(f);
      if (!t.ok()) return std::string(t.status().message());
      inputs.push_back(*t);
    }
    for (const std::string& f : Sorted(set, "output_")) {
      auto t = ReadTensorProtoFile(f);
      if (!t.ok()) return std::string(t.status().message());
      want.push_back(*t);
    }
    std::vector<Tensor> got;
    try {
      got = imported.call(inputs);
    } catch (const Error& e) {
      return e.what();
    }
    if (got.size() != want.size()) return absl::StrCat(got.size(), " outputs, want ", want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      std::string diff = Compare(got[i], want[i]);
      if (!diff.empty())
        return absl::StrCat(fs::path(set).filename().string(), " output ", i, ": ", diff);
    }
  }
  return "";
}

std::set<std::string> ReadPassList() {
  std::ifstream in("api/onnx/conformance_pass_list.txt");
  std::set<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.insert(line);
  return out;
}

TEST(OnnxConformance, BackendNodeTests) {
  ASSERT_TRUE(fs::is_directory(kNodeTests))
      << kNodeTests << " is missing: apt-get install libonnx-testdata";
  const std::set<std::string> pass_list = ReadPassList();
  ASSERT_FALSE(pass_list.empty()) << "api/onnx/conformance_pass_list.txt is missing or empty";
  std::map<std::string, int> unmapped;  // op -> cases it blocks
  std::vector<std::string> passed, failed, newly;
  int total = 0, run = 0;
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(kNodeTests))
    if (e.is_directory()) cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  for (const fs::path& dir : cases) {
    ++total;
    const std::string name = dir.filename().string();
    std::set<std::string> missing = UnmappedOps((dir / "model.onnx").string());
    if (!missing.empty()) {
      for (const auto& op : missing) ++unmapped[op];
      EXPECT_FALSE(pass_list.count(name)) << name << " is on the pass list but uses unmapped ops";
      continue;
    }
    ++run;
    if (std::getenv("DUET_ONNX_TRACE")) std::cerr << name << "\n";
    std::string why = RunCase(dir);
    if (why.empty()) {
      passed.push_back(name);
      if (!pass_list.count(name)) newly.push_back(name);
    } else {
      failed.push_back(name + ": " + why.substr(0, 300));
      EXPECT_FALSE(pass_list.count(name))
          << "regression: " << name << " is on the pass list and fails: " << why;
    }
  }
  std::cout << "ONNX node tests: " << total << " total, " << run << " run, " << passed.size()
            << " passed, " << failed.size() << " failed, " << total - run
            << " skipped (unmapped ops)\n";
  std::cout << "failed:\n  " << absl::StrJoin(failed, "\n  ") << "\n";
  std::vector<std::string> ops;
  for (const auto& [op, count] : unmapped) ops.push_back(absl::StrCat(op, "(", count, ")"));
  std::cout << "unmapped ops (cases): " << absl::StrJoin(ops, " ") << "\n";
  if (!newly.empty())
    std::cout << "newly passing (add to api/onnx/conformance_pass_list.txt):\n  "
              << absl::StrJoin(newly, "\n  ") << "\n";
  if (const char* out = std::getenv("DUET_ONNX_WRITE_PASS_LIST")) {
    std::ofstream f(out);
    f << "# ONNX backend node tests duet passes (api/onnx/conformance_test.cc); one case a line.\n";
    for (const auto& p : passed) f << p << "\n";
  }
}

}  // namespace
}  // namespace duet::onnx::internal
