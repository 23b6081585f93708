// C++ operators on tensors: + - * / % (integers: floor-mod), unary -, and comparisons
// returning bool tensors. Numbers on either side take the tensor's dtype. The right-hand
// LocatedOperand captures the user's line, since operators cannot take a default argument.
// Example: Tensor y = x * 2.0f + 1.0f;  bool(x > 0.f);
#pragma once

#include "runtime/operand.h"

namespace duet {

Tensor operator+(const Operand& a, const LocatedOperand& b);
Tensor operator-(const Operand& a, const LocatedOperand& b);
Tensor operator*(const Operand& a, const LocatedOperand& b);
Tensor operator/(const Operand& a, const LocatedOperand& b);
Tensor operator%(const Operand& a, const LocatedOperand& b);
Tensor operator-(const LocatedOperand& a);
Tensor operator==(const Operand& a, const LocatedOperand& b);
Tensor operator!=(const Operand& a, const LocatedOperand& b);
Tensor operator<(const Operand& a, const LocatedOperand& b);
Tensor operator<=(const Operand& a, const LocatedOperand& b);
Tensor operator>(const Operand& a, const LocatedOperand& b);
Tensor operator>=(const Operand& a, const LocatedOperand& b);

// `x += y` rebinds x to a new tensor (tensors are immutable values).
inline Tensor& operator+=(Tensor& a, const LocatedOperand& b) { return a = a + b; }
inline Tensor& operator-=(Tensor& a, const LocatedOperand& b) { return a = a - b; }
inline Tensor& operator*=(Tensor& a, const LocatedOperand& b) { return a = a * b; }
inline Tensor& operator/=(Tensor& a, const LocatedOperand& b) { return a = a / b; }

}  // namespace duet
