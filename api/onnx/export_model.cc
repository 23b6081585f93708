// export_model: the trace, optimized as a function's graph is (compiler::Compile: fold, CSE,
// DCE; not the executor's lowering passes, whose fused ops ONNX does not have) and read back as
// a trace, to a ModelProto (opset 14, IR 8), serialized and written
// atomically. Errors of the optimized graph still name the user's line (ProgramToTrace).
#include "absl/strings/str_cat.h"
#include "api/onnx/graph_writer.h"
#include "api/onnx/onnx.h"
#include "compiler/compile.h"
#include "graph/program_to_trace.h"
#include "runtime/atomic_file.h"
#include "runtime/status_macros.h"

namespace duet::onnx {
namespace internal {

inline constexpr int64_t kExportOpset = 14;

absl::StatusOr<graph::Trace> Optimize(const graph::Trace& trace) {
  ASSIGN_OR_RETURN(
      compiler::Executable exe,
      compiler::Compile(trace, {.name = "onnx::export_model",
                                .dump_label = "ONNX export",
                                .fuse = false}));  // ONNX has its own fused ops: plain ones here
  std::vector<TensorSpec> inputs;
  for (int p : trace.body.params) inputs.push_back(trace.values[p]);
  return graph::ProgramToTrace(*exe.program, {trace.variables, trace.host_fns}, inputs, &trace);
}

void ExportTrace(const std::shared_ptr<const graph::Trace>& trace, const std::string& path,
                 const Loc& loc) {
  ::onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("duet");
  model.add_opset_import()->set_version(kExportOpset);
  const graph::Trace optimized = ValueOrThrow(Optimize(*trace), loc);
  GraphWriter writer(optimized);
  ThrowIfError(writer.Write(*model.mutable_graph()), loc);
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    ThrowError(
        absl::InvalidArgumentError("[onnx::export_model] the model exceeds protobuf's 2 GiB limit"),
        loc);
  absl::Status s = WriteFileAtomically(
      path, [&](FileSink& out) { return out.Write(bytes.data(), bytes.size()); });
  if (!s.ok())
    ThrowError(
        absl::Status(s.code(), absl::StrCat("[onnx::export_model] '", path, "': ", s.message())),
        loc);
}

}  // namespace internal

void export_model(Layer& model, const std::string& path, const std::vector<TensorSpec>& specs,
                  const Loc& loc) {
  auto f = function([&model](const Tensor& x) { return model(x, false); });
  export_model(f, path, specs, loc);
}

}  // namespace duet::onnx
