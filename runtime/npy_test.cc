// .npy save/load: round trips, the exact v1.0 layout, hand-made corrupt files, atomic writes,
// and interchange with real NumPy when /usr/bin/python3 has it (a visible skip otherwise).
#include "runtime/npy.h"

#include <dirent.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "runtime/tensor_factory.h"

namespace duet {
namespace {

std::string TmpDir() {
  const char* d = std::getenv("TEST_TMPDIR");
  return d ? d : "/tmp";
}

std::string TmpPath(const std::string& name) { return TmpDir() + "/" + name; }

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A .npy file written by hand: header dict padded to 64 bytes, then `data`.
std::string NpyBytes(const std::string& dict, const std::string& data, int major = 1) {
  size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out = std::string("\x93NUMPY", 6) + static_cast<char>(major) + '\0';
  size_t n = header.size();
  out += static_cast<char>(n & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  if (major != 1) out += std::string(2, '\0');
  return out + header + data;
}

template <class T>
std::string Raw(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

std::string Bytes(const Tensor& t) {
  return std::string(static_cast<const char*>(t.raw_data()), t.num_bytes());
}

// The message of the duet::Error `fn` throws ("" if none).
template <class Fn>
std::string ErrorOf(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

Tensor Sample(DType dtype, const Shape& shape) {
  Tensor t = Tensor::Empty({shape, dtype});
  int64_t n = t.num_elements();
  VisitDType(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = t.mutable_data<T>();
    for (int64_t i = 0; i < n; ++i) {
      if constexpr (std::is_same_v<T, bool>)
        p[i] = i % 3 == 0;
      else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>)
        p[i] = T(i * 0.5f - 1.f);
      else
        p[i] = static_cast<T>(i * 3 - 7);
    }
  });
  return t;
}

TEST(Npy, RoundTripsEveryDTypeAndShape) {
  for (DType dtype : {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64, DType::kBool,
                      DType::kFloat16}) {
    for (const Shape& shape :
         {Shape{}, Shape{0}, Shape{5}, Shape{2, 3}, Shape{2, 0, 4}, Shape{1, 2, 1, 3}}) {
      SCOPED_TRACE(std::string(DTypeName(dtype)) + shape.to_string());
      Tensor t = Sample(dtype, shape);
      std::string path = TmpPath("roundtrip.npy");
      save_npy(t, path);
      Tensor back = load_npy(path);
      EXPECT_EQ(back.dtype(), dtype);
      EXPECT_EQ(back.shape(), shape);
      EXPECT_EQ(Bytes(back), Bytes(t));
    }
  }
}

TEST(Npy, WritesNumPyV1Layout) {
  std::string path = TmpPath("layout.npy");
  save_npy(Sample(DType::kFloat32, {2, 3}), path);
  std::string bytes = ReadBytes(path);
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  size_t header_len = static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  std::string header = bytes.substr(10, header_len);
  EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 0), 0u)
      << header;
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(bytes.size(), 10 + header_len + 24);

  save_npy(constant(int64_t{4}), path);
  EXPECT_NE(ReadBytes(path).find("'descr': '<i8', 'fortran_order': False, 'shape': (), }"),
            std::string::npos);
  save_npy(constant({true, false}), path);
  EXPECT_NE(ReadBytes(path).find("'descr': '|b1', 'fortran_order': False, 'shape': (2,), }"),
            std::string::npos);
}

TEST(Npy, ReadsV2HeadersAndOneElementTuples) {
  std::string path = TmpPath("v2.npy");
  WriteBytes(path, NpyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }",
                            Raw(std::vector<int64_t>{1, -2, 3, -4, 5}), /*major=*/2));
  Tensor t = load_npy(path);
  EXPECT_EQ(t.shape(), Shape{5});
  EXPECT_EQ(t.to_vector<int64_t>(), (std::vector<int64_t>{1, -2, 3, -4, 5}));
  // Key order and spacing are free in the dict; bools may be any nonzero byte.
  WriteBytes(path, NpyBytes("{\"shape\":(3,),\"fortran_order\":False,\"descr\":\"|b1\"}",
                            std::string("\x00\x01\x02", 3)));
  Tensor b = load_npy(path);
  EXPECT_EQ(b.dtype(), DType::kBool);
  EXPECT_EQ(b.to_vector<bool>(), (std::vector<bool>{false, true, true}));
}

TEST(Npy, SaveErrors) {
  std::string path = TmpPath("bf16.npy");
  std::string msg = ErrorOf([&] { save_npy(Sample(DType::kBFloat16, {2}), path); });
  EXPECT_NE(msg.find("[save_npy]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bfloat16 has no NumPy dtype; cast to float32"), std::string::npos) << msg;
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("npy_test.cc:"), std::string::npos) << msg;  // the caller's line
  EXPECT_NE(ErrorOf([&] { save_npy(Tensor(), path); }).find("undefined"), std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              save_npy(Tensor::Symbolic({Shape{2}, DType::kFloat32}), path);
            }).find("symbolic"),
            std::string::npos);
  msg = ErrorOf([&] { save_npy(Sample(DType::kFloat32, {2}), TmpPath("no/such/dir/a.npy")); });
  EXPECT_NE(msg.find("No such file or directory"), std::string::npos) << msg;
}

