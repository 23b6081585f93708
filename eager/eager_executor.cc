#include "eager/eager_executor.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "eager/async_executor.h"
#include "eager/placement.h"
#include "runtime/context.h"
#include "runtime/debug_dump.h"
#include "runtime/pending_value.h"
#include "runtime/status_macros.h"

namespace duet {
namespace {

std::string DescribeCall(const OpCall& call, absl::Span<const TensorSpec> outputs) {
  std::string line = absl::StrCat("[eager] ", call.op.name, "(");
  for (size_t i = 0; i < call.inputs.size(); ++i)
    absl::StrAppend(&line, i ? ", " : "", call.inputs[i].spec().to_string());
  line += ")";
  const char* sep = " {";
  ForEachAttr(call.op, call.attrs, [&](const AttrDef& def, const AttrValue& value) {
    absl::StrAppend(&line, sep, def.name, "=", AttrToString(value));
    sep = ", ";
  });
  if (!call.attrs.empty()) line += "}";
  line += " -> ";
  for (size_t i = 0; i < outputs.size(); ++i)
    absl::StrAppend(&line, i ? ", " : "", outputs[i].to_string());
  std::string where = FormatLoc(call.loc);
  if (!where.empty()) absl::StrAppend(&line, "  at ", where);
  return line;
}

class PlacingEagerExecutor final : public Executor {
 public:
  bool is_eager() const override { return true; }

  absl::StatusOr<TensorList> Execute(const OpCall& call, SpecList&& specs) override {
    const OpDef& op = call.op;
    for (const Tensor& t : call.inputs)
      if (t.is_symbolic()) [[unlikely]]
        return absl::InvalidArgumentError(
            absl::StrCat("[", op.name, "] got symbolic tensor ", t.spec().to_string(),
                         ", which leaked out of a traced function; return it from the "
                         "function instead of storing it"));
    int from = op.kernel_dtype_input;
    DType dtype = from >= 0 && from < static_cast<int>(call.inputs.size())
                      ? call.inputs[from].dtype()
                      : specs[0].dtype;
    PlacedCall placed;
    RETURN_IF_ERROR(PlaceOp(call, dtype, placed));
    if (CurrentExecutionMode() == ExecutionMode::kAsync) [[unlikely]] {
      if (DumpEnabled()) [[unlikely]]
        DumpLine(DescribeCall(call, specs) + "  (async)");
      return internal::EnqueueAsync(call, placed, std::move(specs));
    }
    for (const Tensor& t : placed.inputs)  // values from async ops: wait (or fail as they did)
      if (PendingTensors::Of(t)) [[unlikely]]
        RETURN_IF_ERROR(t.await_ready());
    const Device device = placed.device;
    TensorList outputs(specs.size());
    if (!op.kernel_allocates_outputs)
      for (size_t i = 0; i < specs.size(); ++i) {
        ASSIGN_OR_RETURN(outputs[i], AllocateOutput(op, i, specs[i], device));
      }
    KernelContext ctx{op, placed.inputs, absl::MakeSpan(outputs), specs, call.attrs};
    if (absl::Status s = placed.kernel(ctx); !s.ok()) [[unlikely]]
      return s;
    if (DumpEnabled()) [[unlikely]]
      DumpLine(DescribeCall(call, specs));
    return outputs;
  }
};

}  // namespace

Executor& EagerExecutor() {
  static PlacingEagerExecutor* executor = new PlacingEagerExecutor();
  return *executor;
}

namespace {
// Installs the eager executor as the default before main() (this file is alwayslink).
const bool kInstalled = (SetDefaultExecutor(&EagerExecutor()), true);
}  // namespace

}  // namespace duet
