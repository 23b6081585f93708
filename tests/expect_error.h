// ExpectError(fn, want): fn must throw duet::Error whose message contains `want` (the op name
// at least). EXPECT_ERROR(stmt, want) is the same for one statement; use it instead of a bare
// EXPECT_THROW, which passes on any error, even the wrong one. ExpectThrowWithMessage<E> does
// the same for other exception types (a user's exception crossing the library).
// Example: EXPECT_ERROR(reshape(x, {7}), "[reshape]");
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

template <class E, class Fn>
void ExpectThrowWithMessage(Fn fn, const std::string& want) {
  try {
    fn();
    ADD_FAILURE() << "expected an exception containing: " << want;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
  }
}

}  // namespace duet

#define EXPECT_ERROR(stmt, want) ::duet::ExpectError([&] { (void)(stmt); }, want)
