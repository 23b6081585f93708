// OpInfo entries for the shape ops: reshape transpose expand_dims squeeze concat stack slice
// pad gather scatter_add one_hot. References index element by element through Unravel/Ravel; they
// share no code with the kernels' merged-dim/blocked copies.

#include "api/duet.h"
#include "tests/opinfo/opinfo.h"

namespace duet::testing {
namespace {

const std::vector<DType> kAllDTypes = {DType::kFloat32, DType::kFloat64, DType::kInt32,
                                       DType::kInt64,   DType::kBool,    DType::kFloat16,
                                       DType::kBFloat16};
using Ints = std::vector<int64_t>;

AttrValue IntAttr(int64_t v) { return AttrValue(v); }
AttrValue IntsAttr(Ints v) { return AttrValue(std::move(v)); }
Tensor F32(const Shape& s) { return TestTensor(s, DType::kFloat32); }

// out[i] = x[source(out multi-index)] for every element of `out_shape`.
RefTensor RefMove(const Tensor& x, const Shape& out_shape,
                  const std::function<int64_t(const Ints&)>& source) {
  std::vector<double> in = Values(x);
  RefTensor r{out_shape, x.dtype(), {}};
  for (int64_t i = 0; i < out_shape.num_elements(); ++i)
    r.values.push_back(in[source(Unravel(i, out_shape))]);
  return r;
}
std::vector<RefTensor> One(RefTensor r) { return {std::move(r)}; }
int64_t Norm(int64_t axis, int rank) { return axis < 0 ? axis + rank : axis; }

// ---- reshape ------------------------------------------------------------------------------
DUET_OPINFO(
        .op = "reshape", .dtypes = kAllDTypes,
        .samples =
            [](DType d) {
              std::vector<std::pair<Shape, Shape>> cases = {{Shape{2, 3}, Shape{3, 2}},
                                                            {Shape{2, 3}, Shape{-1}},
                                                            {Shape{2, 3, 4}, Shape{4, -1}},
                                                            {Shape{}, Shape{1, 1}},
                                                            {Shape{1}, Shape{}},
                                                            {Shape{0, 3}, Shape{3, 0}},
                                                            {Shape{24}, Shape{2, 3, 4}},
                                                            {Shape{1000}, Shape{10, -1}},
                                                            {Shape{2, 3}, Shape{-1, 2}}};
              std::vector<OpSample> out;
              uint32_t seed = 1;
              for (auto& [in, to] : cases)
                out.push_back({in.to_string() + " -> " + to.to_string(),
                               {TestTensor(in, d, -3, 3, seed++)},
                               {AttrValue(to)}});
              return out;
            },
        .reference =
            [](const OpSample& s) {
              Shape to = SampleAttr<Shape>(s, "reshape", "shape");
              int64_t known = 1;
              for (int64_t d : to) known *= d < 0 ? 1 : d;
              for (int i = 0; i < to.rank(); ++i)
                if (to[i] < 0) to[i] = s.inputs[0].num_elements() / known;
              return One(RefMove(s.inputs[0], to, [&](const Ints& idx) { return Ravel(idx, to); }));
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"count",
                   {F32({2, 3})},
                   {AttrValue(Shape{4})},
                   "cannot reshape (2, 3) (6 elements) into (4,)"},
                  {"-1 not divisible",
                   {F32({2, 3})},
                   {AttrValue(Shape{4, -1})},
                   "cannot reshape (2, 3) (6 elements) into (4, -1)"},
                  {"two -1",
                   {F32({2, 3})},
                   {AttrValue(Shape{-1, -1})},
                   "only one dim of the target shape (-1, -1) may be -1"},
                  {"bad dim",
                   {F32({2, 3})},
                   {AttrValue(Shape{-2, -3})},
                   "invalid dim -2 in target shape (-2, -3)"},
                  {"ambiguous -1",
                   {F32({0, 3})},
                   {AttrValue(Shape{0, -1})},
                   "cannot infer the -1 in (0, -1) for (0, 3)"},
                  {"attr kind", {F32({2, 3})}, {IntsAttr({6})}, "attribute 'shape' must be"}};
            });

// ---- transpose ----------------------------------------------------------------------------
Ints ResolvePerm(const Ints& perm, int rank) {
  if (!perm.empty()) return perm;
  Ints rev(rank);
  for (int i = 0; i < rank; ++i) rev[i] = rank - 1 - i;
  return rev;
}

