// Model::summary prints a Keras-like table: one row per tracked layer with its output shape
// and parameter count, then the total, trainable and non-trainable counts.
#include <sstream>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

TEST(Summary, KerasLikeTable) {
  Sequential model({layers::Dense(4, Activation::kRelu, {.name = "hidden"}),
                    layers::BatchNormalization(0.99, 1e-3, {.name = "bn"}),
                    layers::Dense(2, Activation::kNone, {.name = "out"})},
                   {.name = "tiny"});
  model(ones({8, 3}));
  std::ostringstream os;
  model.summary(os);
  EXPECT_EQ(os.str(),
            "Model: \"tiny\"\n"
            "_________________________________________________________________\n"
            " Layer (type)                Output Shape              Param #\n"
            "=================================================================\n"
            " hidden (Dense)              (8, 4)                    16\n"
            "\n"
            " bn (BatchNormalization)     (8, 4)                    16\n"
            "\n"
            " out (Dense)                 (8, 2)                    10\n"
            "=================================================================\n"
            "Total params: 42\n"
            "Trainable params: 34\n"
            "Non-trainable params: 8\n"
            "_________________________________________________________________\n");
}

TEST(Summary, ThousandsSeparatorsAndUnbuiltError) {
  Sequential model({layers::Dense(1000)});
  ExpectError([&] { model.summary(); }, "is not built yet: call it on an input first");
  model(ones({1, 1000}));
  std::ostringstream os;
  model.summary(os);
  EXPECT_NE(os.str().find("Total params: 1,001,000\n"), std::string::npos) << os.str();
}

}  // namespace
}  // namespace duet
