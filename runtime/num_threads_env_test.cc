// DUET_NUM_THREADS sets the default thread count (read at first use, so set before any op).
#include <cstdlib>

#include "gtest/gtest.h"
#include "runtime/num_threads.h"

namespace duet {
namespace {

TEST(NumThreads, EnvironmentSetsTheDefault) {
  ASSERT_EQ(setenv("DUET_NUM_THREADS", "3", 1), 0);
  EXPECT_EQ(config::num_threads(), 3);
}

}  // namespace
}  // namespace duet