DUET_OPINFO(
        .op = "transpose", .dtypes = kAllDTypes,
        .samples =
            [](DType d) {
              std::vector<std::pair<Shape, Ints>> cases = {{Shape{2, 3}, {}},
                                                           {Shape{2, 3, 4}, {}},
                                                           {Shape{2, 3, 4}, {0, 2, 1}},
                                                           {Shape{2, 3, 4}, {2, 0, 1}},
                                                           {Shape{2, 3, 4}, {1, 2, 0}},
                                                           {Shape{2, 3, 4, 5}, {0, 2, 1, 3}},
                                                           {Shape{2, 3, 4, 5}, {3, 1, 2, 0}},
                                                           {Shape{1, 3, 1, 2}, {2, 3, 0, 1}},
                                                           {Shape{}, {}},
                                                           {Shape{0, 3}, {}},
                                                           {Shape{67, 45}, {1, 0}},
                                                           {Shape{2, 40, 33}, {0, 2, 1}},
                                                           {Shape{2, 3}, {0, 1}},
                                                           {Shape{5}, {0}},
                                                           {Shape{35, 3, 37}, {2, 1, 0}}};
              std::vector<OpSample> out;
              uint32_t seed = 20;
              for (auto& [in, perm] : cases) {
                std::string name = in.to_string() + " perm " + std::to_string(perm.size());
                for (int64_t p : perm) name += "," + std::to_string(p);
                out.push_back({name, {TestTensor(in, d, -3, 3, seed++)}, {IntsAttr(perm)}});
              }
              return out;
            },
        .reference =
            [](const OpSample& s) {
              const Shape& in = s.inputs[0].shape();
              Ints perm = ResolvePerm(SampleAttr<Ints>(s, "transpose", "perm"), in.rank());
              Shape out;
              for (int64_t p : perm) out.push_back(in[p]);
              return One(RefMove(s.inputs[0], out, [&](const Ints& oi) {
                Ints ii(in.rank());
                for (size_t j = 0; j < perm.size(); ++j) ii[perm[j]] = oi[j];
                return Ravel(ii, in);
              }));
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"short perm",
                   {F32({2, 3, 4})},
                   {IntsAttr({1, 0})},
                   "perm [1, 0] is not a permutation of [0, 3) for shape (2, 3, 4)"},
                  {"out of range",
                   {F32({2, 3})},
                   {IntsAttr({0, 2})},
                   "perm [0, 2] is not a permutation of [0, 2)"},
                  {"negative",
                   {F32({2, 3})},
                   {IntsAttr({-1, 0})},
                   "perm [-1, 0] is not a permutation"},
                  {"duplicate",
                   {F32({2, 3})},
                   {IntsAttr({1, 1})},
                   "perm [1, 1] is not a permutation of [0, 2) for shape (2, 3)"}};
            });

// ---- expand_dims / squeeze ----------------------------------------------------------------
DUET_OPINFO(
        .op = "expand_dims", .dtypes = kAllDTypes,
        .samples =
            [](DType d) {
              std::vector<std::pair<Shape, int64_t>> cases = {
                  {Shape{2, 3}, 0},  {Shape{2, 3}, 1}, {Shape{2, 3}, 2}, {Shape{2, 3}, -1},
                  {Shape{2, 3}, -3}, {Shape{}, 0},     {Shape{}, -1},    {Shape{0, 2}, 1}};
              std::vector<OpSample> out;
              uint32_t seed = 40;
              for (auto& [in, axis] : cases)
                out.push_back({in.to_string() + " axis " + std::to_string(axis),
                               {TestTensor(in, d, -3, 3, seed++)},
                               {IntAttr(axis)}});
              return out;
            },
        .reference =
            [](const OpSample& s) {
              Shape out = s.inputs[0].shape();
              int64_t axis = SampleAttr<int64_t>(s, "expand_dims", "axis");
              out.insert(static_cast<int>(axis < 0 ? axis + out.rank() + 1 : axis), 1);
              return One(
                  RefMove(s.inputs[0], out, [&](const Ints& idx) { return Ravel(idx, out); }));
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{{"axis too big",
                                             {F32({2, 3})},
                                             {IntAttr(3)},
                                             "axis 3 is out of range [-3, 2] for shape (2, 3)"},
                                            {"axis too small",
                                             {F32({2, 3})},
                                             {IntAttr(-4)},
                                             "axis -4 is out of range [-3, 2] for shape (2, 3)"}};
            });

