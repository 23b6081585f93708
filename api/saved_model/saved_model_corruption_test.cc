// Bad directories: every file missing, truncated or corrupted, a newer format, a manifest that
// lies about sizes, IR that does not verify and weights that do not match, each a duet::Error
// naming the file (never a crash or a huge allocation).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/saved_model/manifest.h"
#include "api/saved_model/saved_model.h"
#include "api/saved_model/test_models.h"
#include "nlohmann/json.hpp"
#include "tests/expect_error.h"

namespace duet::saved_model {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const char* const kFiles[] = {kManifestFile, kBytecodeFile, kTextFile, kWeightsFile};

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class Corruption : public ::testing::Test {
 protected:
  void SetUp() override {
    golden_ = TestDir("corruption") + "/golden";
    Sequential mlp = MakeMlp();
    save(mlp, golden_, {TensorSpec({-1, 8}, DType::kFloat32)});
    dir_ = TestDir("corruption_case") + "/export";
    fs::copy(golden_, dir_);
  }
  std::string Path(const char* file) const { return dir_ + "/" + file; }
  // Rewrites the manifest, then makes the given file's entry agree with its bytes (so the
  // check under test is not the CRC).
  void EditManifest(const std::function<void(Json&)>& edit) {
    Json j = Json::parse(Read(Path(kManifestFile)));
    edit(j);
    Write(Path(kManifestFile), j.dump());
  }
  void Reseal(const char* file) {
    FileEntry e = EntryOf(Read(Path(file)));
    EditManifest([&](Json& j) { j["files"][file] = {{"bytes", e.bytes}, {"crc32", e.crc32}}; });
  }
  void ExpectLoadError(const std::string& want) {
    ExpectError([&] { load(dir_); }, want);
  }
  std::string golden_, dir_;
};

TEST_F(Corruption, TheGoldenCopyLoads) { EXPECT_EQ(load(dir_).signature().inputs.size(), 1u); }

TEST_F(Corruption, EveryFileMissing) {
  for (const char* file : kFiles) {
    SCOPED_TRACE(file);
    fs::remove(Path(file));
    ExpectLoadError(absl::StrCat("[saved_model.load] '", Path(file), "': cannot open"));
    fs::copy_file(golden_ + "/" + file, Path(file));
  }
}

TEST_F(Corruption, EveryFileTruncated) {
  for (const char* file : kFiles) {
    SCOPED_TRACE(file);
    std::string bytes = Read(Path(file));
    Write(Path(file), bytes.substr(0, bytes.size() / 2));
    ExpectLoadError(std::string(file) == kManifestFile ? "not a JSON object (corrupt or truncated)"
                                                       : "bytes but the manifest says");
    Write(Path(file), bytes);
  }
}

TEST_F(Corruption, EveryFileWithAFlippedByte) {
  for (const char* file : kFiles) {
    SCOPED_TRACE(file);
    std::string bytes = Read(Path(file));
    std::string bad = bytes;
    bad[bad.size() / 3] ^= 0x5a;
    Write(Path(file), bad);
    ExpectError([&] { load(dir_); }, "[saved_model.load] '" + Path(file) + "'");
    if (std::string(file) != kManifestFile)
      ExpectLoadError("its CRC32 does not match the manifest (corrupt)");
    Write(Path(file), bytes);
  }
}

TEST_F(Corruption, ANewerFormatIsRefusedWithBothVersions) {
  EditManifest([](Json& j) {
    j["format_version"] = 7;
    j["producer"] = "duet 9.0";
  });
  ExpectLoadError(
      "format version 7 (written by duet 9.0) is newer than this reader's format version 1 (duet "
      "0.1)");
}

TEST_F(Corruption, NotAManifest) {
  EditManifest([](Json& j) { j["format"] = "something-else"; });
  ExpectLoadError("not a duet saved model manifest");
  Write(Path(kManifestFile), std::string(2 << 20, ' '));
  ExpectLoadError("exceeds the limit of");
}

TEST_F(Corruption, AManifestThatLiesAboutSizes) {
  const uint64_t real = fs::file_size(Path(kWeightsFile));
  EditManifest([](Json& j) { j["files"][kWeightsFile]["bytes"] = uint64_t{1} << 40; });
  ExpectLoadError("files.variables.safetensors has an out-of-range size or crc32");
  EditManifest([&](Json& j) { j["files"][kWeightsFile]["bytes"] = real + 100; });
  ExpectLoadError(absl::StrCat("is ", real, " bytes but the manifest says ", real + 100));
  EditManifest([&](Json& j) { j["files"][kWeightsFile]["bytes"] = real - 100; });
  ExpectLoadError("exceeds the limit of");
}

TEST_F(Corruption, VariablesThatDoNotMatchTheManifest) {
  EditManifest([](Json& j) { j["variables"][0]["shape"] = {3, 3}; });
  ExpectLoadError("but the manifest says float32(3, 3)");
  fs::copy_file(golden_ + "/" + kManifestFile, Path(kManifestFile),
                fs::copy_options::overwrite_existing);
  EditManifest([](Json& j) { j["variables"][0]["name"] = "model/missing"; });
  ExpectLoadError("lacks variable 'model/missing'");
}

TEST_F(Corruption, IrThatDoesNotVerify) {
  std::string text = Read(Path(kTextFile));
  // The first dense's matmul claims a wrong result type: the registry's shape function refuses it.
  size_t at = text.find("tensor<?x16xf32>");
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, 16, "tensor<?x17xf32>");
  Write(Path(kTextFile), text);
  Reseal(kTextFile);
  ExpectLoadError("the IR does not parse or verify");
  Write(Path(kTextFile), "not IR at all");
  Reseal(kTextFile);
  ExpectLoadError(
      absl::StrCat("[saved_model.load] '", Path(kTextFile), "': the IR does not parse or verify"));
  // MLIR's bytecode reader is not safe on crafted input, so bytecode in the text's place is
  // refused.
  Write(Path(kTextFile), Read(Path(kBytecodeFile)));
  Reseal(kTextFile);
  ExpectLoadError("holds MLIR bytecode where the text form belongs");
}

TEST_F(Corruption, IrWhoseSignatureDisagreesWithTheManifest) {
  EditManifest([](Json& j) { j["signature"]["inputs"][0]["shape"] = {-1, 9}; });
  ExpectLoadError(
      "input 0 ('input_0') is float32(-1, 9) in the manifest but float32(-1, 8) in the IR");
}

}  // namespace
}  // namespace duet::saved_model
