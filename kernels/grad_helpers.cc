#include "kernels/grad_helpers.h"

#include <vector>

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

Tensor ZerosLike(const Tensor& t) { return FillLike(t.spec(), *ScalarTensor("zeros_like", 0, 0, true, t.dtype())); }
Tensor OnesLike(const Tensor& t) { return FillLike(t.spec(), *ScalarTensor("ones_like", 1, 1, true, t.dtype())); }

}  // namespace duet