DUET_OPINFO(
        .op = "squeeze", .dtypes = kAllDTypes,
        .samples =
            [](DType d) {
              std::vector<std::pair<Shape, Ints>> cases = {
                  {Shape{1, 2, 1, 3}, {}},     {Shape{1, 2, 1, 3}, {0}}, {Shape{1, 2, 1, 3}, {-2}},
                  {Shape{1, 2, 1, 3}, {0, 2}}, {Shape{1}, {}},           {Shape{}, {}},
                  {Shape{0, 1}, {1}},          {Shape{2, 3}, {}}};
              std::vector<OpSample> out;
              uint32_t seed = 50;
              for (auto& [in, axes] : cases)
                out.push_back({in.to_string() + " axes " + std::to_string(axes.size()),
                               {TestTensor(in, d, -3, 3, seed++)},
                               {IntsAttr(axes)}});
              return out;
            },
        .reference =
            [](const OpSample& s) {
              const Shape& in = s.inputs[0].shape();
              Ints axes = SampleAttr<Ints>(s, "squeeze", "axes");
              Shape out;
              for (int i = 0; i < in.rank(); ++i) {
                bool listed = false;
                for (int64_t a : axes) listed |= Norm(a, in.rank()) == i;
                if (!(axes.empty() ? in[i] == 1 : listed)) out.push_back(in[i]);
              }
              return One(
                  RefMove(s.inputs[0], out, [&](const Ints& idx) { return Ravel(idx, out); }));
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"not size 1",
                   {F32({1, 2, 3})},
                   {IntsAttr({1})},
                   "cannot squeeze axis 1 of shape (1, 2, 3): its size is 2, not 1"},
                  {"axis out of range",
                   {F32({1, 2})},
                   {IntsAttr({2})},
                   "axis 2 is out of range for shape (1, 2)"}};
            });

// ---- concat / stack -----------------------------------------------------------------------
std::vector<Tensor> Inputs(const std::vector<Shape>& shapes, DType d, uint32_t seed) {
  std::vector<Tensor> out;
  for (const Shape& s : shapes) out.push_back(TestTensor(s, d, -3, 3, seed++));
  return out;
}
std::string ShapesName(const std::vector<Shape>& shapes, int64_t axis) {
  std::string name;
  for (const Shape& s : shapes) name += s.to_string() + " ";
  return name + "axis " + std::to_string(axis);
}

// Concatenation along `axis` of inputs that share every other dim.
RefTensor RefConcat(const std::vector<Tensor>& xs, int axis) {
  Shape out = xs[0].shape();
  for (size_t k = 1; k < xs.size(); ++k) out[axis] += xs[k].shape()[axis];
  RefTensor r{out, xs[0].dtype(), {}};
  for (int64_t i = 0; i < out.num_elements(); ++i) {
    Ints idx = Unravel(i, out);
    size_t k = 0;
    while (idx[axis] >= xs[k].shape()[axis]) idx[axis] -= xs[k++].shape()[axis];
    r.values.push_back(Values(xs[k])[Ravel(idx, xs[k].shape())]);
  }
  return r;
}

DUET_OPINFO(
        .op = "concat", .dtypes = kAllDTypes,
        .samples =
            [](DType d) {
              std::vector<std::pair<std::vector<Shape>, int64_t>> cases = {
                  {{Shape{2, 3}, Shape{2, 3}}, 0},
                  {{Shape{2, 3}, Shape{2, 1}, Shape{2, 0}}, 1},
                  {{Shape{2, 3}, Shape{4, 3}}, -2},
                  {{Shape{5}}, 0},
                  {{Shape{2, 1, 3}, Shape{2, 4, 3}, Shape{2, 2, 3}}, 1},
                  {{Shape{2, 3, 4}, Shape{2, 3, 1}}, -1},
                  {{Shape{0, 3}, Shape{2, 3}}, 0}};
              std::vector<OpSample> out;
              uint32_t seed = 60;
              for (auto& [shapes, axis] : cases)
                out.push_back(
                    {ShapesName(shapes, axis), Inputs(shapes, d, seed += 5), {IntAttr(axis)}});
              return out;
            },
        .reference =
            [](const OpSample& s) {
              return One(RefConcat(
                  s.inputs, Norm(SampleAttr<int64_t>(s, "concat", "axis"), s.inputs[0].rank())));
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"dims differ",
                   {F32({2, 3}), F32({3, 3})},
                   {IntAttr(1)},
                   "input 1 has shape (3, 3) but input 0 has shape (2, 3); all dims except axis 1 "
                   "must match"},
                  {"ranks differ",
                   {F32({2, 3}), F32({2, 3, 1})},
                   {IntAttr(0)},
                   "input 1 has shape (2, 3, 1) but input 0 has shape (2, 3)"},
                  {"dtypes differ",
                   {F32({2}), TestTensor({2}, DType::kInt32)},
                   {IntAttr(0)},
                   "dtype mismatch: float32(2,) vs int32(2,)"},
                  {"axis",
                   {F32({2, 3}), F32({2, 3})},
                   {IntAttr(2)},
                   "axis 2 is out of range for shape (2, 3)"},
                  {"scalars", {F32({}), F32({})}, {IntAttr(0)}, "cannot concatenate scalars"},
                  {"no inputs", {}, {IntAttr(0)}, "expects at least 1 inputs, got 0"}};
            });

