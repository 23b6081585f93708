// Bad-input catalogue, API family (losses, metrics, clip, optimizers, Variable, GradientTape,
// function, cond/while_loop/host_func, .npy): wrong shapes and dtypes, undefined and empty
// inputs, misuse. Each names the function and this file's line; the runtime stays healthy.
#include <cstdlib>
#include <fstream>

#include "tests/bad_input/bad_input.h"

namespace duet {
namespace {

Tensor X() { return constant({{1.f, 2.f}, {3.f, 4.f}}); }  // float32 (2, 2)

TEST(BadInputApi, LossesMetricsClip) {
  EXPECT_BAD_INPUT(losses::mean_squared_error(X(), zeros({3})), "[sub]", "(3,)");
  EXPECT_BAD_INPUT(losses::mean_squared_error(Tensor(), X()), "undefined");
  EXPECT_BAD_INPUT(losses::sparse_softmax_cross_entropy(constant({0}), X()),
                   "[sparse_softmax_cross_entropy]", "(1,)");
  EXPECT_BAD_INPUT(losses::sparse_softmax_cross_entropy(constant({0, 1}), zeros({2})),
                   "[sparse_softmax_cross_entropy]");
  EXPECT_BAD_INPUT(losses::sparse_softmax_cross_entropy(Tensor(), X()),
                   "[sparse_softmax_cross_entropy]", "undefined");
  metrics::Accuracy acc;
  EXPECT_BAD_INPUT(acc(X(), zeros({2})), "[metrics::Accuracy]", "(2,)");
  EXPECT_BAD_INPUT(acc(Tensor(), X()), "[metrics::Accuracy]", "undefined");
  metrics::Mean mean;
  EXPECT_BAD_INPUT(mean(Tensor()), "undefined");
  EXPECT_BAD_INPUT(clip_by_norm(Tensor(), 1.f), "undefined");
  EXPECT_BAD_INPUT(clip_by_value(Tensor(), 0.f, 1.f), "undefined");
}

TEST(BadInputApi, VariablesAndTapes) {
  Variable v(X(), "v");
  EXPECT_BAD_INPUT(v.assign(zeros({3})), "[assign]", "(3,)");
  EXPECT_BAD_INPUT(v.assign(constant({{1, 2}, {3, 4}})), "[assign]", "int32");
  EXPECT_BAD_INPUT(v.assign_add(zeros({2, 2, 2})), "[assign_add]");
  EXPECT_BAD_INPUT(v.assign_add(Tensor()), "[assign_add]", "undefined");
  EXPECT_BAD_INPUT(Variable(Tensor()), "[Variable]", "undefined");
  EXPECT_BAD_INPUT(Variable().value(), "[read_variable]", "empty");
  GradientTape tape({.persistent = true});
  Tensor y = v * 2.f;
  EXPECT_BAD_INPUT(tape.gradient(Tensor(), v), "[gradient]", "undefined");
  EXPECT_BAD_INPUT(tape.watch(Tensor()), "[watch]", "undefined");
  EXPECT_BAD_INPUT(tape.watch(constant({1, 2})), "[gradient]", "int32");
  EXPECT_BAD_INPUT(tape.gradient(y, Tensor()), "[gradient]", "undefined");
  EXPECT_BAD_INPUT(tape.gradient(cast(y, DType::kInt32), v), "[gradient]", "int32");
  EXPECT_BAD_INPUT(tape.gradient(y, {GradSource(v)}, zeros({3})), "[gradient]", "(3,)");
  GradientTape once;
  Tensor z = v * v;
  once.gradient(z, v);
  EXPECT_BAD_INPUT(once.gradient(z, v), "[gradient]", "persistent");
  optimizers::SGD sgd(0.1);
  EXPECT_BAD_INPUT(sgd.apply_gradients({zeros({3})}, {v}), "[");
  EXPECT_BAD_INPUT(sgd.apply_gradients({X(), X()}, {v}), "[");
}

TEST(BadInputApi, Functions) {
  auto f =
      function([](Tensor x) { return matmul(x, x); }, {TensorSpec(Shape{-1, 2}, DType::kFloat32)});
  EXPECT_BAD_INPUT(f(zeros({2, 3})), "[function function] argument 0", "float32(2, 3)");
  EXPECT_BAD_INPUT(f(constant({{1, 2}})), "[function function] argument 0", "int32");
  EXPECT_BAD_INPUT(f(Tensor()), "[function function] argument 0", "undefined");
  auto g = function([](Tensor x, Tensor y) { return x + y; });
  // Errors inside the body name the body's line: here the body and the call share one.
  EXPECT_BAD_INPUT(function([](Tensor x, Tensor y) { return x + y; })(zeros({2}), zeros({3})),
                   "[add]", "(3,)");
  EXPECT_BAD_INPUT(g.graph_text(zeros({2}), Tensor()), "undefined");
  EXPECT_BAD_INPUT(function([](Tensor x) { return constant(x.item<float>()); })(constant(1.f)),
                   "[item]", "symbolic");
  EXPECT_EQ(g(constant(1.f), constant(2.f)).item<float>(), 3.f);
}

TEST(BadInputApi, ControlFlow) {
  auto one = [] { return std::vector<Tensor>{constant(1.f)}; };
  EXPECT_BAD_INPUT(cond(constant(1.f), one, one), "[cond]", "float32");
  EXPECT_BAD_INPUT(cond(Tensor(), one, one), "[cond]", "undefined");
  EXPECT_BAD_INPUT(cond(constant({true, false}), one, one), "[cond]", "(2,)");
  auto lt = [](const std::vector<Tensor>& v) { return v[0] < 3.f; };
  auto inc = [](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0] + 1.f}; };
  auto bad_cond = [](const std::vector<Tensor>& v) { return v[0]; };
  auto grows = [](const std::vector<Tensor>& v) {
    return std::vector<Tensor>{concat({v[0], v[0]}, 0)};
  };
  EXPECT_BAD_INPUT(while_loop(bad_cond, inc, {constant(1.f)}), "[while_loop]", "bool");
  EXPECT_BAD_INPUT(while_loop(lt, grows, {constant({1.f})}), "[while_loop]", "changed");
  EXPECT_BAD_INPUT(while_loop(lt, inc, {}), "[while_loop]", "at least one");
  EXPECT_BAD_INPUT(while_loop(lt, inc, {Tensor()}), "[while_loop]", "undefined");
  auto host = [](const std::vector<Tensor>& in) { return in; };
  EXPECT_BAD_INPUT(host_func(host, {X()}, std::vector<DType>{DType::kInt32}), "[host_func]",
                   "int32");
  EXPECT_BAD_INPUT(host_func(host, {Tensor()}, std::vector<DType>{DType::kFloat32}), "[host_func]",
                   "undefined");
}

TEST(BadInputApi, Npy) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string base = std::string(dir ? dir : "/tmp") + "/";
  EXPECT_BAD_INPUT(load_npy(base + "missing.npy"), "[load_npy]", "missing.npy");
  std::ofstream(base + "junk.npy") << "not numpy";
  EXPECT_BAD_INPUT(load_npy(base + "junk.npy"), "[load_npy]", "not a .npy file");
  EXPECT_BAD_INPUT(load_npy("/dev/null"), "[load_npy]", "not a regular file");
  EXPECT_BAD_INPUT(save_npy(Tensor(), base + "u.npy"), "[save_npy]", "undefined");
  EXPECT_BAD_INPUT(save_npy(X(), base + "no/such/dir/x.npy"), "[save_npy]");
}

}  // namespace
}  // namespace duet
