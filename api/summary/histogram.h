// Histograms for TensorBoard: TF's default buckets (limits +-1e-12 * 1.1^k up to 1e20, 0 and
// +-DBL_MAX: fine near zero, relative width 10% everywhere), filled from a tensor's values and
// encoded as TF does (runs of empty buckets collapsed into one).
// Example:
//   tensorboard::HistogramProto h = MakeHistogram({0.5, 1.5, 1.5});  // num 3, min .5, max 1.5
#pragma once

#include <vector>

#include "api/summary/summary.pb.h"

namespace duet::summary {

// The default bucket upper limits, ascending, symmetric around 0.
const std::vector<double>& DefaultBucketLimits();

// NaNs are skipped (TensorBoard cannot draw them); an empty input gives num == 0.
tensorboard::HistogramProto MakeHistogram(const std::vector<double>& values);

}  // namespace duet::summary
