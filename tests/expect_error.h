// ExpectError(fn, want): fn must throw duet::Error whose message contains `want`.
#pragma once

#include <string>

#include "gtest/gtest.h"
#include "runtime/error.h"

namespace duet {

template <class Fn>
void ExpectError(Fn fn, const std::string& want) {
  try {
    fn();
    ADD_FAILURE() << "expected an error containing: " << want;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
  }
}

}  // namespace duet
