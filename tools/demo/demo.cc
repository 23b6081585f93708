// The README's first command: the eager guide's basics in C++, printed for a person to read.
#include <chrono>
#include <iostream>

#include "api/duet.h"

using namespace duet;

namespace {

void Section(const char* title) { std::cout << "\n=== " << title << " ===\n"; }

// The guide's fizzbuzz, with the counter and the tests as tensors.
void Fizzbuzz(int max_num) {
  Tensor counter = constant(0);
  for (int n = 1; n <= max_num; ++n) {
    Tensor num = constant(n);
    if (bool(num % 3 == 0) && bool(num % 5 == 0))
      std::cout << "FizzBuzz\n";
    else if (bool(num % 3 == 0))
      std::cout << "Fizz\n";
    else if (bool(num % 5 == 0))
      std::cout << "Buzz\n";
    else
      std::cout << num.item<int32_t>() << "\n";
    counter += 1;
  }
  std::cout << "counter = " << counter << "\n";
}

// The guide's benchmark: x = matmul(x, w) repeated on 1000x1000 float32.
void MatmulBenchmark() {
  const int n = 1000, steps = 200;
  Tensor w =
      random::normal({n, n}, 0.f, 1.f / 32, /*seed=*/1);  // stddev ~ 1/sqrt(n): values stay finite
  Tensor x = random::normal({n, n}, 0.f, 1.f, /*seed=*/2);
  x = matmul(x, w);  // warm up (creates and caches the oneDNN primitive)
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) x = matmul(x, w);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double gflops = 2.0 * n * n * n * steps / seconds / 1e9;
  std::cout << "matmul 1000x1000 float32, " << steps << " steps: " << seconds << " s, " << gflops
            << " GFLOP/s\n";
}

// The guide's linear regression toy: 1000 points around 3x + 2 with unit noise, W = 5, B = 10,
// plain gradient descent at 0.01. `step` is the training step, run as given (eager) or wrapped.
struct Regression {
  Tensor inputs = random::normal({1000}, 0.f, 1.f, 1);
  Tensor outputs = inputs * 3.f + 2.f + random::normal({1000}, 0.f, 1.f, 2);
  Variable W{constant(5.f), "weight"}, B{constant(10.f), "bias"};

  Tensor loss() const { return reduce_mean(square(W * inputs + B - outputs)); }
  Tensor step() {
    GradientTape tape;
    Tensor l = loss();
    std::vector<Tensor> g = tape.gradient(l, {W, B});
    W.assign_sub(g[0] * 0.01f);
    B.assign_sub(g[1] * 0.01f);
    return l;
  }
};

template <class Step>
void Train(Regression& r, Step&& step) {
  std::cout << "initial loss: " << r.loss().item<float>() << "\n";
  for (int i = 0; i < 200; ++i) {
    Tensor l = step();
    if (i % 20 == 0) std::cout << "loss at step " << i << ": " << l.item<float>() << "\n";
  }
  std::cout << "final loss: " << r.loss().item<float>() << "  W = " << r.W.value().item<float>()
            << "  B = " << r.B.value().item<float>() << "\n";
}

}  // namespace

int main() {
  Section("Eager execution is on by default");
  std::cout << "executing_eagerly() = " << std::boolalpha << executing_eagerly() << "\n";
  Tensor x = constant({{2.f}});
  std::cout << "hello, " << matmul(x, x) << "\n";

  Section("Tensors, broadcasting and operators");
  Tensor a = constant({{1, 2}, {3, 4}});
  std::cout << "a = " << a << "\n";
  Tensor b = add(a, 1);  // broadcasting: the number takes a's dtype
  std::cout << "a + 1 = " << b << "\n";
  std::cout << "a * b = " << a * b << "\n";                 // operator overloading
  std::vector<int32_t> c = mul(a, b).to_vector<int32_t>();  // the values, as C++ data
  std::cout << "to_vector(a * b) = {";
  for (size_t i = 0; i < c.size(); ++i) std::cout << (i ? ", " : "") << c[i];
  std::cout << "}\n";
  std::cout << "constant({1.5f, 2.0f}) = " << constant({1.5f, 2.0f}) << "\n";
  std::cout << "reduce_sum(a) = " << reduce_sum(a) << "\n";

  Section("Errors name the op, the shapes and your line");
  try {
    Tensor bad = constant({1.f, 2.f, 3.f}) + constant({1.f, 2.f});
  } catch (const Error& e) {
    std::cout << "duet::Error: " << e.what() << "\n";
  }

  Section("Fizzbuzz with tensors");
  Fizzbuzz(15);

  Section("Matmul benchmark");
  MatmulBenchmark();

  Section("Training: linear regression, eager");
  {
    Regression r;
    Train(r, [&] { return r.step(); });
  }

  Section("Training: the same step inside duet::function (traced once, compiled, cached)");
  {
    Regression r;
    auto step = function([&] { return r.step(); }, {}, {.name = "train_step"});
    Train(r, [&] { return step(); });
    std::cout << "tracing_count() = " << step.tracing_count() << "  (" << step.explain_retrace()
              << ")\n";
    std::cout << "optimized IR of the step:\n" << step.graph_text() << "\n";

    Section("The same function with config::run_functions_eagerly(true): op by op, debuggable");
    Regression again;
    auto eager_step = function([&] { return again.step(); }, {}, {.name = "train_step"});
    config::run_functions_eagerly(true);
    Train(again, [&] { return eager_step(); });
    config::run_functions_eagerly(false);
    std::cout << "tracing_count() = " << eager_step.tracing_count() << " (nothing was traced)\n";
  }

  Section("Devices and async execution");
  std::cout << "num_gpus() = " << num_gpus() << ";  a.device() = " << a.device() << "\n";
  {
    DeviceScope gpu("/gpu:0");  // no GPU here: DevicePolicy::kSilent runs the op on the CPU
    std::cout << "inside DeviceScope(\"/gpu:0\"): (a + a).device() = " << (a + a).device() << "\n";
  }
  {
    ExecutionModeScope async(ExecutionMode::kAsync);
    Tensor m = matmul(x, x);  // returns at once; the kernel runs on this thread's queue
    Tensor bad = gather(constant({1.f, 2.f}), constant({5}));  // the kernel will fail
    std::cout << "async: matmul(x, x) = " << m << "  (reading waits)\n";
    try {
      async_wait();
    } catch (const Error& e) {
      std::cout << "async_wait(): duet::Error: " << e.what() << "\n";
    }
  }
  return 0;
}
