#include "kernels/grad_helpers.h"

#include <vector>

#include "kernels/binary_ops.h"
#include "kernels/reduce_ops.h"
#include "kernels/shape_ops.h"
#include "runtime/operand.h"
#include "runtime/tensor_factory.h"

namespace duet {

Tensor SumToShape(const Tensor& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  int extra = g.rank() - shape.rank();
  std::vector<int> axes;
  for (int i = 0; i < g.rank(); ++i)
    if (i < extra || (shape[i - extra] == 1 && g.shape()[i] != 1)) axes.push_back(i);
  Tensor summed = axes.empty() ? g : reduce_sum(g, axes, /*keepdims=*/true);
  return reshape(summed, shape);
}

// A symbolic t with unknown dims (a traced -1) has no shape to fill yet: t * 0 takes it at run
// time.
Tensor ZerosLike(const Tensor& t) {
  if (!t.shape().fully_defined()) return mul(t, *ScalarTensor("zeros_like", 0, 0, true, t.dtype()));
  return FillLike(t.spec(), *ScalarTensor("zeros_like", 0, 0, true, t.dtype()));
}
Tensor OnesLike(const Tensor& t) {
  if (!t.shape().fully_defined())
    return add(ZerosLike(t), *ScalarTensor("ones_like", 1, 1, true, t.dtype()));
  return FillLike(t.spec(), *ScalarTensor("ones_like", 1, 1, true, t.dtype()));
}

}  // namespace duet
