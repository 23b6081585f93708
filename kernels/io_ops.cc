// Op definitions of the host side-effect ops (CPU kernels: kernels/cpu/io_kernels.cc).
#include "kernels/io_ops.h"

#include "kernels/infer_helpers.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

// Stateful: never folded, merged (two prints of one value print twice) or removed as dead.
// Its gradient passes dy through, so printing inside differentiated code changes nothing.
const OpDef& kPrint =
    OpBuilder("print")
        .Inputs({"x"})
        .Outputs({"y"})
        .Attr("label", AttrKind::kString)
        .Traits(kStateful)
        .Infer(InferSameAsInput)
        .KernelAllocatesOutputs()
        .Gradient([](const GradContext& c) { return std::vector<Tensor>{c.output_grads[0]}; })
        .Doc("prints label and x when it runs; returns x")
        .Build();

}  // namespace

Tensor internal::Print(const Tensor& x, const std::string& label, const Loc& loc) {
  return Call(kPrint, {x}, MakeAttrs(kPrint, {{"label", label}}), loc);
}

}  // namespace duet
