// A transcription of NumPy's arrayprint.py (1.24, legacy=False, default options) for the
// dtypes duet has:
//   1. Past 1000 elements, only the first and last 3 indices of each longer axis are shown
//      (and only those decide the column widths).
//   2. One element format for the whole array: bools " True"/"False"; ints right-aligned to the
//      widest; floats either positional (shortest digits, at most 8 decimals, padded on both
//      sides of the point) or, when max >= 1e8, min < 1e-4 or max/min > 1e3 (over the finite
//      nonzero magnitudes), scientific with a common number of mantissa digits.
//   3. _formatArray: rows wrap at 75 columns (one less per nesting level), continuation lines
//      indented under the first element; axes above the last are separated by rank-1 newlines.
#include "runtime/tensor_format.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "runtime/device_copy.h"
#include "runtime/float_repr.h"

namespace duet {
namespace {

constexpr int kPrecision = 8;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int kLineWidth = 75;

FloatKind KindOf(DType dtype) {
  switch (dtype) {
    case DType::kFloat64:
      return FloatKind::kFloat64;
    case DType::kFloat16:
      return FloatKind::kFloat16;
    case DType::kBFloat16:
      return FloatKind::kBFloat16;
    default:
      return FloatKind::kFloat32;
  }
}

double FloatAt(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kFloat64:
      return t.data<double>()[i];
    case DType::kFloat16:
      return float(t.data<Half>()[i]);
    case DType::kBFloat16:
      return float(t.data<BFloat16>()[i]);
    default:
      return t.data<float>()[i];
  }
}

int64_t IntAt(const Tensor& t, int64_t i) {
  return t.dtype() == DType::kInt64 ? t.data<int64_t>()[i] : t.data<int32_t>()[i];
}

// max/min as NumPy computes it: in the array's own precision.
double RatioInDType(double max_val, double min_val, FloatKind kind) {
  switch (kind) {
    case FloatKind::kFloat64:
      return max_val / min_val;
    case FloatKind::kFloat32:
      return static_cast<float>(max_val) / static_cast<float>(min_val);
    case FloatKind::kFloat16:
      return float(Half(static_cast<float>(max_val) / static_cast<float>(min_val)));
    case FloatKind::kBFloat16:
      return float(BFloat16(static_cast<float>(max_val) / static_cast<float>(min_val)));
  }
  return max_val / min_val;
}

// Formats one element (by flat index) with widths shared by the whole printed array.
class ElementFormat {
 public:
  virtual ~ElementFormat() = default;
  virtual std::string operator()(int64_t i) const = 0;
};

class BoolFormat : public ElementFormat {
 public:
  explicit BoolFormat(const Tensor& t) : t_(t) {}
  std::string operator()(int64_t i) const override {
    return t_.data<bool>()[i] ? " True" : "False";
  }

 private:
  const Tensor& t_;
};

class IntFormat : public ElementFormat {
 public:
  IntFormat(const Tensor& t, const std::vector<int64_t>& shown) : t_(t) {
    for (int64_t i : shown) width_ = std::max(width_, std::to_string(IntAt(t, i)).size());
  }
  std::string operator()(int64_t i) const override {
    std::string s = std::to_string(IntAt(t_, i));
    return std::string(width_ - std::min(width_, s.size()), ' ') + s;
  }

