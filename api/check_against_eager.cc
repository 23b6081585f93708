#include "api/check_against_eager.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "absl/strings/str_cat.h"
#include "api/compiler_config.h"
#include "api/replay.h"
#include "compiler/compile.h"
#include "eager/async_executor.h"
#include "kernels/cast_ops.h"
#include "runtime/context.h"

namespace duet {
namespace internal {
namespace {

std::atomic<bool> g_check{[] {
  const char* env = std::getenv("DUET_CHECK_FUNCTIONS");
  return env && std::strcmp(env, "1") == 0;
}()};

using Values = std::vector<Tensor>;

Values Snapshot(const graph::Trace& trace) {
  Values values;
  for (const auto& v : trace.variables) values.push_back(v->Read());
  return values;
}

void Restore(const graph::Trace& trace, const Values& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    std::lock_guard<std::mutex> lock(trace.variables[i]->mu);
    trace.variables[i]->value = values[i];
  }
}

struct Outcome {
  Values outputs;
  Values variables;  // their values afterwards
};

Outcome Eagerly(const graph::Trace& trace, absl::Span<const Tensor> args) {
  ObserverPause pause;  // not part of any gradient
  ExecutorScope eager(DefaultExecutor());
  ExecutionModeScope sync(ExecutionMode::kSync);
  Outcome o{ReplayTrace(trace, Values(args.begin(), args.end())), {}};
  o.variables = Snapshot(trace);
  return o;
}

absl::StatusOr<Outcome> Compiled(const graph::Program& program, const graph::Bindings& bindings,
                                 const graph::Trace& trace, absl::Span<const Tensor> args) {
  absl::StatusOr<Values> outs = graph::RunProgram(program, bindings, args);
  if (!outs.ok()) return outs.status();
  return Outcome{*std::move(outs), Snapshot(trace)};
}

struct Mismatch {
  std::string what;  // "output 0 float32(3,) differs from eager at element 1: compiled 3, eager 2"
};

std::optional<std::string> Differs(const Tensor& compiled, const Tensor& eager) {
  if (compiled.spec() != eager.spec())
    return absl::StrCat(compiled.spec().to_string(), " where eager has ", eager.spec().to_string());
  const bool floating = IsFloating(eager.dtype());
  std::vector<double> c = cast(compiled, DType::kFloat64, Loc()).to_vector<double>();
  std::vector<double> e = cast(eager, DType::kFloat64, Loc()).to_vector<double>();
  for (size_t i = 0; i < c.size(); ++i) {
    bool same = floating ? (std::isnan(c[i]) && std::isnan(e[i])) ||
                               std::abs(c[i] - e[i]) <= 1e-6 + 1e-4 * std::abs(e[i])
                         : c[i] == e[i];
    if (!same)
      return absl::StrCat(eager.spec().to_string(), " differs from eager at element ", i,
                          ": compiled ", c[i], ", eager ", e[i]);
  }
  return std::nullopt;
}

std::optional<Mismatch> Compare(const graph::Trace& trace, const Outcome& compiled,
                                const Outcome& eager, bool with_variables = true) {
  for (size_t i = 0; i < eager.outputs.size() && i < compiled.outputs.size(); ++i)
    if (auto d = Differs(compiled.outputs[i], eager.outputs[i]))
      return Mismatch{absl::StrCat("output ", i, " ", *d)};
  if (!with_variables) return std::nullopt;
  for (size_t i = 0; i < eager.variables.size(); ++i)
    if (auto d = Differs(compiled.variables[i], eager.variables[i]))
      return Mismatch{absl::StrCat("variable '", trace.variables[i]->name, "' ", *d)};
  return std::nullopt;
}

// Compiles `trace` with exactly `passes` and reports whether it disagrees with eager on `args`
// (from the variable values `start`). Compile errors count as agreeing: nothing to blame.
// With `with_variables` false only the outputs count (the per-op search: a later assign of a
// wrong value must not blame an earlier op).
bool Disagrees(const CheckedFunction& f, const graph::Trace& trace,
               const std::vector<std::string>& passes, absl::Span<const Tensor> args,
               const Values& start, bool with_variables) {
  absl::StatusOr<compiler::Executable> exe = compiler::Compile(
      trace, {.name = f.name + "_check", .passes = passes, .exact_passes = true, .fuse = f.fuse});
  if (!exe.ok()) return false;
  Restore(trace, start);
  Outcome eager = Eagerly(trace, args);
  Restore(trace, start);
  graph::Bindings bindings{trace.variables, trace.host_fns};
  absl::StatusOr<Outcome> compiled = Compiled(*exe->program, bindings, trace, args);
  return compiled.ok() && Compare(trace, *compiled, eager, with_variables).has_value();
}

// The shortest prefix of the pipeline that disagrees: its last pass is to blame (none: the
// lowering or the executor). Null when no prefix reproduces the mismatch.
std::optional<size_t> BadPrefix(const CheckedFunction& f, const std::vector<std::string>& pipeline,
                                absl::Span<const Tensor> args, const Values& start) {
  for (size_t k = 0; k <= pipeline.size(); ++k)
    if (Disagrees(f, f.trace, {pipeline.begin(), pipeline.begin() + k}, args, start, true))
      return k;
  return std::nullopt;
}

// The first top-level op whose own value disagrees once compiled with `passes`.
const graph::TraceNode* FirstBadOp(const CheckedFunction& f, const std::vector<std::string>& passes,
                                   absl::Span<const Tensor> args, const Values& start) {
  constexpr int kMaxOps = 200;  // each op is one more compile
  int tried = 0;
  for (const graph::TraceNode& node : f.trace.body.nodes) {
    if (node.kind != graph::TraceNode::Kind::kOp || node.outputs.empty()) continue;
    if (++tried > kMaxOps) break;
    graph::Trace upto = f.trace;
    upto.body.results = node.outputs;
    if (Disagrees(f, upto, passes, args, start, /*with_variables=*/false)) return &node;
  }
  return nullptr;
}

[[noreturn]] void Report(const CheckedFunction& f, const Mismatch& m, absl::Span<const Tensor> args,
                         const Values& start, const Loc& loc) {
  const std::vector<std::string> pipeline = compiler::PipelineFor(f.fuse);
  std::string blame;
  if (std::optional<size_t> k = BadPrefix(f, pipeline, args, start)) {
    std::vector<std::string> passes(pipeline.begin(), pipeline.begin() + *k);
    if (const graph::TraceNode* op = FirstBadOp(f, passes, args, start)) {
      std::string where = FormatLoc(op->loc);
      absl::StrAppend(&blame, " The first op whose value differs is ", op->op->name,
                      where.empty() ? "" : " at ", where, ".");
    }
    absl::StrAppend(&blame, *k == 0 ? " It differs with no pass at all: the lowering or the "
                                      "executor computes it differently (compiler/conversion, "
                                      "graph/)."
                                    : absl::StrCat(" The pass '", pipeline[*k - 1],
                                                   "' makes it differ (with the passes before "
                                                   "it, the function agrees with eager)."));
  } else {
    blame = " No pipeline prefix reproduces it (the function is not deterministic?).";
  }
  Restore(f.trace, start);  // a failed call changes no variable
  ThrowError(absl::InternalError(absl::StrCat("[check_functions_against_eager] function '", f.name,
                                              "': ", m.what, ".", blame)),
             loc);
}

}  // namespace

bool CheckingFunctionsAgainstEager() { return g_check.load(std::memory_order_relaxed); }

std::vector<Tensor> RunCheckedAgainstEager(const CheckedFunction& f, absl::Span<const Tensor> args,
                                           const Loc& loc) {
  const Values start = Snapshot(f.trace);
  Outcome eager = Eagerly(f.trace, args);
  Restore(f.trace, start);
  Outcome compiled = ValueOrThrow(Compiled(f.program, f.bindings, f.trace, args), loc);
  if (std::optional<Mismatch> m = Compare(f.trace, compiled, eager))
    Report(f, *m, args, start, loc);
  return compiled.outputs;
}

}  // namespace internal

namespace config {
void check_functions_against_eager(bool on) {
  internal::g_check.store(on, std::memory_order_relaxed);
}
bool functions_checked_against_eager() { return internal::CheckingFunctionsAgainstEager(); }
}  // namespace config

}  // namespace duet
