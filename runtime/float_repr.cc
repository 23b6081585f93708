// NumPy's Dragon4 (numpy/core/src/multiarray/dragon4.c), restated on exact decimal expansions
// instead of bignums: every float64/float32/float16/bfloat16 value, and every midpoint between
// two neighbours, is exact in an x87 long double, whose exact digits std::to_chars gives.
//   1. lo/hi = midpoints to the neighbouring values of the type; they count as "inside" when
//      the significand is even (round-half-even reads them back as the value).
//   2. Digits of the exact value are produced one at a time. After each, t = the truncation and
//      u = t + one unit in that digit; stop when t or u is inside (and at least `min_digits`
//      were produced), or at the `precision` cutoff.
//   3. Keep t if only t is inside, u if only u is, else the nearer one (ties to an even digit).
#include "runtime/float_repr.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "runtime/half.h"

namespace duet {
namespace {

// A non-negative decimal: sum of digits[i] * 10^(exp - i). Empty or all-zero digits mean 0.
struct Decimal {
  std::string digits;
  int exp = 0;
};

// The exact digits of a positive long double (at most ~770 significant digits for doubles).
Decimal ExactDigits(long double a) {
  static constexpr int kDigits = 900;
  char buf[kDigits + 32];
  auto r = std::to_chars(buf, buf + sizeof(buf), a, std::chars_format::scientific, kDigits);
  Decimal d;
  const char* p = buf;
  for (; p != r.ptr && *p != 'e'; ++p)
    if (*p != '.') d.digits.push_back(*p);
  d.exp = std::atoi(std::string(p + 1, static_cast<const char*>(r.ptr)).c_str());
  while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
  return d;
}

Decimal Normalized(Decimal d) {
  size_t first = d.digits.find_first_not_of('0');
  if (first == std::string::npos) return Decimal{"", 0};
  d.digits.erase(0, first);
  d.exp -= static_cast<int>(first);
  return d;
}

// -1, 0, 1 as a <, ==, > b.
int Compare(const Decimal& x, const Decimal& y) {
  Decimal a = Normalized(x), b = Normalized(y);
  if (a.digits.empty() || b.digits.empty())
    return a.digits.empty() == b.digits.empty() ? 0 : (a.digits.empty() ? -1 : 1);
  if (a.exp != b.exp) return a.exp < b.exp ? -1 : 1;
  size_t n = std::max(a.digits.size(), b.digits.size());
  for (size_t i = 0; i < n; ++i) {
    char p = i < a.digits.size() ? a.digits[i] : '0';
    char q = i < b.digits.size() ? b.digits[i] : '0';
    if (p != q) return p < q ? -1 : 1;
  }
  return 0;
}

// d plus one unit in its last digit; carried-over 9s are dropped, as Dragon4 does.
Decimal RoundUp(Decimal d) {
  while (!d.digits.empty() && d.digits.back() == '9') d.digits.pop_back();
  if (d.digits.empty()) {
    d.digits = "1";
    ++d.exp;
  } else {
    ++d.digits.back();
  }
  return d;
}

// The neighbours of the positive finite `a` among the values of `kind`. Past the largest finite
// value the spacing continues (Dragon4's margins do not see the infinity).
void Neighbours(double a, FloatKind kind, long double& below, long double& above) {
  auto continue_spacing = [&](long double up) { return std::isinf(up) ? a + (a - below) : up; };
  switch (kind) {
    case FloatKind::kFloat64:
      below = std::nextafter(a, 0.0);
      above = continue_spacing(std::nextafter(a, std::numeric_limits<double>::infinity()));
      return;
    case FloatKind::kFloat32: {
      float f = static_cast<float>(a);
      below = std::nextafter(f, 0.0f);
      above = continue_spacing(std::nextafter(f, std::numeric_limits<float>::infinity()));
      return;
    }
    case FloatKind::kFloat16: {
      Half h(static_cast<float>(a)), lo = h, hi = h;
      --lo.bits;
      ++hi.bits;
      below = float(lo);
      above = continue_spacing(float(hi));
      return;
    }
    case FloatKind::kBFloat16: {
      BFloat16 b(static_cast<float>(a)), lo = b, hi = b;
      --lo.bits;
      ++hi.bits;
      below = float(lo);
      above = continue_spacing(float(hi));
      return;
    }
  }
}

bool EvenSignificand(double a, FloatKind kind) {
  float f = static_cast<float>(a);
  switch (kind) {
    case FloatKind::kFloat64:
      return (std::bit_cast<uint64_t>(a) & 1u) == 0;
    case FloatKind::kFloat32:
      return (std::bit_cast<uint32_t>(f) & 1u) == 0;
    case FloatKind::kFloat16:
      return (Half(f).bits & 1u) == 0;
    case FloatKind::kBFloat16:
      return (BFloat16(f).bits & 1u) == 0;
  }
  return true;
}

// Dragon4 in unique mode for a positive finite `a`. `fractional`: max_n/min_n count digits
// after the decimal point (positional), else significant digits (scientific). -1: no limit.
Decimal Dragon4(double a, FloatKind kind, bool fractional, int max_n, int min_n) {
  Decimal exact = ExactDigits(a);
  long double below = 0, above = 0;
  Neighbours(a, kind, below, above);
  Decimal lo = ExactDigits((a + below) / 2), hi = ExactDigits((a + above) / 2);
  bool even = EvenSignificand(a, kind);

  int digit_exp = exact.exp + 1;  // one above the leading digit
  if (max_n >= 0 && fractional && digit_exp <= -max_n) digit_exp = -max_n + 1;  // leading 0s
  int cutoff_max = INT_MIN;
  if (max_n >= 0) cutoff_max = fractional ? -max_n : digit_exp - max_n;
  int cutoff_min = digit_exp;
  if (min_n >= 0) cutoff_min = std::min(cutoff_min, fractional ? -min_n : digit_exp - min_n);

  auto digit_at = [&](int e) {
    int i = exact.exp - e;
    return i >= 0 && i < static_cast<int>(exact.digits.size()) ? exact.digits[i] : '0';
  };
  Decimal t{"", digit_exp - 1};
  for (int d = digit_exp - 1;; --d) {
    t.digits.push_back(digit_at(d));
    Decimal u = RoundUp(t);
    int tc = Compare(t, lo), uc = Compare(u, hi);
    bool low = even ? tc >= 0 : tc > 0;
    bool high = even ? uc <= 0 : uc < 0;
    if (!(((low || high) && d <= cutoff_min) || d == cutoff_max)) continue;
    bool round_down = low;
    if (low == high) {  // nearer of t and u: compare the remaining digits with one half
      int e = d - 1;
      char first = digit_at(e);
      bool more = false;
      for (int k = e - 1; k >= exact.exp - static_cast<int>(exact.digits.size()); --k)
        more |= digit_at(k) != '0';
      int cmp = first != '5' ? (first < '5' ? -1 : 1) : (more ? 1 : 0);
      round_down = cmp < 0 || (cmp == 0 && (t.digits.back() - '0') % 2 == 0);
    }
    return round_down ? t : u;
  }
}

Decimal Digits(double a, FloatKind kind, bool fractional, int max_n, int min_n) {
  if (a == 0) return Decimal{"0", 0};
  return Dragon4(a, kind, fractional, max_n, min_n);
}

const char* NonFinite(double x) {
  if (std::isnan(x)) return "nan";
  return x < 0 ? "-inf" : "inf";
}

// Dragon4's trailing-zero handling of a fraction (`frac`) for the given trim mode, padding with
// zeros to `add_digits` when nothing is trimmed. May drop the point for kDptZeros.
void TrimFraction(std::string& s, int frac, Trim trim, int add_digits, bool positional) {
  if (trim == Trim::kLeaveOneZero && frac == 0) {
    s += '0';
    ++frac;
  } else if (trim == Trim::kNone && add_digits > frac) {
    s.append(add_digits - frac, '0');
    frac = add_digits;
  }
  if (trim != Trim::kNone && frac > 0) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') {
      if (trim == Trim::kLeaveOneZero)
        s += '0';
      else if (trim == Trim::kDptZeros && positional)
        s.pop_back();
    }
  }
}

}  // namespace

