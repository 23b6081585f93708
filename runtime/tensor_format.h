// Printing tensors the way TensorFlow eager does, i.e. with NumPy's str() of the values
// (np.array2string defaults: precision 8, threshold 1000, edgeitems 3, linewidth 75).
// `operator<<(std::ostream&, const Tensor&)` itself is declared in runtime/tensor.h.
// Example:
//   std::cout << constant({{1, 2}, {3, 4}});
//   // duet.Tensor(
//   // [[1 2]
//   //  [3 4]], shape=(2, 2), dtype=int32)
//   FormatValues(constant({1.5f, 2.f})) == "[1.5 2. ]";
//   FormatValues(constant(4)) == "4";
#pragma once

#include <string>

#include "runtime/tensor.h"

namespace duet {

// NumPy's str() of the tensor's values: aligned columns, lines wrapped at 75 columns, "..."
// past 1000 elements; a 0-d tensor prints as a NumPy scalar ("4", "2.0", "True").
// "<symbolic>" for a traced value, "<undefined>" for an undefined tensor.
std::string FormatValues(const Tensor& t);

}  // namespace duet
