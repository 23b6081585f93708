// DUET_DUMP=<file>: the eager op log, the traced IR and the IR after every pass, in one place.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

std::string DumpPath() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/duet_dump.txt";
}

// Set before main(): the flag is read once, at the first op.
const bool kSet = (setenv("DUET_DUMP", DumpPath().c_str(), 1), true);

TEST(Dump, OneFlagDumpsEagerOpsTracesAndPasses) {
  Tensor x = constant({1.f, 2.f});
  Tensor y = x * 3.f;
  auto f = function([](Tensor a) { return exp(a) + 1.f; }, {}, {.name = "dumped"});
  f(y);
  std::ifstream in(DumpPath());
  std::stringstream text;
  text << in.rdbuf();
  std::string log = text.str();
  EXPECT_NE(log.find("[eager] mul(float32(2,), float32()) -> float32(2,)  at tests/dump_test.cc:"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("function 'dumped'"), std::string::npos) << log;
  for (const char* stage : {") traced", ") after fold", ") after cse", ") after dce"})
    EXPECT_NE(log.find(stage), std::string::npos) << stage << "\n" << log;
  EXPECT_NE(log.find("= duet.exp %"), std::string::npos) << log;
}

}  // namespace
}  // namespace duet
