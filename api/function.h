// duet::function: wrap a C++ callable so that each call with a new signature traces it into
// the duet MLIR dialect, optimizes the graph and runs it with the graph executor; later calls
// with the same signature run the cached graph. config::run_functions_eagerly(true) makes every
// function body run eagerly instead, op by op, for debugging.
// Example:
//   auto f = function([&](Tensor x, Tensor y) { return matmul(x, y) + b; });
//   Tensor z = f(x, y);  f.tracing_count();  f.explain_retrace();  f.graph_text(x, y);
// Signatures key on the dtype and shape of tensor arguments (or declared TensorSpecs, -1 =
// any size) and on the values of other arguments; Variables are captured by reference.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/casts.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "api/function_core.h"
#include "eager/variable.h"
#include "runtime/context.h"

namespace duet {

namespace internal {

// How one argument enters the signature and the trace.
template <class A>
struct ArgTraits {
  using T = std::remove_cvref_t<A>;
  static constexpr bool kIsTensor = std::is_same_v<T, Tensor>;
};

template <class T>
constexpr bool kIsCharacter =
    std::is_same_v<T, char> || std::is_same_v<T, signed char> || std::is_same_v<T, unsigned char> ||
    std::is_same_v<T, wchar_t> || std::is_same_v<T, char8_t> || std::is_same_v<T, char16_t> ||
    std::is_same_v<T, char32_t>;

inline ArgKey RealKey(double d) {
  if (std::isnan(d)) d = std::copysign(std::numeric_limits<double>::quiet_NaN(), d);  // as text
  ArgKey k;
  k.value_kind = ArgKey::ValueKind::kReal;
  k.bits = absl::bit_cast<uint64_t>(d);
  return k;
}

// The cache key of a non-tensor argument. Numbers and variables key without building text
// (every call builds this); a number keys as its printed text did, so 2, 2.0 and true vs 1
// behave as before. Other types key by their operator<< text.
template <class T>
ArgKey ValueKey(const T& v) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, Variable>) {
    ArgKey k;
    k.value_kind = ArgKey::ValueKind::kIdentity;
    k.bits = reinterpret_cast<uintptr_t>(v.state());
    return k;
  } else if constexpr (std::is_same_v<U, bool>) {
    return RealKey(v ? 1.0 : 0.0);
  } else if constexpr (std::is_integral_v<U> && !kIsCharacter<U>) {
    constexpr uint64_t kExact = uint64_t{1} << 53;  // integers a double holds exactly
    ArgKey k;
    k.value_kind = ArgKey::ValueKind::kInteger;
    if constexpr (std::is_signed_v<U>) {
      int64_t i = v;
      if (i >= -static_cast<int64_t>(kExact) && i <= static_cast<int64_t>(kExact))
        return RealKey(static_cast<double>(i));
      k.bits = static_cast<uint64_t>(i);
    } else {
      uint64_t u = v;
      if (u <= kExact) return RealKey(static_cast<double>(u));
      if (u > uint64_t{INT64_MAX}) {  // beyond int64: keyed by its text
        k.value_kind = ArgKey::ValueKind::kText;
        k.value = absl::StrCat(u);
      }
      k.bits = k.value.empty() ? u : 0;
    }
    return k;
  } else if constexpr (std::is_same_v<U, float> || std::is_same_v<U, double>) {
    return RealKey(static_cast<double>(v));
  } else if constexpr (requires(std::ostream & os) { os << v; }) {
    std::ostringstream os;
    os.precision(17);
    os << v;
    ArgKey k;
    k.value = os.str();
    return k;
  } else {
    static_assert(sizeof(U) == 0,
                  "duet::function keys its cache on the values of non-tensor arguments, so they "
                  "must be printable "
                  "with operator<< (pass tensors one by one rather than in a container)");
    return {};
  }
}

// Flattening results to tensors and back.
template <class R>
struct Results;
template <>
struct Results<Tensor> {
  static std::vector<Tensor> Flatten(const Tensor& t) { return {t}; }
  static Tensor Unflatten(std::vector<Tensor> v) { return v[0]; }
};
template <>
struct Results<std::vector<Tensor>> {
  static std::vector<Tensor> Flatten(std::vector<Tensor> v) { return v; }
  static std::vector<Tensor> Unflatten(std::vector<Tensor> v) { return v; }
};
template <class... Ts>
struct Results<std::tuple<Ts...>> {
  static std::vector<Tensor> Flatten(const std::tuple<Ts...>& t) {
    return std::apply([](const auto&... x) { return std::vector<Tensor>{Tensor(x)...}; }, t);
  }
  static std::tuple<Ts...> Unflatten(std::vector<Tensor> v) {
    return [&]<size_t... I>(std::index_sequence<I...>) { return std::tuple<Ts...>{v[I]...}; }
    (std::index_sequence_for<Ts...>{});
  }
};
template <class A, class B>
struct Results<std::pair<A, B>> {
  static std::vector<Tensor> Flatten(const std::pair<A, B>& p) {
    return {Tensor(p.first), Tensor(p.second)};
  }
  static std::pair<A, B> Unflatten(std::vector<Tensor> v) { return {v[0], v[1]}; }
};

}  // namespace internal