struct BadFile {
  const char* name;
  std::string bytes;
  const char* expected;  // part of the message
};

TEST(Npy, LoadErrorsNameTheProblemThePathAndTheLine) {
  std::string f4 = Raw(std::vector<float>{1, 2, 3, 4, 5, 6});
  std::vector<BadFile> cases = {
      {"magic.npy", "PK\x03\x04 this is a zip file", "not a .npy file"},
      {"empty.npy", "", "not a .npy file"},
      {"dict.npy", NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", f4),
       "corrupt header"},
      {"garbage.npy", NpyBytes("descr=<f4 shape=2x3", f4), "corrupt header"},
      {"nokey.npy", NpyBytes("{'descr': '<f4', 'shape': (2, 3), }", f4), "no 'fortran_order' key"},
      {"fortran.npy", NpyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", f4),
       "fortran_order"},
      {"negdim.npy", NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }", f4),
       "corrupt header"},
      {"truncated.npy",
       NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f4.substr(0, 20)),
       "truncated data: shape (2, 3) float32 needs 24 bytes, the file has 20"},
      {"hdrlen.npy",
       NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", "").substr(0, 40),
       "truncated or corrupt header"},
      {"u1.npy", NpyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", "ab"),
       "unsupported dtype '|u1'"},
      {"bigendian.npy", NpyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (6,), }", f4),
       "big-endian dtype '>f4'"},
      {"version.npy", std::string("\x93NUMPY\x09\x00\x00\x00", 10),
       "unsupported .npy format version 9.0"},
  };
  for (const BadFile& c : cases) {
    SCOPED_TRACE(c.name);
    std::string path = TmpPath(c.name);
    WriteBytes(path, c.bytes);
    std::string msg = ErrorOf([&] { load_npy(path); });
    EXPECT_EQ(msg.rfind("[load_npy] '" + path + "': ", 0), 0u) << msg;
    EXPECT_NE(msg.find(c.expected), std::string::npos) << msg;
    EXPECT_NE(msg.find("npy_test.cc:"), std::string::npos) << msg;
  }
  std::string msg = ErrorOf([&] { load_npy(TmpPath("missing.npy")); });
  EXPECT_NE(msg.find("[load_npy]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing.npy': cannot open: No such file or directory"), std::string::npos)
      << msg;
  EXPECT_NE(ErrorOf([&] { load_npy(TmpDir()); }).find("not a regular file"), std::string::npos);
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) names.push_back(e->d_name);
    closedir(d);
  }
  return names;
}

