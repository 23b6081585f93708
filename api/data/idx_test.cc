// The IDX parser and the Fashion-MNIST loader on small files this test writes: every element
// type, every corruption (bad magic, unknown type, rank, wrong dims, size mismatch, absurd
// dims, gzip errors, label range, count mismatch), and a truncation sweep over every prefix
// of a good file, raw and gzip'd: each must be a clear error, never a crash.
#include <zlib.h>

#include <fstream>

#include "api/data/gzip_file.h"
#include "api/data/idx.h"
#include "api/duet.h"
#include "gtest/gtest.h"
#include "runtime/test_dir.h"
#include "tests/expect_error.h"

namespace duet::data {
namespace {

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Gzip(const std::string& raw) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, raw.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// An IDX header for `type` and `dims`, followed by `data`.
std::string Idx(uint8_t type, const std::vector<uint32_t>& dims, const std::string& data) {
  std::string s = {0, 0, static_cast<char>(type), static_cast<char>(dims.size())};
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8)
      s.push_back(static_cast<char>((d >> shift) & 0xff));
  }
  return s + data;
}

std::string Images(uint32_t n, uint32_t h = 28, uint32_t w = 28) {
  std::string pixels(n * h * w, '\0');
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<char>(i % 256);
  return Idx(0x08, {n, h, w}, pixels);
}
std::string Labels(const std::string& classes) {
  return Idx(0x08, {static_cast<uint32_t>(classes.size())}, classes);
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST(IdxTest, ParsesEveryElementType) {
  absl::StatusOr<Tensor> u8 =
      ParseIdx(Idx(0x08, {2, 3}, std::string("\x00\x01\x02\x80\xfe\xff", 6)));
  ASSERT_TRUE(u8.ok()) << u8.status();
  EXPECT_EQ(u8->shape(), (Shape{2, 3}));
  EXPECT_EQ(u8->to_vector<int32_t>(), (std::vector<int32_t>{0, 1, 2, 128, 254, 255}));

  EXPECT_EQ(ParseIdx(Idx(0x09, {2}, "\x7f\x80"))->to_vector<int32_t>(),
            (std::vector<int32_t>{127, -128}));
  EXPECT_EQ(ParseIdx(Idx(0x0B, {2}, std::string("\x01\x02\xff\xfe", 4)))->to_vector<int32_t>(),
            (std::vector<int32_t>{258, -2}));
  EXPECT_EQ(ParseIdx(Idx(0x0C, {1}, std::string("\x80\x00\x00\x01", 4)))->to_vector<int32_t>(),
            (std::vector<int32_t>{INT32_MIN + 1}));
  EXPECT_EQ(ParseIdx(Idx(0x0D, {1}, std::string("\x3f\xc0\x00\x00", 4)), {.dtype = DType::kFloat32})
                ->to_vector<float>(),
            (std::vector<float>{1.5f}));
  EXPECT_EQ(ParseIdx(Idx(0x0E, {1}, std::string("\xc0\x04\x00\x00\x00\x00\x00\x00", 8)),
                     {.dtype = DType::kFloat64})
                ->to_vector<double>(),
            (std::vector<double>{-2.5}));
  absl::StatusOr<Tensor> scaled = ParseIdx(Idx(0x08, {3}, std::string("\x00\x33\xff", 3)),
                                           {.dtype = DType::kFloat32, .scale = 1 / 255.0});
  EXPECT_EQ(scaled->to_vector<float>(), (std::vector<float>{0.f, 0.2f, 1.f}));
  EXPECT_EQ(ParseIdx(Idx(0x08, {0, 28}, ""))->shape(), (Shape{0, 28}));
}

TEST(IdxTest, EveryCorruptionIsAClearError) {
  auto err = [](const std::string& bytes, const IdxOptions& o = {}) {
    absl::StatusOr<Tensor> t = ParseIdx(bytes, o);
    EXPECT_FALSE(t.ok());
    return t.ok() ? std::string("ok") : Message(t.status());
  };
  EXPECT_EQ(err(std::string("\x00\x00", 2)),
            "truncated: 2 bytes, shorter than the 4-byte IDX magic");
  EXPECT_EQ(err(std::string("\x1f\x8b\x08\x00", 4)),
            "bad magic 0x1f8b0800: an IDX file starts with two zero bytes");
  EXPECT_EQ(err(Idx(0x07, {1}, "x")), "unknown IDX element type 0x07");
  EXPECT_EQ(err(Idx(0x08, {}, "")), "IDX rank 0 is outside 1..8");
  EXPECT_EQ(err(Idx(0x08, std::vector<uint32_t>(9, 1), "x")), "IDX rank 9 is outside 1..8");
  EXPECT_EQ(err(Idx(0x08, {1, 1, 1}, "").substr(0, 10)),
            "truncated: the header of a rank-3 IDX file needs 16 bytes, the file has 10");
  EXPECT_EQ(err(Idx(0x08, {2, 3}, "12345")),
            "size mismatch: dims (2, 3) of uint8 need 6 data bytes, the file has 5 (truncated)");
  EXPECT_EQ(err(Idx(0x0B, {2}, "12345")),
            "size mismatch: dims (2,) of int16 need 4 data bytes, the file has 5");
  // Absurd dims are refused from the header alone: nothing near 2^128 bytes is allocated.
  EXPECT_EQ(err(Idx(0x0E, {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, "")),
            "size mismatch: dims (4294967295, 4294967295, 4294967295, 4294967295) of float64 need "
            "an absurd number "
            "of data bytes, the file has 0");
  EXPECT_EQ(err(Idx(0x08, {60000, 28, 28}, "tiny")),
            "size mismatch: dims (60000, 28, 28) of uint8 need 47040000 data bytes, the file has 4 "
            "(truncated)");
  EXPECT_EQ(err(Images(2, 27, 28), {.expected_dims = {-1, 28, 28}}),
            "wrong dims: expected (-1, 28, 28) (-1: any), the file has (2, 27, 28)");
  EXPECT_EQ(err(Labels("ab"), {.expected_dims = {-1, 28, 28}}),
            "wrong dims: expected (-1, 28, 28) (-1: any), the file has (2,)");
  EXPECT_EQ(err(Idx(0x0D, {1}, "abcd")),
            "the file holds float32 values, which do not convert to int32");
  EXPECT_EQ(err(Labels("a"), {.dtype = DType::kBool}),
            "IDX data converts to int32, float32 or float64, not bool");
}

TEST(IdxTest, TruncationSweepRawAndGzip) {
  const std::string good = Images(2, 3, 4);
  const std::string packed = Gzip(good);
  ASSERT_TRUE(ParseIdx(good).ok());
  ASSERT_EQ(*Gunzip(packed, 1 << 20), good);
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(ParseIdx(std::string_view(good).substr(0, n)).ok()) << n;
  }
  for (size_t n = 0; n < packed.size(); ++n) {
    absl::StatusOr<std::string> out = Gunzip(std::string_view(packed).substr(0, n), 1 << 20);
    ASSERT_FALSE(out.ok()) << n;
    EXPECT_TRUE(Message(out.status()).find("gzip data") != std::string::npos) << out.status();
  }
}

TEST(IdxTest, GunzipRefusesCorruptAndOversizedData) {
  std::string packed = Gzip(Images(3));
  std::string flipped = packed;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x55);
  absl::StatusOr<std::string> bad = Gunzip(flipped, 1 << 20);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Message(bad.status()).substr(0, 20),
            "corrupt gzip data: i");  // invalid ... / incorrect data check
  absl::StatusOr<std::string> big = Gunzip(packed, 1000);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(Message(big.status()), "gzip data inflates to more than 1000 bytes");
  std::string two = Gzip("ab") + Gzip("cd");  // concatenated members, as gunzip reads them
  EXPECT_EQ(*Gunzip(two, 100), "abcd");
}