struct FunctionOptions {
  std::string name = "function";
  int trace_budget = 5;  // warn once a function has traced more often than this
  // true: elementwise chains run fused (duet.fusion, tiled); false: the optimized graph runs op
  // by op with eager's kernels. DUET_JIT=0 turns it off for every function.
  bool jit_compile = true;
};

template <class F>
class Function {
 public:
  Function(F fn, std::vector<TensorSpec> specs, FunctionOptions options)
      : fn_(std::move(fn)),
        core_(std::make_shared<internal::FunctionCore>(
            options.name, std::vector<std::optional<TensorSpec>>(specs.begin(), specs.end()))) {
    core_->set_trace_budget(options.trace_budget);
    core_->set_jit_compile(options.jit_compile);
  }

  // One overload per arity (up to 6 arguments), because a default argument cannot follow a
  // pack: the caller's line is captured, and errors from the call (signature mismatch, run
  // time) name it. More arguments still work, reported at this header's line.
  auto operator()(const Loc& loc = Loc::current()) const { return Invoke(loc); }
  template <class A1>
  auto operator()(const A1& a1, const Loc& loc = Loc::current()) const {
    return Invoke(loc, a1);
  }
  template <class A1, class A2>
  auto operator()(const A1& a1, const A2& a2, const Loc& loc = Loc::current()) const {
    return Invoke(loc, a1, a2);
  }
  template <class A1, class A2, class A3>
  auto operator()(const A1& a1, const A2& a2, const A3& a3, const Loc& loc = Loc::current()) const {
    return Invoke(loc, a1, a2, a3);
  }
  template <class A1, class A2, class A3, class A4>
  auto operator()(const A1& a1, const A2& a2, const A3& a3, const A4& a4,
                  const Loc& loc = Loc::current()) const {
    return Invoke(loc, a1, a2, a3, a4);
  }
  template <class A1, class A2, class A3, class A4, class A5>
  auto operator()(const A1& a1, const A2& a2, const A3& a3, const A4& a4, const A5& a5,
                  const Loc& loc = Loc::current()) const {
    return Invoke(loc, a1, a2, a3, a4, a5);
  }
  template <class A1, class A2, class A3, class A4, class A5, class A6>
  auto operator()(const A1& a1, const A2& a2, const A3& a3, const A4& a4, const A5& a5,
                  const A6& a6, const Loc& loc = Loc::current()) const {
    return Invoke(loc, a1, a2, a3, a4, a5, a6);
  }
  template <class... Args>
  requires(sizeof...(Args) > 6) auto operator()(const Args&... args) const {
    return Invoke(Loc::current(), args...);
  }

  // The optimized IR (MLIR text) for the signature of these arguments (traces if needed).
  // Constants over 16 elements are elided; DUET_DUMP=1 prints them in full.
  std::string graph_text(const Loc& loc = Loc::current()) const { return GraphText(loc); }
  template <class A1>
  std::string graph_text(const A1& a1, const Loc& loc = Loc::current()) const {
    return GraphText(loc, a1);
  }
  template <class A1, class A2>
  std::string graph_text(const A1& a1, const A2& a2, const Loc& loc = Loc::current()) const {
    return GraphText(loc, a1, a2);
  }
  template <class A1, class A2, class A3>
  std::string graph_text(const A1& a1, const A2& a2, const A3& a3,
                         const Loc& loc = Loc::current()) const {
    return GraphText(loc, a1, a2, a3);
  }
  template <class... Args>
  requires(sizeof...(Args) > 3) std::string graph_text(const Args&... args)
  const { return GraphText(Loc::current(), args...); }

  // What compiling the signature of these arguments cost and produced (traces if needed):
  // times, kernels per call, fused ops, generated kernels ready, peak intermediate bytes.
  CompileStats compile_stats(const Loc& loc = Loc::current()) const { return Stats(loc); }
  template <class A1>
  CompileStats compile_stats(const A1& a1, const Loc& loc = Loc::current()) const {
    return Stats(loc, a1);
  }
  template <class A1, class A2>
  CompileStats compile_stats(const A1& a1, const A2& a2, const Loc& loc = Loc::current()) const {
    return Stats(loc, a1, a2);
  }
  template <class... Args>
  requires(sizeof...(Args) > 2) CompileStats compile_stats(const Args&... args)
  const { return Stats(Loc::current(), args...); }

  // The traced graph for tensor arguments of these specs (-1 = any size), traced if new but
  // not run: what saved_model::save exports. For functions of up to 6 tensor arguments.
  std::shared_ptr<const graph::Trace> trace_for(const std::vector<TensorSpec>& specs,
                                                const Loc& loc = Loc::current()) const {
    return TraceForArity(specs, loc, std::make_index_sequence<7>{});
  }

  int tracing_count() const { return core_->tracing_count(); }
  std::string explain_retrace() const { return core_->explain_retrace(); }

 private:
  template <class... Args>
  using Return = std::invoke_result_t<const F&, const Args&...>;