DUET_OPINFO(
        .op = "stack", .dtypes = kAllDTypes,
        .samples =
            [](DType d) {
              std::vector<std::pair<std::vector<Shape>, int64_t>> cases = {
                  {{Shape{2, 3}, Shape{2, 3}}, 0},
                  {{Shape{2, 3}, Shape{2, 3}}, 1},
                  {{Shape{2, 3}, Shape{2, 3}, Shape{2, 3}}, 2},
                  {{Shape{2, 3}, Shape{2, 3}}, -1},
                  {{Shape{}, Shape{}, Shape{}}, 0},
                  {{Shape{4}}, -2},
                  {{Shape{0, 2}, Shape{0, 2}}, 1}};
              std::vector<OpSample> out;
              uint32_t seed = 90;
              for (auto& [shapes, axis] : cases)
                out.push_back(
                    {ShapesName(shapes, axis), Inputs(shapes, d, seed += 5), {IntAttr(axis)}});
              return out;
            },
        .reference =
            [](const OpSample& s) {
              const Shape& in = s.inputs[0].shape();
              int64_t a = SampleAttr<int64_t>(s, "stack", "axis");
              int axis = static_cast<int>(a < 0 ? a + in.rank() + 1 : a);
              Shape out = in;
              out.insert(axis, static_cast<int64_t>(s.inputs.size()));
              RefTensor r{out, s.inputs[0].dtype(), {}};
              for (int64_t i = 0; i < out.num_elements(); ++i) {
                Ints idx = Unravel(i, out);
                int64_t k = idx[axis];
                idx.erase(idx.begin() + axis);
                r.values.push_back(Values(s.inputs[k])[Ravel(idx, in)]);
              }
              return One(r);
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"shapes differ",
                   {F32({2, 3}), F32({3, 2})},
                   {IntAttr(0)},
                   "all inputs must have the same shape: input 0 is (2, 3), input 1 is (3, 2)"},
                  {"dtypes differ",
                   {F32({2}), TestTensor({2}, DType::kFloat64)},
                   {IntAttr(0)},
                   "dtype mismatch"},
                  {"axis",
                   {F32({2, 3}), F32({2, 3})},
                   {IntAttr(3)},
                   "axis 3 is out of range [-3, 2] for shape (2, 3)"},
                  {"negative axis",
                   {F32({2}), F32({2})},
                   {IntAttr(-3)},
                   "axis -3 is out of range [-2, 1] for shape (2,)"}};
            });

// ---- slice --------------------------------------------------------------------------------
DUET_OPINFO(
        .op = "slice", .dtypes = kAllDTypes,
        .samples =
            [](DType d) {
              std::vector<std::tuple<Shape, Ints, Ints>> cases = {
                  {Shape{2, 3}, {0, 1}, {-1, 1}},
                  {Shape{4, 5, 6}, {1, 2, 0}, {2, 2, 6}},
                  {Shape{4, 5, 6}, {0, 0, 0}, {-1, -1, -1}},
                  {Shape{5}, {2}, {0}},
                  {Shape{}, {}, {}},
                  {Shape{3, 4}, {3, 4}, {0, 0}},
                  {Shape{4, 5, 6}, {1, 0, 2}, {2, 5, 3}},
                  {Shape{4, 5, 6}, {3, 4, 5}, {1, 1, 1}},
                  {Shape{1000}, {10}, {-1}}};
              std::vector<OpSample> out;
              uint32_t seed = 120;
              for (auto& [in, b, sz] : cases)
                out.push_back({in.to_string() + " " + std::to_string(seed),
                               {TestTensor(in, d, -3, 3, seed++)},
                               {IntsAttr(b), IntsAttr(sz)}});
              return out;
            },
        .reference =
            [](const OpSample& s) {
              const Shape& in = s.inputs[0].shape();
              Ints b = SampleAttr<Ints>(s, "slice", "begin"),
                   sz = SampleAttr<Ints>(s, "slice", "size");
              Shape out;
              for (int i = 0; i < in.rank(); ++i) out.push_back(sz[i] < 0 ? in[i] - b[i] : sz[i]);
              return One(RefMove(s.inputs[0], out, [&](const Ints& oi) {
                Ints ii(oi);
                for (size_t i = 0; i < ii.size(); ++i) ii[i] += b[i];
                return Ravel(ii, in);
              }));
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"begin length",
                   {F32({2, 3})},
                   {IntsAttr({0}), IntsAttr({1, 1})},
                   "must each have 2 entries (one per dim of shape (2, 3))"},
                  {"size too big",
                   {F32({2, 3})},
                   {IntsAttr({0, 1}), IntsAttr({1, 3})},
                   "begin[1] = 1 with size[1] = 3 is out of range for dim 1 of shape (2, 3)"},
                  {"begin past end",
                   {F32({2, 3})},
                   {IntsAttr({3, 0}), IntsAttr({-1, -1})},
                   "begin[0] = 3 with size[0] = -1 is out of range"},
                  {"negative begin",
                   {F32({2, 3})},
                   {IntsAttr({-1, 0}), IntsAttr({1, 1})},
                   "begin[0] = -1 with size[0] = 1 is out of range"},
                  {"bad size",
                   {F32({2, 3})},
                   {IntsAttr({0, 0}), IntsAttr({1, -2})},
                   "size[1] = -2 is out of range for dim 1 of shape (2, 3)"}};
            });

