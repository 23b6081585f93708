// safetensors: round trips of every dtype, a file laid out by hand as the reference writer
// does, and every way an untrusted file can lie.
#include "api/train/safetensors.h"

#include <cstring>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet::train {
namespace {

// 8-byte LE length + header + data, as any safetensors writer produces.
std::string File(const std::string& header, const std::string& data) {
  uint64_t n = header.size();
  std::string out(8, '\0');
  std::memcpy(out.data(), &n, 8);
  return out + header + data;
}

std::string Floats(std::initializer_list<float> v) {
  return std::string(reinterpret_cast<const char*>(std::data(v)), v.size() * sizeof(float));
}

// The parse must fail with a message containing `want`.
void ExpectBad(const std::string& bytes, const std::string& want) {
  absl::StatusOr<SafetensorsContents> r = ParseSafetensors(bytes, "f.safetensors");
  ASSERT_FALSE(r.ok()) << want;
  EXPECT_NE(r.status().message().find(want), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("[load_safetensors] 'f.safetensors'"), std::string::npos);
}

TEST(Safetensors, RoundTripsEveryDType) {
  NamedTensors in = {
      {"f32", constant({{1.5f, -2.f}, {3.f, 4.f}})},
      {"f64", constant({1.0, 2.5})},
      {"i32", constant({7, -8, 9})},
      {"i64", constant(int64_t{1} << 40, DType::kInt64)},
      {"bool", constant({true, false, true})},
      {"f16", cast(constant({0.5f, 2.f}), DType::kFloat16)},
      {"bf16", cast(constant({1.f, -3.f}), DType::kBFloat16)},
      {"empty", zeros({0, 3})},
  };
  absl::StatusOr<std::string> bytes = EncodeSafetensors(in, {{"format", "pt"}});
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  uint64_t header_len;
  std::memcpy(&header_len, bytes->data(), 8);
  EXPECT_EQ(header_len % 8, 0u);  // padded so the data is 8-byte aligned
  absl::StatusOr<SafetensorsContents> out = ParseSafetensors(*bytes, "mem");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->metadata, (std::map<std::string, std::string>{{"format", "pt"}}));
  ASSERT_EQ(out->tensors.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out->tensors[i].first, in[i].first);  // data order is the given order
    EXPECT_EQ(out->tensors[i].second.spec(), in[i].second.spec()) << in[i].first;
    EXPECT_EQ(std::memcmp(out->tensors[i].second.raw_data(), in[i].second.raw_data(),
                          in[i].second.num_bytes()),
              0)
        << in[i].first;
  }
}

TEST(Safetensors, ReadsAFileLaidOutByTheReferenceWriter) {
  // What safetensors.torch.save_file({"b": torch.tensor([3., 4.]), "a": torch.ones(1, 2)})
  // writes: keys sorted, offsets by data order, header padded with spaces.
  std::string header = R"({"a":{"dtype":"F32","shape":[1,2],"data_offsets":[8,16]},)"
                       R"("b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  absl::StatusOr<SafetensorsContents> r =
      ParseSafetensors(File(header, Floats({3, 4, 1, 1})), "ref");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->tensors.size(), 2u);
  EXPECT_EQ(r->tensors[0].first, "b");
  EXPECT_EQ(r->tensors[0].second.to_vector<float>(), (std::vector<float>{3, 4}));
  EXPECT_EQ(r->tensors[1].first, "a");
  EXPECT_EQ(r->tensors[1].second.shape(), (Shape{1, 2}));
}

TEST(Safetensors, SavesAndLoadsFiles) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string path = std::string(tmp ? tmp : "/tmp") + "/w.safetensors";
  save_safetensors({{"w", constant({1.f, 2.f})}}, path);
  NamedTensors t = load_safetensors(path);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].second.to_vector<float>(), (std::vector<float>{1, 2}));
  ExpectError([&] { load_safetensors(path + ".nope"); }, "cannot open");
}

TEST(Safetensors, EveryTruncationIsAnError) {
  absl::StatusOr<std::string> bytes =
      EncodeSafetensors({{"a", constant({1.f, 2.f, 3.f})}, {"b", constant({4, 5})}}, {{"k", "v"}});
  ASSERT_TRUE(bytes.ok());
  for (size_t n = 0; n < bytes->size(); ++n)
    EXPECT_FALSE(ParseSafetensors(std::string_view(*bytes).substr(0, n), "t").ok()) << n;
}

TEST(Safetensors, RejectsLyingHeaders) {
  const std::string d8 = Floats({1, 2});
  ExpectBad("abc", "shorter than the 8-byte header length");
  ExpectBad(File("{}", "").substr(0, 8) + "{", "exceeds the file");
  std::string huge(8, '\xff');
  ExpectBad(huge + "{}", "exceeds the file");
  ExpectBad(File("[1, 2]", ""), "not a JSON object");
  ExpectBad(File("{\"a\": ", ""), "not valid JSON");
  ExpectBad(File(R"({"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}})", d8),
            "entry 'a': unsupported dtype 'U8'");
  ExpectBad(File(R"({"a":{"dtype":"F32","shape":[2]}})", d8), "entry 'a': needs the fields");
  ExpectBad(File(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}})", d8),
            "unexpected field 'x'");
  ExpectBad(File(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", d8),
            "not a non-negative integer");
  ExpectBad(File(R"({"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", d8),
            "not a non-negative integer");
  ExpectBad(File(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", d8),
            "entry 'a': float32(3,) needs 12 bytes, data_offsets span 8");
  ExpectBad(File(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}})", d8),
            "lie outside the 8 data bytes");
  ExpectBad(File(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", d8), "lie outside");
  ExpectBad(
      File(R"({"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", d8),
      "element count overflows");
  ExpectBad(File(R"({"a":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,8]}})", d8),
            "byte size overflows");
  ExpectBad(File(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                 R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                 d8 + "xxxx"),
            "overlap the previous tensor");
  ExpectBad(File(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", d8), "leave a gap");
  ExpectBad(File(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", d8),
            "cover 4 of the 8 data bytes");
  ExpectBad(File(R"({"__metadata__":{"k":1}})", ""), "__metadata__ value of 'k' is not a string");
}

TEST(Safetensors, EncodeRefusesBadInput) {
  auto message = [](const NamedTensors& t) {
    return std::string(EncodeSafetensors(t, {}, "o").status().message());
  };
  EXPECT_EQ(message({{"a", constant(1.f)}, {"a", constant(2.f)}}),
            "[save_safetensors] 'o': the name 'a' appears twice");
  EXPECT_EQ(message({{"__metadata__", constant(1.f)}}),
            "[save_safetensors] 'o': '__metadata__' is reserved and cannot name a tensor");
  EXPECT_EQ(message({{"u", Tensor()}}), "[save_safetensors] 'o': tensor 'u' is undefined");
}

}  // namespace
}  // namespace duet::train