  template <class... Args>
  std::string GraphText(const Loc& loc, const Args&... args) const {
    internal::Signature sig;
    absl::InlinedVector<Tensor, 4> tensors;
    AddKeys(sig, tensors, loc, args...);
    return core_->GraphText(
        sig, [&](const std::vector<Tensor>& t) { return CallWith(t, args...); }, loc);
  }

  template <class... Args>
  CompileStats Stats(const Loc& loc, const Args&... args) const {
    internal::Signature sig;
    absl::InlinedVector<Tensor, 4> tensors;
    AddKeys(sig, tensors, loc, args...);
    return core_->Stats(
        sig, [&](const std::vector<Tensor>& t) { return CallWith(t, args...); }, loc);
  }

  template <size_t... N>
  std::shared_ptr<const graph::Trace> TraceForArity(const std::vector<TensorSpec>& specs,
                                                    const Loc& loc,
                                                    std::index_sequence<N...>) const {
    std::shared_ptr<const graph::Trace> trace;
    bool callable = ((N == specs.size() &&
                      (trace = TraceForN(specs, loc, std::make_index_sequence<N>{}), true)) ||
                     ...);
    if (!callable || !trace)
      ThrowError(absl::InvalidArgumentError(
                     absl::StrCat("[trace_for] the function cannot be called with ", specs.size(),
                                  " tensor arguments (only tensors, at most 6)")),
                 loc);
    return trace;
  }

  template <size_t... I>
  std::shared_ptr<const graph::Trace> TraceForN(const std::vector<TensorSpec>& specs,
                                                const Loc& loc, std::index_sequence<I...>) const {
    if constexpr (std::is_invocable_v<const F&,
                                      decltype((void)I, std::declval<const Tensor&>())...>) {
      internal::Signature sig;
      for (const TensorSpec& s : specs) sig.push_back({internal::ArgKey::Kind::kTensor, s, ""});
      return core_->TraceFor(
          sig, [&](const std::vector<Tensor>& t) { return CallWith(t, ((void)I, Tensor())...); },
          loc);
    } else {
      return nullptr;
    }
  }

  // The cached path: a signature on the stack, a hash lookup, the program. The lambda is
  // only called (by reference, never stored) when the signature is new and traced.
  template <class... Args>
  auto Invoke(const Loc& loc, const Args&... args) const -> Return<Args...> {
    using R = Return<Args...>;
    // Eager when asked to, and inline when already tracing (nested functions are inlined).
    if (config::functions_run_eagerly() || !executing_eagerly()) return fn_(args...);
    internal::Signature sig;
    absl::InlinedVector<Tensor, 4> tensors;
    AddKeys(sig, tensors, loc, args...);
    std::vector<Tensor> out = core_->Call(
        sig, tensors, [&](const std::vector<Tensor>& t) { return CallWith(t, args...); }, loc);
    if constexpr (std::is_void_v<R>)
      return;
    else
      return internal::Results<R>::Unflatten(std::move(out));
  }

  template <class... Args>
  void AddKeys(internal::Signature& sig, absl::InlinedVector<Tensor, 4>& tensors,
               [[maybe_unused]] const Loc& loc, const Args&... args) const {
    [[maybe_unused]] auto add = [&](const auto& a) {  // unused for a call without arguments
      using A = std::remove_cvref_t<decltype(a)>;
      if constexpr (std::is_same_v<A, Tensor>) {
        sig.push_back(
            {internal::ArgKey::Kind::kTensor, core_->SpecFor(tensors.size(), a, loc), ""});
        tensors.push_back(a);
      } else {
        sig.push_back(internal::ValueKey(a));
      }
    };
    (add(args), ...);
  }

  // Calls fn_ with `tensors` substituted for the tensor arguments (others as given).
  template <class... Args>
  std::vector<Tensor> CallWith([[maybe_unused]] const std::vector<Tensor>& tensors,
                               const Args&... args) const {
    [[maybe_unused]] size_t next = 0;  // unused for a call without tensors
    [[maybe_unused]] auto pick = [&](const auto& a) -> decltype(auto) {
      using A = std::remove_cvref_t<decltype(a)>;
      if constexpr (std::is_same_v<A, Tensor>)
        return Tensor(tensors[next++]);
      else
        return a;
    };
    using R = std::invoke_result_t<const F&, const Args&...>;
    auto call = [&](const auto&... picked) -> std::vector<Tensor> {
      if constexpr (std::is_void_v<R>) {
        fn_(picked...);
        return {};
      } else {
        return internal::Results<R>::Flatten(fn_(picked...));
      }
    };
    // Arguments are evaluated left to right in a braced list.
    return std::apply(call, std::tuple<decltype(pick(args))...>{pick(args)...});
  }

  F fn_;
  std::shared_ptr<internal::FunctionCore> core_;
};

template <class F>
Function<F> function(F fn, std::vector<TensorSpec> specs = {}, FunctionOptions options = {}) {
  return Function<F>(std::move(fn), std::move(specs), std::move(options));
}
template <class F>
Function<F> function(F fn, FunctionOptions options) {
  return Function<F>(std::move(fn), {}, std::move(options));
}

}  // namespace duet