// ---- pad ----------------------------------------------------------------------------------
DUET_OPINFO(
        .op = "pad", .dtypes = kAllDTypes,
        .samples =
            [](DType d) {
              std::vector<std::pair<Shape, Ints>> cases = {{Shape{2, 3}, {1, 0, 2, 1}},
                                                           {Shape{4}, {0, 0}},
                                                           {Shape{}, {}},
                                                           {Shape{0, 3}, {1, 1, 0, 2}},
                                                           {Shape{2, 3, 4}, {0, 1, 1, 0, 2, 2}},
                                                           {Shape{2, 3, 4}, {1, 1, 0, 0, 0, 0}},
                                                           {Shape{3, 1}, {0, 0, 3, 0}},
                                                           {Shape{500}, {7, 2}}};
              std::vector<OpSample> out;
              uint32_t seed = 190;
              for (auto& [in, p] : cases)
                out.push_back({in.to_string() + " " + std::to_string(seed),
                               {TestTensor(in, d, -3, 3, seed++)},
                               {IntsAttr(p)}});
              return out;
            },
        .reference =
            [](const OpSample& s) {
              const Shape& in = s.inputs[0].shape();
              Ints p = SampleAttr<Ints>(s, "pad", "paddings");
              Shape out;
              for (int i = 0; i < in.rank(); ++i) out.push_back(p[2 * i] + in[i] + p[2 * i + 1]);
              std::vector<double> x = Values(s.inputs[0]);
              RefTensor r{out, s.inputs[0].dtype(), {}};
              for (int64_t i = 0; i < out.num_elements(); ++i) {
                Ints idx = Unravel(i, out);
                bool inside = true;
                for (int d = 0; d < in.rank(); ++d) {
                  idx[d] -= p[2 * d];
                  inside = inside && idx[d] >= 0 && idx[d] < in[d];
                }
                r.values.push_back(inside ? x[Ravel(idx, in)] : 0.0);
              }
              return One(r);
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"short paddings",
                   {F32({2, 3})},
                   {IntsAttr({1, 1})},
                   "paddings [1, 1] must have 4 entries (before and after for each dim of shape "
                   "(2, 3))"},
                  {"scalar with paddings",
                   {F32({})},
                   {IntsAttr({1, 1})},
                   "paddings [1, 1] must have 0 entries"},
                  {"negative before",
                   {F32({2, 3})},
                   {IntsAttr({0, 0, -1, 2})},
                   "paddings [0, 0, -1, 2] for shape (2, 3) must be >= 0, got -1, 2 for dim 1"},
                  {"negative after",
                   {F32({2})},
                   {IntsAttr({0, -3})},
                   "must be >= 0, got 0, -3 for dim 0"},
                  {"attr kind", {F32({2})}, {IntAttr(1)}, "attribute 'paddings' must be"}};
            });

