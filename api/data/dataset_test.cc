// data::Dataset semantics: element order and shapes of every stage, cardinality, shuffle
// determinism per seed and reshuffling per epoch, batch remainders, map (traced once per
// signature, eager under run_functions_eagerly, errors in both), fresh state per iteration.
#include <algorithm>
#include <ranges>
#include <stdexcept>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

using data::Dataset;

static_assert(std::ranges::input_range<Dataset>,
              "a Dataset works with std::ranges algorithms and views");

std::vector<int64_t> Values(const Dataset& ds) {
  std::vector<int64_t> out;
  for (const std::vector<Tensor>& e : ds) {
    EXPECT_EQ(e.size(), 1u);
    for (int64_t v : e[0].to_vector<int64_t>()) out.push_back(v);
  }
  return out;
}

std::vector<int64_t> Iota(int64_t n) {
  std::vector<int64_t> v(n);
  for (int64_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

TEST(DatasetTest, FromTensorSlicesYieldsRowsInOrder) {
  Tensor x = constant(std::vector<float>{0, 1, 2, 3, 4, 5}, Shape{3, 2});
  Tensor y = constant({7, 8, 9});
  auto ds = Dataset::from_tensor_slices({x, y});
  EXPECT_EQ(ds.cardinality(), 3);
  int i = 0;
  for (const std::vector<Tensor>& e : ds) {
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].shape(), (Shape{2}));
    EXPECT_EQ(e[0].to_vector<float>(), (std::vector<float>{2.f * i, 2.f * i + 1}));
    EXPECT_EQ(e[1].shape(), Shape{});
    EXPECT_EQ(e[1].item<int32_t>(), 7 + i);
    ++i;
  }
  EXPECT_EQ(i, 3);
}

TEST(DatasetTest, FromTensorSlicesOfOneTensor) {
  auto ds = Dataset::from_tensor_slices(constant({{1, 2}, {3, 4}}));
  std::vector<std::vector<int32_t>> rows;
  for (const auto& e : ds) rows.push_back(e.at(0).to_vector<int32_t>());
  EXPECT_EQ(rows, (std::vector<std::vector<int32_t>>{{1, 2}, {3, 4}}));
}

TEST(DatasetTest, FromTensorSlicesChecksComponents) {
  ExpectError(
      [] {
        Dataset::from_tensor_slices({zeros({3, 2}), zeros({4})});
      },
      "[from_tensor_slices] components must have the same first dimension, got shapes (3, 2) "
      "(component 0) "
      "and (4,) (component 1)");
  ExpectError([] { Dataset::from_tensor_slices(constant(1.f)); },
              "component 0 must have rank >= 1");
  ExpectError([] { Dataset::from_tensor_slices(std::vector<Tensor>{}); },
              "[from_tensor_slices] needs at least one");
  ExpectError(
      [] {
        Dataset::from_tensor_slices({zeros({2}), Tensor()});
      },
      "component 1 is an undefined tensor");
}

