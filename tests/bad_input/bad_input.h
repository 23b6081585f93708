// The bad-input catalogue's one assertion: a statement must throw duet::Error whose message
// contains every given piece and the caller's file:line (the line of the macro, so the
// statement must be on it), and afterwards ordinary eager work, a tape and a compiled function
// still give the right answers (the bad input left no broken state behind).
// Example: EXPECT_BAD_INPUT(reshape(x, {7}), "[reshape]", "(2, 3)");
#pragma once

#include <string>
#include <vector>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet::testing {

inline void ExpectHealthy() {
  EXPECT_EQ((constant({1, 2}) + 1).to_vector<int32_t>(), (std::vector<int32_t>{2, 3}));
  Variable w(constant(3.f), "healthy");
  GradientTape tape;
  Tensor y = w * w;
  EXPECT_EQ(tape.gradient(y, w).item<float>(), 6.f);
  static auto f = function([](Tensor x) { return x * 2.f; });
  EXPECT_EQ(f(constant({1.f, 2.f})).to_vector<float>(), (std::vector<float>{2.f, 4.f}));
}

template <class Fn>
void ExpectBadInput(const char* file, int line, Fn fn, const std::vector<std::string>& pieces) {
  std::string where = std::string(file) + ":" + std::to_string(line);
  try {
    fn();
    ADD_FAILURE() << where << ": no error; expected one containing "
                  << (pieces.empty() ? "" : pieces[0]);
  } catch (const Error& e) {
    std::string m = e.what();
    for (const std::string& p : pieces)
      EXPECT_NE(m.find(p), std::string::npos)
          << where << "\n  message: " << m << "\n  missing: " << p;
    EXPECT_NE(m.find("(at " + where + ")"), std::string::npos)
        << "message does not name the caller's line " << where << ": " << m;
  } catch (const std::exception& e) {
    ADD_FAILURE() << where << ": threw " << typeid(e).name() << " (" << e.what()
                  << "), not duet::Error";
  }
  ExpectHealthy();
}

}  // namespace duet::testing

#define EXPECT_BAD_INPUT(stmt, ...) \
  ::duet::testing::ExpectBadInput(__FILE__, __LINE__, [&] { (void)(stmt); }, {__VA_ARGS__})