// ---- gather -------------------------------------------------------------------------------
DUET_OPINFO(
        .op = "gather", .dtypes = kAllDTypes,
        .samples =
            [](DType d) {
              struct Case {
                Shape params;
                Shape indices;
                DType index_dtype;
                int64_t axis;
              };
              std::vector<Case> cases = {{Shape{5, 3}, Shape{4}, DType::kInt32, 0},
                                         {Shape{2, 5, 3}, Shape{2, 2}, DType::kInt64, 1},
                                         {Shape{2, 5, 3}, Shape{6}, DType::kInt32, -1},
                                         {Shape{5}, Shape{}, DType::kInt64, 0},
                                         {Shape{5, 3}, Shape{0}, DType::kInt32, 0},
                                         {Shape{7, 4}, Shape{3, 2, 2}, DType::kInt64, -2},
                                         {Shape{3, 0}, Shape{2}, DType::kInt32, 0}};
              std::vector<OpSample> out;
              uint32_t seed = 150;
              for (const Case& c : cases) {
                int axis = static_cast<int>(Norm(c.axis, c.params.rank()));
                Tensor idx = TestTensor(c.indices, c.index_dtype, 0,
                                        static_cast<double>(c.params[axis]), seed++);
                out.push_back({c.params.to_string() + " " + c.indices.to_string() + " axis " +
                                   std::to_string(c.axis),
                               {TestTensor(c.params, d, -3, 3, seed++), idx},
                               {IntAttr(c.axis)}});
              }
              return out;
            },
        .reference =
            [](const OpSample& s) {
              const Shape& p = s.inputs[0].shape();
              const Shape& ishape = s.inputs[1].shape();
              int axis = static_cast<int>(Norm(SampleAttr<int64_t>(s, "gather", "axis"), p.rank()));
              std::vector<double> idx = Values(s.inputs[1]);
              Shape out;
              for (int i = 0; i < axis; ++i) out.push_back(p[i]);
              for (int64_t d : ishape) out.push_back(d);
              for (int i = axis + 1; i < p.rank(); ++i) out.push_back(p[i]);
              return One(RefMove(s.inputs[0], out, [&](const Ints& oi) {
                Ints pi(oi.begin(), oi.begin() + axis);
                Ints ii(oi.begin() + axis, oi.begin() + axis + ishape.rank());
                pi.push_back(static_cast<int64_t>(idx[Ravel(ii, ishape)]));
                pi.insert(pi.end(), oi.begin() + axis + ishape.rank(), oi.end());
                return Ravel(pi, p);
              }));
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"index too big",
                   {F32({3, 2}), constant({0, 5})},
                   {IntAttr(0)},
                   "indices[1] = 5 is out of range [0, 3) for axis 0 of params (3, 2)"},
                  {"negative index",
                   {F32({3, 2}), constant({int64_t{-1}})},
                   {IntAttr(1)},
                   "indices[0] = -1 is out of range [0, 2) for axis 1 of params (3, 2)"},
                  {"float indices",
                   {F32({3, 2}), F32({2})},
                   {IntAttr(0)},
                   "input 1 (indices) has dtype float32"},
                  {"axis",
                   {F32({3, 2}), constant({0})},
                   {IntAttr(2)},
                   "axis 2 is out of range for shape (3, 2)"},
                  {"scalar params",
                   {F32({}), constant({0})},
                   {IntAttr(0)},
                   "params must have rank >= 1, got shape ()"}};
            });