std::string FormatPositional(double x, FloatKind kind, int precision, int min_digits, Trim trim) {
  if (!std::isfinite(x)) return NonFinite(x);
  Decimal d = Digits(std::fabs(x), kind, /*fractional=*/true, precision, min_digits);
  std::string s = std::signbit(x) ? "-" : "";
  int n = static_cast<int>(d.digits.size()), frac = 0;
  if (d.exp >= 0) {
    int whole = d.exp + 1;
    s += d.digits.substr(0, std::min(n, whole));
    if (n <= whole) {
      s.append(whole - n, '0');
    } else {
      frac = n - whole;
      s += "." + d.digits.substr(whole);
    }
  } else {
    frac = -d.exp - 1 + n;
    s += "0." + std::string(-d.exp - 1, '0') + d.digits;
  }
  if (trim != Trim::kDptZeros && frac == 0) s += '.';
  TrimFraction(s, frac, trim, std::max(min_digits, 0), /*positional=*/true);
  return s;
}

std::string FormatScientific(double x, FloatKind kind, int precision, int min_digits, Trim trim,
                             int exp_digits) {
  if (!std::isfinite(x)) return NonFinite(x);
  Decimal d = Digits(std::fabs(x), kind, /*fractional=*/false, precision < 0 ? -1 : precision + 1,
                     min_digits < 0 ? -1 : min_digits + 1);
  std::string s = std::signbit(x) ? "-" : "";
  s += d.digits[0];
  int frac = static_cast<int>(d.digits.size()) - 1;
  if (frac > 0) s += "." + d.digits.substr(1);
  if (trim != Trim::kDptZeros && frac == 0) s += '.';
  TrimFraction(s, frac, trim, std::max(min_digits, 0), /*positional=*/false);
  std::string e = std::to_string(std::abs(d.exp));
  int width = std::min(exp_digits < 0 ? 2 : exp_digits, 5);
  if (static_cast<int>(e.size()) < width) e.insert(0, width - e.size(), '0');
  return s + (d.exp < 0 ? "e-" : "e+") + e;
}

std::string FormatScalar(double x, FloatKind kind) {
  if (!std::isfinite(x)) return NonFinite(x);
  double a = std::fabs(x);
  if (a == 0 || (a < 1e16 && a >= 1e-4))
    return FormatPositional(x, kind, -1, -1, Trim::kLeaveOneZero);
  return FormatScientific(x, kind, -1, -1, Trim::kDptZeros);
}

}  // namespace duet
