#include "kernels/operators.h"

#include "kernels/binary_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/unary_ops.h"

namespace duet {

Tensor operator+(const Operand& a, const LocatedOperand& b) { return add(a, b, b.loc()); }
Tensor operator-(const Operand& a, const LocatedOperand& b) { return sub(a, b, b.loc()); }
Tensor operator*(const Operand& a, const LocatedOperand& b) { return mul(a, b, b.loc()); }
Tensor operator/(const Operand& a, const LocatedOperand& b) { return div(a, b, b.loc()); }
Tensor operator%(const Operand& a, const LocatedOperand& b) { return floor_mod(a, b, b.loc()); }
Tensor operator-(const LocatedOperand& a) { return neg(a, a.loc()); }
Tensor operator==(const Operand& a, const LocatedOperand& b) { return equal(a, b, b.loc()); }
Tensor operator!=(const Operand& a, const LocatedOperand& b) { return not_equal(a, b, b.loc()); }
Tensor operator<(const Operand& a, const LocatedOperand& b) { return less(a, b, b.loc()); }
Tensor operator<=(const Operand& a, const LocatedOperand& b) { return less_equal(a, b, b.loc()); }
Tensor operator>(const Operand& a, const LocatedOperand& b) { return greater(a, b, b.loc()); }
Tensor operator>=(const Operand& a, const LocatedOperand& b) {
  return greater_equal(a, b, b.loc());
}

}  // namespace duet