// ---- scatter_add --------------------------------------------------------------------------
DUET_OPINFO(
        .op = "scatter_add",
        .dtypes = {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64},
        .samples =
            [](DType d) {
              // More indices than rows in most cases, so repeated rows must accumulate.
              struct Case {
                Shape updates;
                Shape indices;
                DType index_dtype;
                int64_t axis;
                int64_t dim;
              };
              std::vector<Case> cases = {{Shape{6, 3}, Shape{6}, DType::kInt32, 0, 3},
                                         {Shape{2, 2, 2, 3}, Shape{2, 2}, DType::kInt64, 1, 4},
                                         {Shape{2, 6}, Shape{6}, DType::kInt32, -1, 3},
                                         {Shape{}, Shape{}, DType::kInt64, 0, 5},
                                         {Shape{3}, Shape{}, DType::kInt32, 0, 4},
                                         {Shape{0, 3}, Shape{0}, DType::kInt32, 0, 5},
                                         {Shape{3, 2, 4}, Shape{3, 2}, DType::kInt64, -2, 2},
                                         {Shape{2, 0}, Shape{2}, DType::kInt32, 0, 3},
                                         {Shape{0, 3}, Shape{0}, DType::kInt64, 0, 0},
                                         {Shape{800, 2}, Shape{800}, DType::kInt32, 0, 10}};
              std::vector<OpSample> out;
              uint32_t seed = 210;
              for (const Case& c : cases) {
                Tensor idx =
                    TestTensor(c.indices, c.index_dtype, 0, static_cast<double>(c.dim), seed++);
                out.push_back({c.updates.to_string() + " " + c.indices.to_string() + " axis " +
                                   std::to_string(c.axis) + " dim " + std::to_string(c.dim),
                               {TestTensor(c.updates, d, -3, 3, seed++), idx},
                               {IntAttr(c.axis), IntAttr(c.dim)}});
              }
              return out;
            },
        .reference =
            [](const OpSample& s) {
              const Shape& u = s.inputs[0].shape();
              const Shape& ishape = s.inputs[1].shape();
              int out_rank = u.rank() - ishape.rank() + 1;
              int axis =
                  static_cast<int>(Norm(SampleAttr<int64_t>(s, "scatter_add", "axis"), out_rank));
              Shape out;
              for (int i = 0; i < axis; ++i) out.push_back(u[i]);
              out.push_back(SampleAttr<int64_t>(s, "scatter_add", "dim_size"));
              for (int i = axis + ishape.rank(); i < u.rank(); ++i) out.push_back(u[i]);
              std::vector<double> upd = Values(s.inputs[0]), idx = Values(s.inputs[1]);
              RefTensor r{out, s.inputs[0].dtype(), std::vector<double>(out.num_elements(), 0.0)};
              for (int64_t i = 0; i < u.num_elements(); ++i) {
                Ints ui = Unravel(i, u);
                Ints oi(ui.begin(), ui.begin() + axis);
                Ints ii(ui.begin() + axis, ui.begin() + axis + ishape.rank());
                oi.push_back(static_cast<int64_t>(idx[Ravel(ii, ishape)]));
                oi.insert(oi.end(), ui.begin() + axis + ishape.rank(), ui.end());
                r.values[Ravel(oi, out)] += upd[i];
              }
              return One(r);
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"index too big",
                   {F32({2, 2}), constant({0, 3})},
                   {IntAttr(0), IntAttr(3)},
                   "indices[1] = 3 is out of range [0, 3) for axis 0 of the output (3, 2)"},
                  {"negative index",
                   {F32({2, 1}), constant({int64_t{-1}})},
                   {IntAttr(1), IntAttr(2)},
                   "indices[0] = -1 is out of range [0, 2) for axis 1 of the output (2, 2)"},
                  {"any index with dim 0",
                   {F32({1}), constant({0})},
                   {IntAttr(0), IntAttr(0)},
                   "is out of range [0, 0)"},
                  {"float indices",
                   {F32({2, 2}), F32({2})},
                   {IntAttr(0), IntAttr(3)},
                   "input 1 (indices) has dtype float32"},
                  {"axis",
                   {F32({2, 2}), constant({0, 1})},
                   {IntAttr(2), IntAttr(3)},
                   "axis 2 is out of range [-2, 2) for an output of rank 2 (updates (2, 2), "
                   "indices (2,))"},
                  {"rank",
                   {F32({2}), TestTensor({2, 2}, DType::kInt32, 0, 1)},
                   {IntAttr(0), IntAttr(3)},
                   "updates (2,) must have at least the rank of indices (2, 2)"},
                  {"shape mismatch",
                   {F32({2, 3}), constant({0, 1})},
                   {IntAttr(1), IntAttr(3)},
                   "updates (2, 3) must have the indices' shape (2,) at dims [1, 2)"},
                  {"negative dim_size",
                   {F32({2}), constant({0, 1})},
                   {IntAttr(0), IntAttr(-1)},
                   "dim_size must be >= 0, got -1"},
                  {"bool updates",
                   {TestTensor({2}, DType::kBool), constant({0, 1})},
                   {IntAttr(0), IntAttr(2)},
                   "has no CPU kernel for bool"}};
            });

// ---- scatter_add_like ---------------------------------------------------------------------
DUET_OPINFO(
        .op = "scatter_add_like",
        .dtypes = {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64},
        .samples =
            [](DType d) {
              struct Case {
                Shape updates;
                Shape indices;
                Shape like;
                int64_t axis;
              };
              std::vector<Case> cases = {{Shape{6, 3}, Shape{6}, Shape{3, 3}, 0},
                                         {Shape{2, 2, 2, 3}, Shape{2, 2}, Shape{2, 4, 3}, 1},
                                         {Shape{3}, Shape{}, Shape{4, 3}, 0},
                                         {Shape{2, 6}, Shape{6}, Shape{2, 3}, -1}};
              std::vector<OpSample> out;
              uint32_t seed = 230;
              for (const Case& c : cases) {
                int axis = static_cast<int>(c.axis < 0 ? c.axis + c.like.rank() : c.axis);
                Tensor idx = TestTensor(c.indices, DType::kInt32, 0,
                                        static_cast<double>(c.like[axis]), seed++);
                out.push_back({c.updates.to_string() + " into " + c.like.to_string(),
                               {TestTensor(c.updates, d, -3, 3, seed++), idx,
                                TestTensor(c.like, d, -3, 3, seed++)},
                               {IntAttr(c.axis)}});
              }
              return out;
            },
        .reference =
            [](const OpSample& s) {  // scatter_add's, with dim_size from like
              const Shape& like = s.inputs[2].shape();
              int64_t axis = SampleAttr<int64_t>(s, "scatter_add_like", "axis");
              OpSample as_scatter{s.name,
                                  {s.inputs[0], s.inputs[1]},
                                  {IntAttr(axis), IntAttr(like[static_cast<int>(axis)])}};
              return FindOpInfo("scatter_add")->reference(as_scatter);
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{
                  {"index too big",
                   {F32({2, 2}), constant({0, 3}), F32({3, 2})},
                   {IntAttr(0)},
                   "indices[1] = 3 is out of range [0, 3) for axis 0 of the output (3, 2)"},
                  {"rank",
                   {F32({2, 2}), constant({0, 1}), F32({3})},
                   {IntAttr(0)},
                   "do not scatter into like (3,)"}};
            });