TEST(DatasetTest, RangeLikePython) {
  EXPECT_EQ(Values(Dataset::range(4)), (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(Values(Dataset::range(2, 9, 3)), (std::vector<int64_t>{2, 5, 8}));
  EXPECT_EQ(Values(Dataset::range(5, 0, -2)), (std::vector<int64_t>{5, 3, 1}));
  EXPECT_EQ(Dataset::range(2, 9, 3).cardinality(), 3);
  EXPECT_EQ(Dataset::range(5, 0, -2).cardinality(), 3);
  EXPECT_EQ(Dataset::range(3, 3).cardinality(), 0);
  EXPECT_EQ(Dataset::range(INT64_MIN, INT64_MAX, INT64_MAX).cardinality(), 3);
  EXPECT_EQ(Values(Dataset::range(INT64_MAX - 1, INT64_MAX, 5)),
            (std::vector<int64_t>{INT64_MAX - 1}));
  Tensor first = Dataset::range(1).begin()->at(0);
  EXPECT_EQ(first.dtype(), DType::kInt64);
  ExpectError([] { Dataset::range(0, 5, 0); }, "[range] step must not be 0");
}

TEST(DatasetTest, BatchKeepsOrDropsTheRemainder) {
  auto ds = Dataset::from_tensor_slices({constant(std::vector<int32_t>(10, 1), Shape{10}),
                                         constant(std::vector<float>(20, 2.f), Shape{10, 2})});
  std::vector<Shape> shapes;
  for (const auto& b : ds.batch(4)) {
    shapes.push_back(b[0].shape());
    EXPECT_EQ(b[1].shape(), (Shape{b[0].shape()[0], 2}));
  }
  EXPECT_EQ(shapes, (std::vector<Shape>{Shape{4}, Shape{4}, Shape{2}}));
  EXPECT_EQ(ds.batch(4).cardinality(), 3);
  EXPECT_EQ(ds.batch(4, /*drop_remainder=*/true).cardinality(), 2);
  int n = 0;
  for (const auto& b : ds.batch(4, true)) n += b[0].shape()[0] == 4;
  EXPECT_EQ(n, 2);
  EXPECT_EQ(Values(Dataset::range(5).batch(2)), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(Dataset::range(4).batch(2).batch(2).begin()->at(0).shape(), (Shape{2, 2}));
  ExpectError([] { Dataset::range(4).batch(0); }, "[batch] batch_size must be >= 1, got 0");
}

TEST(DatasetTest, BatchOfMismatchedElementsNamesBoth) {
  auto ds = Dataset::range(3).map([](std::vector<Tensor> e) {
    return std::vector<Tensor>{zeros({2}), e[0]};
  });
  auto ragged =
      Dataset::from_tensor_slices(constant({1, 2})).map([](std::vector<Tensor> e) -> Tensor {
        return e[0].item<int32_t>() == 1 ? zeros({2}) : zeros({3});
      });
  config::run_functions_eagerly(true);
  ExpectError(
      [&] {
        for (const auto& b : ragged.batch(2)) (void)b;
      },
      "[batch] component 0 of element 1 in a batch is float32(3,) but the batch's first element "
      "has float32(2,)");
  config::run_functions_eagerly(false);
  EXPECT_EQ(ds.batch(3).begin()->at(0).shape(), (Shape{3, 2}));
}

TEST(DatasetTest, RepeatTakeSkipAndCardinality) {
  auto r3 = Dataset::range(3);
  EXPECT_EQ(Values(r3.repeat(2)), (std::vector<int64_t>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(Values(r3.repeat().take(7)), (std::vector<int64_t>{0, 1, 2, 0, 1, 2, 0}));
  EXPECT_EQ(Values(r3.repeat(0)), std::vector<int64_t>{});
  EXPECT_EQ(Values(Dataset::range(0).repeat()), std::vector<int64_t>{});  // does not hang
  EXPECT_EQ(Values(Dataset::range(10).skip(7)), (std::vector<int64_t>{7, 8, 9}));
  EXPECT_EQ(Values(Dataset::range(10).skip(-1)), std::vector<int64_t>{});
  EXPECT_EQ(Values(Dataset::range(10).take(-1)), Iota(10));
  EXPECT_EQ(Values(Dataset::range(10).skip(2).take(3)), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(Values(Dataset::range(10).take(0)), std::vector<int64_t>{});

  EXPECT_EQ(r3.repeat(2).cardinality(), 6);
  EXPECT_EQ(r3.repeat().cardinality(), data::kInfiniteCardinality);
  EXPECT_EQ(Dataset::range(0).repeat().cardinality(), 0);
  EXPECT_EQ(r3.repeat().take(7).cardinality(), 7);
  EXPECT_EQ(r3.repeat().skip(7).cardinality(), data::kInfiniteCardinality);
  EXPECT_EQ(Dataset::range(10).skip(7).cardinality(), 3);
  EXPECT_EQ(Dataset::range(10).skip(70).cardinality(), 0);
  EXPECT_EQ(Dataset::range(10).skip(-1).cardinality(), 0);
  EXPECT_EQ(Dataset::range(10).take(70).cardinality(), 10);
  EXPECT_EQ(Dataset::range(10).take(-1).cardinality(), 10);
  EXPECT_EQ(Dataset::range(10).batch(3).repeat(2).cardinality(), 8);
  EXPECT_EQ(r3.repeat().batch(2).cardinality(), data::kInfiniteCardinality);
  EXPECT_EQ(r3.shuffle(2, 1).map([](std::vector<Tensor> e) { return e; }).prefetch(1).cardinality(),
            3);
}

TEST(DatasetTest, ShuffleIsAPermutationDeterministicPerSeedAndReshuffledPerEpoch) {
  auto make = [](int64_t seed) { return Dataset::range(100).shuffle(100, seed); };
  auto a = make(1), b = make(1), c = make(2);
  std::vector<int64_t> a1 = Values(a), a2 = Values(a), b1 = Values(b), b2 = Values(b),
                       c1 = Values(c);
  std::vector<int64_t> sorted = a1;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, Iota(100));
  EXPECT_NE(a1, Iota(100));
  EXPECT_EQ(a1, b1);  // same seed, same first epoch
  EXPECT_EQ(a2, b2);  // ... and same second epoch
  EXPECT_NE(a1, a2);  // reshuffled each iteration
  EXPECT_NE(a1, c1);  // another seed, another order

  // Inside repeat every epoch is a new iteration of the shuffle.
  std::vector<int64_t> two = Values(make(3).repeat(2));
  ASSERT_EQ(two.size(), 200u);
  std::vector<int64_t> e1(two.begin(), two.begin() + 100), e2(two.begin() + 100, two.end());
  EXPECT_NE(e1, e2);
  std::sort(e1.begin(), e1.end());
  std::sort(e2.begin(), e2.end());
  EXPECT_EQ(e1, Iota(100));
  EXPECT_EQ(e2, Iota(100));

  random::set_seed(5);
  auto unseeded1 = Dataset::range(100).shuffle(100), other = Dataset::range(100).shuffle(100);
  random::set_seed(5);
  auto unseeded2 = Dataset::range(100).shuffle(100);
  std::vector<int64_t> u1 = Values(unseeded1), u2 = Values(unseeded2), o = Values(other);
  EXPECT_EQ(u1, u2);                                              // drawn from the global seed
  EXPECT_NE(u1, o);                                               // the next draw
  EXPECT_EQ(Values(Dataset::range(10).shuffle(1, 5)), Iota(10));  // a buffer of one keeps order
  // A small buffer only moves elements locally: element i comes out within the first i+k.
  std::vector<int64_t> local = Values(Dataset::range(50).shuffle(4, 9));
  for (size_t i = 0; i < local.size(); ++i) EXPECT_LE(local[i], static_cast<int64_t>(i) + 3);
  ExpectError([] { Dataset::range(3).shuffle(0, 1); }, "[shuffle] buffer_size must be >= 1, got 0");
}

TEST(DatasetTest, ShuffledRowsBatchLikeShuffledElements) {
  // from_tensor_slices -> shuffle -> batch copies rows by index; with a map in between it works
  // element by element. Both must give the same batches.
  std::vector<float> values(60 * 3);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  auto source = Dataset::from_tensor_slices(
      {constant(values, Shape{60, 3}), constant(std::vector<int32_t>(60, 4), Shape{60})});
  auto identity = [](std::vector<Tensor> e) { return e; };
  for (int64_t buffer : {1, 7, 60, 100}) {
    auto fast = source.shuffle(buffer, 11).batch(7);
    auto slow = source.map(identity).shuffle(buffer, 11).batch(7);
    auto unbatched = source.shuffle(buffer, 11);
    std::vector<float> a, b, c;
    for (const auto& x : fast)
      for (float v : x[0].to_vector<float>()) a.push_back(v);
    for (const auto& x : slow)
      for (float v : x[0].to_vector<float>()) b.push_back(v);
    for (const auto& x : unbatched)
      for (float v : x[0].to_vector<float>()) c.push_back(v);
    EXPECT_EQ(a, b) << buffer;
    EXPECT_EQ(a, c) << buffer;
    EXPECT_EQ(a.size(), values.size());
    EXPECT_EQ(fast.begin()->at(1).to_vector<int32_t>(), std::vector<int32_t>(7, 4));
  }
}

TEST(DatasetTest, EachIterationHasFreshStateAndOutlivesTheHandle) {
  auto ds = Dataset::range(5).batch(2);
  auto it1 = ds.begin();
  auto it2 = ds.begin();
  ++it1;
  EXPECT_EQ(it1->at(0).to_vector<int64_t>(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(it2->at(0).to_vector<int64_t>(), (std::vector<int64_t>{0, 1}));
  auto it = Dataset::range(3).map([](std::vector<Tensor> e) { return e; }).begin();  // handle gone
  std::vector<int64_t> seen;
  for (; it != std::default_sentinel; ++it) seen.push_back(it->at(0).item<int64_t>());
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 1, 2}));
}

TEST(DatasetTest, MapTracesOncePerSignature) {
  int traces = 0;
  auto ds = Dataset::range(10).batch(4).map([&](std::vector<Tensor> e) {
    ++traces;
    EXPECT_FALSE(executing_eagerly());
    return std::vector<Tensor>{e[0] * 2, cast(e[0], DType::kFloat32) + 0.5f};
  });
  std::vector<int64_t> doubled;
  std::vector<float> halves;
  for (const auto& b : ds) {
    for (int64_t v : b[0].to_vector<int64_t>()) doubled.push_back(v);
    for (float v : b[1].to_vector<float>()) halves.push_back(v);
  }
  EXPECT_EQ(doubled, (std::vector<int64_t>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18}));
  EXPECT_EQ(halves,
            (std::vector<float>{0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f, 8.5f, 9.5f}));
  EXPECT_EQ(traces, 2);  // (4,) and the remainder (2,)
  for (const auto& b : ds) (void)b;
  EXPECT_EQ(traces, 2);  // a second epoch reuses both graphs
}

TEST(DatasetTest, MapHonoursRunFunctionsEagerly) {
  int calls = 0;
  auto ds = Dataset::range(4).map([&](std::vector<Tensor> e) -> Tensor {
    ++calls;
    EXPECT_TRUE(executing_eagerly());
    return e[0] + e[0].item<int64_t>();  // reading a value works only eagerly
  });
  config::run_functions_eagerly(true);
  std::vector<int64_t> got = Values(ds);
  config::run_functions_eagerly(false);
  EXPECT_EQ(got, (std::vector<int64_t>{0, 2, 4, 6}));
  EXPECT_EQ(calls, 4);
}

TEST(DatasetTest, MapErrorsReachTheLoopEagerAndTraced) {
  auto reads_value = Dataset::range(3).map(
      [](std::vector<Tensor> e) -> Tensor { return e[0] * e[0].item<int64_t>(); });
  ExpectError(
      [&] {
        for (const auto& e : reads_value) (void)e;
      },
      "cannot read the value of symbolic tensor");
  auto bad_op =
      Dataset::range(3).map([](std::vector<Tensor> e) -> Tensor { return matmul(e[0], e[0]); });
  ExpectError(
      [&] {
        for (const auto& e : bad_op) (void)e;
      },
      "[matmul]");
  config::run_functions_eagerly(true);
  ExpectError(
      [&] {
        for (const auto& e : bad_op) (void)e;
      },
      "[matmul]");
  config::run_functions_eagerly(false);
  auto throws = Dataset::range(3).map(
      [](std::vector<Tensor>) -> std::vector<Tensor> { throw std::out_of_range("mine"); });
  ExpectThrowWithMessage<std::out_of_range>(
      [&] {
        for (const auto& e : throws) (void)e;
      },
      "mine");
}

}  // namespace
}  // namespace duet