 private:
  const Tensor& t_;
  size_t width_ = 0;
};

class FloatFormat : public ElementFormat {
 public:
  FloatFormat(const Tensor& t, const std::vector<int64_t>& shown)
      : t_(t), kind_(KindOf(t.dtype())) {
    std::vector<double> finite;
    bool any_nonfinite = false, neg_inf = false;
    double max_val = 0, min_val = std::numeric_limits<double>::infinity();
    for (int64_t i : shown) {
      double x = FloatAt(t, i);
      if (!std::isfinite(x)) {
        any_nonfinite = true;
        neg_inf |= std::isinf(x) && x < 0;
        continue;
      }
      finite.push_back(x);
      if (x != 0) {
        max_val = std::max(max_val, std::fabs(x));
        min_val = std::min(min_val, std::fabs(x));
      }
    }
    if (max_val > 0)
      exp_format_ =
          max_val >= 1e8 || min_val < 1e-4 || RatioInDType(max_val, min_val, kind_) > 1000.;
    for (double x : finite) {
      std::string s = exp_format_ ? FormatScientific(x, kind_, kPrecision, -1, Trim::kZeros)
                                  : FormatPositional(x, kind_, kPrecision, -1, Trim::kZeros);
      size_t point = s.find('.'), e = s.find('e');
      pad_left_ = std::max(pad_left_, static_cast<int>(point));
      if (exp_format_) {
        precision_ = std::max(precision_, static_cast<int>(e - point - 1));
        exp_size_ = std::max(exp_size_, static_cast<int>(s.size() - e - 2));
      } else {
        pad_right_ = std::max(pad_right_, static_cast<int>(s.size() - point - 1));
      }
    }
    if (exp_format_ && !finite.empty()) pad_right_ = exp_size_ + 2 + precision_;
    if (any_nonfinite) {
      int offset = pad_right_ + 1;  // the decimal point
      pad_left_ = std::max({pad_left_, 3 - offset, 3 + (neg_inf ? 1 : 0) - offset});
    }
  }

  std::string operator()(int64_t i) const override {
    double x = FloatAt(t_, i);
    if (!std::isfinite(x)) {
      std::string s = std::isnan(x) ? "nan" : (x < 0 ? "-inf" : "inf");
      return std::string(std::max(0, pad_left_ + pad_right_ + 1 - static_cast<int>(s.size())),
                         ' ') +
             s;
    }
    // The second pass asks for min_digits as NumPy's __call__ does: the scientific mantissas
    // all get `precision_` digits, positional integer parts print exactly (float16 44256.).
    std::string s = exp_format_
                        ? FormatScientific(x, kind_, precision_, precision_, Trim::kNone, exp_size_)
                        : FormatPositional(x, kind_, kPrecision, 0, Trim::kZeros);
    int point = static_cast<int>(s.find('.'));
    if (point < pad_left_) s.insert(0, pad_left_ - point, ' ');
    if (!exp_format_) {
      int frac = static_cast<int>(s.size()) - static_cast<int>(s.find('.')) - 1;
      if (frac < pad_right_) s.append(pad_right_ - frac, ' ');
    }
    return s;
  }

 private:
  const Tensor& t_;
  FloatKind kind_;
  bool exp_format_ = false;
  int pad_left_ = 0, pad_right_ = 0, precision_ = 0, exp_size_ = -1;
};

std::unique_ptr<ElementFormat> MakeFormat(const Tensor& t, const std::vector<int64_t>& shown) {
  if (t.dtype() == DType::kBool) return std::make_unique<BoolFormat>(t);
  if (IsInteger(t.dtype())) return std::make_unique<IntFormat>(t, shown);
  return std::make_unique<FloatFormat>(t, shown);
}

std::string RStrip(const std::string& s) { return s.substr(0, s.find_last_not_of(' ') + 1); }

// np.core.arrayprint._formatArray.
class ArrayPrinter {
 public:
  ArrayPrinter(const Tensor& t, bool summarize)
      : shape_(t.shape()), strides_(RowMajorStrides(t.shape())), summarize_(summarize) {}

  // Flat indices of the elements that will be printed.
  std::vector<int64_t> Shown() const {
    std::vector<int64_t> out;
    CollectShown(0, 0, out);
    return out;
  }

  std::string Print(const ElementFormat& format) const {
    return Recurse(format, 0, 0, " ", kLineWidth);
  }

 private:
  bool ShowSummary(int axis) const { return summarize_ && 2 * kEdgeItems < shape_[axis]; }

  void CollectShown(int axis, int64_t offset, std::vector<int64_t>& out) const {
    if (axis == shape_.rank()) {
      out.push_back(offset);
      return;
    }
    int64_t n = shape_[axis];
    for (int64_t i = 0; i < n; ++i) {
      if (ShowSummary(axis) && i == kEdgeItems) i = n - kEdgeItems;
      CollectShown(axis + 1, offset + i * strides_[axis], out);
    }
  }