// ---- one_hot ------------------------------------------------------------------------------
DUET_OPINFO(
        .op = "one_hot", .dtypes = {DType::kInt32, DType::kInt64},
        .samples =
            [](DType d) {
              std::vector<std::pair<Shape, int64_t>> cases = {{Shape{4}, 3}, {Shape{2, 3}, 5},
                                                              {Shape{}, 4},  {Shape{0}, 3},
                                                              {Shape{6}, 0}, {Shape{100}, 10}};
              std::vector<OpSample> out;
              uint32_t seed = 170;
              // Values in [-1, depth + 1): some out of range on both sides, which give all-zero
              // rows.
              for (auto& [in, depth] : cases)
                out.push_back({in.to_string() + " depth " + std::to_string(depth),
                               {TestTensor(in, d, -1, static_cast<double>(depth + 1), seed++)},
                               {IntAttr(depth)}});
              return out;
            },
        .reference =
            [](const OpSample& s) {
              int64_t depth = SampleAttr<int64_t>(s, "one_hot", "depth");
              Shape out = s.inputs[0].shape();
              out.push_back(depth);
              RefTensor r{out, DType::kFloat32, {}};
              for (double v : Values(s.inputs[0]))
                for (int64_t j = 0; j < depth; ++j)
                  r.values.push_back(v == static_cast<double>(j) ? 1.0 : 0.0);
              return One(r);
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{{"negative depth",
                                             {constant({0, 1})},
                                             {IntAttr(-1)},
                                             "depth must be >= 0, got -1"},
                                            {"float indices",
                                             {F32({2})},
                                             {IntAttr(3)},
                                             "input 0 (indices) has dtype float32"}};
            });

}  // namespace
}  // namespace duet::testing

// broadcast_to (kernels/broadcast_ops.cc)
namespace duet::testing {
namespace {
DUET_OPINFO(
        .op = "broadcast_to",
        .dtypes = {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64, DType::kBool},
        .samples =
            [](DType d) {
              std::vector<OpSample> out;
              uint32_t seed = 40;
              for (auto [from, to] : std::vector<std::pair<Shape, Shape>>{
                       {Shape{}, Shape{3}},
                       {Shape{3}, Shape{2, 3}},
                       {Shape{2, 1}, Shape{2, 4}},
                       {Shape{1, 3, 1}, Shape{2, 3, 2}},
                       {Shape{2, 3}, Shape{2, 3}},
                       {Shape{1}, Shape{0}},
                       // A pooled gradient's pattern (block doubled over merged dims), a middle dim
                       // kept.
                       {Shape{2, 1, 1, 3}, Shape{2, 5, 7, 3}},
                       {Shape{1, 4, 1}, Shape{3, 4, 5}},
                       {Shape{1, 1}, Shape{1, 1}}})
                out.push_back({from.to_string() + " -> " + to.to_string(),
                               {TestTensor(from, d, -3, 3, seed++)},
                               {AttrValue(to)}});
              return out;
            },
        .reference =
            [](const OpSample& s) {
              const Shape& to = SampleAttr<Shape>(s, "broadcast_to", "shape");
              std::vector<double> in = Values(s.inputs[0]);
              RefTensor r{to, s.inputs[0].dtype(), {}};
              for (int64_t i = 0; i < to.num_elements(); ++i)
                r.values.push_back(in[RefBroadcastIndex(s.inputs[0].shape(), to, i)]);
              return std::vector<RefTensor>{r};
            },
        .errors =
            [] {
              return std::vector<ErrorCase>{{"incompatible",
                                             {TestTensor({3}, DType::kFloat32)},
                                             {AttrValue(Shape{4})},
                                             "cannot broadcast shape (3,) to (4,)"},
                                            {"fewer dims",
                                             {TestTensor({2, 3}, DType::kFloat32)},
                                             {AttrValue(Shape{3})},
                                             "cannot broadcast shape (2, 3) to (3,)"}};
            });
}  // namespace
}  // namespace duet::testing