TEST(Npy, FailedWriteLeavesTheOldFileAndNoTemporary) {
  std::string dir = TmpPath("atomic");
  ASSERT_EQ(std::system(("mkdir -p '" + dir + "'").c_str()), 0);
  std::string path = dir + "/weights.npy";
  save_npy(Sample(DType::kInt32, {3}), path);
  std::string before = ReadBytes(path);

  // Make the write itself fail half-way: cap the file size below what the new file needs.
  rlimit old_limit;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old_limit;
  small.rlim_cur = 1000;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string msg = ErrorOf([&] { save_npy(Sample(DType::kFloat64, {1000}), path); });
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_NE(msg.find("[save_npy]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("write failed"), std::string::npos) << msg;
  EXPECT_EQ(ReadBytes(path), before);
  for (const std::string& name : FilesIn(dir))
    EXPECT_TRUE(name == "." || name == ".." || name == "weights.npy") << name;

  save_npy(Sample(DType::kFloat64, {1000}), path);  // and a successful save replaces it
  EXPECT_EQ(load_npy(path).shape(), Shape{1000});
}

// ---------------------------------------------------------------- NumPy interop
bool HaveNumPy() { return std::system("/usr/bin/python3 -c 'import numpy' > /dev/null 2>&1") == 0; }

// Runs a Python snippet with `d` bound to the temp dir; returns "" on success, else its output.
std::string RunPython(const std::string& code) {
  std::string script = TmpPath("interop.py"), log = TmpPath("interop.log");
  WriteBytes(script, "import sys, numpy as np\nd = sys.argv[1]\n" + code);
  int rc = std::system(
      ("/usr/bin/python3 '" + script + "' '" + TmpDir() + "' > '" + log + "' 2>&1").c_str());
  return rc == 0 ? "" : "python failed:\n" + ReadBytes(log);
}

TEST(NpyInterop, NumPyReadsWhatDuetWrites) {
  if (!HaveNumPy())
    GTEST_SKIP() << "NumPy is not available to /usr/bin/python3; interop not checked";
  save_npy(constant({{0.5f, -1.5f, 2.f}, {3.f, 4.25f, -0.f}}), TmpPath("duet_f32.npy"));
  save_npy(constant({0.1, -1e300}), TmpPath("duet_f64.npy"));
  save_npy(constant({-3, 0, 7}), TmpPath("duet_i32.npy"));
  save_npy(constant({int64_t{1} << 40, int64_t{-5}}), TmpPath("duet_i64.npy"));
  save_npy(constant({{true, false}, {false, true}}), TmpPath("duet_bool.npy"));
  const Half halves[] = {Half(0.5f), Half(-2.f), Half(65504.f)};
  save_npy(Tensor::FromData(halves, Shape{3}), TmpPath("duet_f16.npy"));
  save_npy(constant(3.25), TmpPath("duet_scalar.npy"));
  save_npy(Tensor::Empty({Shape{0, 3}, DType::kFloat32}), TmpPath("duet_empty.npy"));
  EXPECT_EQ(RunPython(R"(
def check(name, dtype, expected):
    a = np.load(d + '/' + name)
    e = np.array(expected, dtype=dtype)
    assert a.dtype == e.dtype, (name, a.dtype, e.dtype)
    assert a.shape == e.shape, (name, a.shape, e.shape)
    assert np.array_equal(a, e), (name, a, e)
    assert a.flags['C_CONTIGUOUS']
check('duet_f32.npy', np.float32, [[0.5, -1.5, 2.0], [3.0, 4.25, -0.0]])
check('duet_f64.npy', np.float64, [0.1, -1e300])
check('duet_i32.npy', np.int32, [-3, 0, 7])
check('duet_i64.npy', np.int64, [1 << 40, -5])
check('duet_bool.npy', np.bool_, [[True, False], [False, True]])
check('duet_f16.npy', np.float16, [0.5, -2.0, 65504.0])
check('duet_scalar.npy', np.float64, 3.25)
check('duet_empty.npy', np.float32, np.zeros((0, 3)))
)"),
            "");
}

TEST(NpyInterop, DuetReadsWhatNumPyWrites) {
  if (!HaveNumPy())
    GTEST_SKIP() << "NumPy is not available to /usr/bin/python3; interop not checked";
  ASSERT_EQ(RunPython(R"(
np.save(d + '/np_f64.npy', np.array([[1.5, -2.25], [3.0, 1e-300]]))
np.save(d + '/np_f32.npy', np.arange(6, dtype=np.float32).reshape(3, 2) / 4)
np.save(d + '/np_i32.npy', np.arange(-3, 3, dtype=np.int32))
np.save(d + '/np_bool.npy', np.array([True, False, True]))
np.save(d + '/np_f16.npy', np.array([0.5, -1.0, 65504.0], dtype=np.float16))
np.save(d + '/np_scalar.npy', np.int64(-7))
np.save(d + '/np_empty.npy', np.zeros((0, 3), np.float32))
np.save(d + '/np_transposed.npy', np.arange(6).reshape(2, 3).T)  # written fortran_order=True
with open(d + '/np_v2.npy', 'wb') as f:
    np.lib.format.write_array(f, np.arange(5, dtype=np.int64), version=(2, 0))
)"),
            "");
  Tensor f64 = load_npy(TmpPath("np_f64.npy"));
  EXPECT_EQ(f64.shape(), (Shape{2, 2}));
  EXPECT_EQ(f64.to_vector<double>(), (std::vector<double>{1.5, -2.25, 3.0, 1e-300}));
  EXPECT_EQ(load_npy(TmpPath("np_f32.npy")).to_vector<float>(),
            (std::vector<float>{0, 0.25f, 0.5f, 0.75f, 1, 1.25f}));
  EXPECT_EQ(load_npy(TmpPath("np_i32.npy")).to_vector<int32_t>(),
            (std::vector<int32_t>{-3, -2, -1, 0, 1, 2}));
  EXPECT_EQ(load_npy(TmpPath("np_bool.npy")).to_vector<bool>(),
            (std::vector<bool>{true, false, true}));
  Tensor f16 = load_npy(TmpPath("np_f16.npy"));
  ASSERT_EQ(f16.dtype(), DType::kFloat16);
  EXPECT_EQ(float(f16.data<Half>()[2]), 65504.f);
  Tensor scalar = load_npy(TmpPath("np_scalar.npy"));
  EXPECT_EQ(scalar.rank(), 0);
  EXPECT_EQ(scalar.item<int64_t>(), -7);
  EXPECT_EQ(load_npy(TmpPath("np_empty.npy")).shape(), (Shape{0, 3}));
  EXPECT_EQ(load_npy(TmpPath("np_v2.npy")).to_vector<int64_t>(),
            (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_NE(ErrorOf([&] { load_npy(TmpPath("np_transposed.npy")); }).find("fortran_order"),
            std::string::npos);
}

}  // namespace
}  // namespace duet