  static void ExtendLine(std::string& s, std::string& line, const std::string& word, int width,
                         const std::string& indent) {
    // Wrapping only when it helps: never right after the indent.
    bool wrap = static_cast<int>(line.size() + word.size()) > width && line.size() > indent.size();
    if (wrap) {
      s += RStrip(line) + "\n";
      line = indent;
    }
    line += word;
  }

  std::string Recurse(const ElementFormat& format, int axis, int64_t offset,
                      const std::string& indent, int width) const {
    int axes_left = shape_.rank() - axis;
    if (axes_left == 0) return format(offset);
    std::string next_indent = indent + " ";
    int next_width = width - 1;  // room for the closing ']'
    int64_t n = shape_[axis];
    bool summary = ShowSummary(axis);
    int64_t leading = summary ? kEdgeItems : 0, trailing = summary ? kEdgeItems : n;
    auto child = [&](int64_t i) {
      return Recurse(format, axis + 1, offset + i * strides_[axis], next_indent, next_width);
    };
    std::string s;
    if (axes_left == 1) {
      int elem_width = width - 1;
      std::string line = indent;
      for (int64_t i = 0; i < leading; ++i) {
        ExtendLine(s, line, child(i), elem_width, indent);
        line += " ";
      }
      if (summary) {
        ExtendLine(s, line, "...", elem_width, indent);
        line += " ";
      }
      for (int64_t i = trailing; i > 1; --i) {
        ExtendLine(s, line, child(n - i), elem_width, indent);
        line += " ";
      }
      ExtendLine(s, line, child(n - 1), elem_width, indent);
      s += line;
    } else {
      std::string line_sep(axes_left - 1, '\n');
      for (int64_t i = 0; i < leading; ++i) s += indent + child(i) + line_sep;
      if (summary) s += indent + "..." + line_sep;
      for (int64_t i = trailing; i > 1; --i) s += indent + child(n - i) + line_sep;
      s += indent + child(n - 1);
    }
    return "[" + s.substr(indent.size()) + "]";
  }

  const Shape& shape_;
  absl::InlinedVector<int64_t, 6> strides_;
  bool summarize_;
};

// str() of a NumPy scalar: no padding, floats with all their shortest digits.
std::string FormatScalarValue(const Tensor& t) {
  switch (t.dtype()) {
    case DType::kBool:
      return t.data<bool>()[0] ? "True" : "False";
    case DType::kInt32:
    case DType::kInt64:
      return std::to_string(IntAt(t, 0));
    default:
      return FormatScalar(FloatAt(t, 0), KindOf(t.dtype()));
  }
}

}  // namespace

std::string FormatValues(const Tensor& t) {
  if (!t.defined()) return "<undefined>";
  if (t.is_symbolic()) return "<symbolic>";
  if (t.rank() == 0) return FormatScalarValue(t);
  if (t.num_elements() == 0) return "[]";
  ArrayPrinter printer(t, t.num_elements() > kThreshold);
  std::unique_ptr<ElementFormat> format = MakeFormat(t, printer.Shown());
  return printer.Print(*format);
}

// TensorFlow's EagerTensor.__str__: the values start on a new line when they span several.
// A symbolic tensor (inside a trace) has no value to print: that is an error, as API.md says,
// pointing at duet::print, which prints at run time.
std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "duet.Tensor(<undefined>)";
  if (t.is_symbolic())  // operator<< cannot capture the caller's line: name where t was made
    ThrowError(absl::FailedPreconditionError("[print] cannot print the value of symbolic tensor " +
                                             t.spec().to_string() +
                                             " while a function is being traced; use "
                                             "duet::print(x) to print each time the graph runs, "
                                             "or config::run_functions_eagerly(true) to debug"),
               t.origin());
  // Waits for an async value (throwing its kernel's error) and reads a device tensor's copy.
  std::string values = FormatValues(ValueOrThrow(HostReadable(t), t.origin()));
  if (values.find('\n') != std::string::npos) values.insert(0, "\n");
  return os << "duet.Tensor(" << values << ", shape=" << t.shape().to_string()
            << ", dtype=" << DTypeName(t.dtype()) << ")";
}

}  // namespace duet
