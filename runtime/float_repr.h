// Decimal strings of floating-point values exactly as NumPy's Dragon4 writes them
// (np.format_float_positional / np.format_float_scientific with unique=True): the shortest
// digits that round-trip in the value's own type (a float16 0.1 prints "0.1", not the float32
// "0.09997559"), cut at `precision` digits, extended with the exact value's digits to at least
// `min_digits`. Used by the tensor printer; separate because it is pure number formatting.
// Example: FormatPositional(1.0, FloatKind::kFloat32, 8, -1, Trim::kZeros) == "1.";
//          FormatScientific(0.001, FloatKind::kFloat64, 8, -1, Trim::kZeros) == "1.e-03";
//          FormatScalar(2.0, FloatKind::kFloat32) == "2.0" (NumPy's str of a scalar).
#pragma once

#include <string>

namespace duet {

// The type whose precision decides how many digits are "enough". Values are passed as double,
// which holds every float32/float16/bfloat16 value exactly.
enum class FloatKind { kFloat64, kFloat32, kFloat16, kBFloat16 };

// NumPy's `trim` argument: 'k' keep trailing zeros, '.' trim them but keep the point,
// '0' trim them but leave one zero after the point, '-' also drop a bare point.
enum class Trim { kNone, kZeros, kLeaveOneZero, kDptZeros };

// `precision`: at most this many digits after the point (-1: no limit). `min_digits`: at least
// this many (-1: none; 0 still prints every digit of the integer part exactly, as NumPy does).
std::string FormatPositional(double x, FloatKind kind, int precision, int min_digits, Trim trim);

// `precision`/`min_digits` count mantissa digits after the point; the exponent gets at least
// `exp_digits` digits (-1 means 2).
std::string FormatScientific(double x, FloatKind kind, int precision, int min_digits, Trim trim,
                             int exp_digits = -1);

// str() of a NumPy float scalar: positional for 1e-4 <= |x| < 1e16 (and 0) with at least one
// fractional digit ("2.0"), otherwise scientific ("1e+20", "1.5e-05"); "nan", "inf", "-inf".
std::string FormatScalar(double x, FloatKind kind);

}  // namespace duet
