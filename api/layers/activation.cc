#include "api/layers/activation.h"

#include "kernels/nn_ops.h"
#include "kernels/unary_ops.h"

namespace duet {

Tensor Activate(const Tensor& x, Activation activation, const Loc& loc) {
  switch (activation) {
    case Activation::kNone:
      return x;
    case Activation::kRelu:
      return relu(x, loc);
    case Activation::kSigmoid:
      return sigmoid(x, loc);
    case Activation::kTanh:
      return tanh(x, loc);
    case Activation::kSoftmax:
      return softmax(x, -1, loc);
    case Activation::kSoftplus:
      return softplus(x, loc);
    case Activation::kLogSoftmax:
      return log_softmax(x, -1, loc);
  }
  return x;
}

std::string ActivationName(Activation activation) {
  switch (activation) {
    case Activation::kNone:
      return "linear";
    case Activation::kRelu:
      return "relu";
    case Activation::kSigmoid:
      return "sigmoid";
    case Activation::kTanh:
      return "tanh";
    case Activation::kSoftmax:
      return "softmax";
    case Activation::kSoftplus:
      return "softplus";
    case Activation::kLogSoftmax:
      return "log_softmax";
  }
  return "unknown";
}

}  // namespace duet
