#include "api/summary/histogram.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace duet::summary {

const std::vector<double>& DefaultBucketLimits() {
  static const std::vector<double> limits = [] {
    std::vector<double> pos, neg;
    for (double v = 1e-12; v < 1e20; v *= 1.1) {
      pos.push_back(v);
      neg.push_back(-v);
    }
    pos.push_back(DBL_MAX);
    neg.push_back(-DBL_MAX);
    std::reverse(neg.begin(), neg.end());
    neg.push_back(0.0);
    neg.insert(neg.end(), pos.begin(), pos.end());
    return neg;
  }();
  return limits;
}

tensorboard::HistogramProto MakeHistogram(const std::vector<double>& values) {
  const std::vector<double>& limits = DefaultBucketLimits();
  std::vector<double> counts(limits.size(), 0.0);
  tensorboard::HistogramProto h;
  double min = DBL_MAX, max = -DBL_MAX, num = 0, sum = 0, sum_squares = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    // As TF: bucket i holds [limits[i-1], limits[i]); +inf lands in the last bucket.
    size_t i = std::upper_bound(limits.begin(), limits.end(), v) - limits.begin();
    counts[std::min(i, limits.size() - 1)] += 1;
    min = std::min(min, v);
    max = std::max(max, v);
    num += 1;
    sum += v;
    sum_squares += v * v;
  }
  h.set_min(num > 0 ? min : 0);
  h.set_max(num > 0 ? max : 0);
  h.set_num(num);
  h.set_sum(sum);
  h.set_sum_squares(sum_squares);
  for (size_t i = 0; i < counts.size();) {
    double end = limits[i], count = counts[i++];
    if (count <= 0)
      while (i < counts.size() && counts[i] <= 0) end = limits[i++];
    h.add_bucket_limit(end);
    h.add_bucket(count);
  }
  return h;
}

}  // namespace duet::summary