void WriteSplit(const std::string& dir, const std::string& images, const std::string& labels,
                bool gz = true) {
  WriteBytes(dir + "/train-images-idx3-ubyte" + (gz ? ".gz" : ""), gz ? Gzip(images) : images);
  WriteBytes(dir + "/train-labels-idx1-ubyte" + (gz ? ".gz" : ""), gz ? Gzip(labels) : labels);
}

TEST(FashionMnistFilesTest, LoadsASmallSplit) {
  for (bool gz : {true, false}) {
    std::string dir = TestDir(gz ? "small_gz" : "small_raw");
    WriteSplit(dir, Images(3), Labels(std::string("\x09\x00\x04", 3)), gz);
    auto [images, labels] = fashion_mnist::load_train(dir);
    EXPECT_EQ(images.shape(), (Shape{3, 28, 28, 1}));
    EXPECT_EQ(images.dtype(), DType::kFloat32);
    std::vector<float> px = images.to_vector<float>();
    EXPECT_EQ(px[0], 0.f);
    EXPECT_EQ(px[255], 1.f);
    EXPECT_FLOAT_EQ(px[3 * 784 - 1], static_cast<float>((3 * 784 - 1) % 256) / 255.f);
    EXPECT_EQ(labels.to_vector<int32_t>(), (std::vector<int32_t>{9, 0, 4}));
  }
}

TEST(FashionMnistFilesTest, BadFilesNameTheFileAndTheProblem) {
  std::string dir = TestDir("bad");
  ExpectError([&] { fashion_mnist::load_test(dir); },
              "[fashion_mnist] cannot open " + dir +
                  "/t10k-images-idx3-ubyte.gz: No such file or directory (install Debian's "
                  "dataset-fashion-mnist");
  WriteSplit(dir, Images(3), Labels("\x01\x02"));
  ExpectError([&] { fashion_mnist::load_train(dir); },
              "[fashion_mnist] " + dir +
                  "/train-labels-idx1-ubyte has 2 labels but train-images-idx3-ubyte has 3");
  WriteSplit(dir, Images(2), Labels("\x01\x0a"));
  ExpectError([&] { fashion_mnist::load_train(dir); }, "label 10 at index 1 is not a class 0..9");
  WriteSplit(dir, Images(2, 28, 27), Labels("\x01\x02"));
  ExpectError([&] { fashion_mnist::load_train(dir); },
              dir + "/train-images-idx3-ubyte.gz: wrong dims: expected (-1, 28, 28)");
  std::string packed = Gzip(Images(2));
  WriteBytes(dir + "/train-images-idx3-ubyte.gz", packed.substr(0, packed.size() / 2));
  ExpectError([&] { fashion_mnist::load_train(dir); },
              dir + "/train-images-idx3-ubyte.gz: truncated gzip data");
  WriteBytes(dir + "/train-images-idx3-ubyte.gz",
             Images(2).substr(0, 1000));  // not gzip'd, cut short
  ExpectError([&] { fashion_mnist::load_train(dir); },
              dir +
                  "/train-images-idx3-ubyte.gz: size mismatch: dims (2, 28, 28) of uint8 need 1568 "
                  "data bytes");
}

}  // namespace
}  // namespace duet::data
