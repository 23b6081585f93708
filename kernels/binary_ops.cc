// Registrations and CPU kernels of the broadcasting binary arithmetic ops.
#include "kernels/binary_ops.h"

#include "kernels/compare_ops.h"
#include "kernels/cpu/binary_loops.h"
#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "kernels/unary_ops.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr auto kNumeric = {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64};
constexpr uint32_t kBinaryTraits = kElementwise | kBroadcasting;

// Integer ops that would trap (division by zero) or are undefined (negative powers) are
// rejected before the loop, so a bad value is an Error, never a crash.
template <class T>
absl::Status CheckIntegerDivisor(const KernelContext& ctx, bool is_pow) {
  const Tensor& y = ctx.inputs[1];
  const T* p = y.data<T>();
  for (int64_t i = 0, n = y.num_elements(); i < n; ++i) {
    if (!is_pow && p[i] == 0)
      return OpError(ctx.op, "integer division by zero (divisor ", y.spec().to_string(), ")");
    if (is_pow && p[i] < 0)
      return OpError(ctx.op, "integers to negative integer powers are not allowed");
  }
  return absl::OkStatus();
}

template <cpu::BinaryOp kOp, bool kChecksDivisor = false, bool kIsPow = false>
absl::Status BinaryKernel(KernelContext& ctx) {
  if constexpr (kChecksDivisor) {
    absl::Status s = absl::OkStatus();
    if (ctx.inputs[0].dtype() == DType::kInt32) s = CheckIntegerDivisor<int32_t>(ctx, kIsPow);
    if (ctx.inputs[0].dtype() == DType::kInt64) s = CheckIntegerDivisor<int64_t>(ctx, kIsPow);
    if (!s.ok()) return s;
  }
  if (!cpu::Binary(kOp, ctx.inputs[0], ctx.inputs[1], ctx.outputs[0]))
    return absl::UnimplementedError(
        absl::StrCat("[", ctx.op.name, "] no kernel for ", DTypeName(ctx.inputs[0].dtype())));
  return absl::OkStatus();
}

const OpDef& kAdd = OpBuilder("add")
                        .Inputs({"x", "y"})
                        .Outputs({"z"})
                        .Traits(kBinaryTraits | kCommutative)
                        .Infer(InferBroadcast)
                        .Kernel(DeviceType::kCPU, kNumeric, BinaryKernel<cpu::BinaryOp::kAdd>)
                        .Doc("x + y")
                        .Gradient([](const GradContext& c) {
                          const Tensor& dz = c.output_grads[0];
                          return std::vector<Tensor>{SumToInput(c, dz, 0), SumToInput(c, dz, 1)};
                        })
                        .Build();
const OpDef& kSub =
    OpBuilder("sub")
        .Inputs({"x", "y"})
        .Outputs({"z"})
        .Traits(kBinaryTraits)
        .Infer(InferBroadcast)
        .Kernel(DeviceType::kCPU, kNumeric, BinaryKernel<cpu::BinaryOp::kSub>)
        .Doc("x - y")
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          return std::vector<Tensor>{SumToInput(c, dz, 0), SumToInput(c, neg(dz), 1)};
        })
        .Build();
const OpDef& kMul = OpBuilder("mul")
                        .Inputs({"x", "y"})
                        .Outputs({"z"})
                        .Traits(kBinaryTraits | kCommutative)
                        .Infer(InferBroadcast)
                        .Kernel(DeviceType::kCPU, kNumeric, BinaryKernel<cpu::BinaryOp::kMul>)
                        .Doc("x * y")
                        .Gradient([](const GradContext& c) {
                          const Tensor& dz = c.output_grads[0];
                          return std::vector<Tensor>{SumToInput(c, mul(dz, c.inputs[1]), 0),
                                                     SumToInput(c, mul(dz, c.inputs[0]), 1)};
                        })
                        .Build();
const OpDef& kDiv =
    OpBuilder("div")
        .Inputs({"x", "y"})
        .Outputs({"z"})
        .Traits(kBinaryTraits)
        .Infer(InferBroadcast)
        .Kernel(DeviceType::kCPU, kNumeric, BinaryKernel<cpu::BinaryOp::kDiv, true>)
        .Doc("x / y (floor division on integers)")
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          const Tensor& y = c.inputs[1];
          return std::vector<Tensor>{SumToInput(c, div(dz, y), 0),
                                     SumToInput(c, neg(div(mul(dz, c.outputs[0]), y)), 1)};
        })
        .Build();
const OpDef& kPow =
    OpBuilder("pow")
        .Inputs({"x", "y"})
        .Outputs({"z"})
        .Traits(kBinaryTraits)
        .Infer(InferBroadcast)
        .Kernel(DeviceType::kCPU, kNumeric, BinaryKernel<cpu::BinaryOp::kPow, true, true>)
        .Doc("x ** y")
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          const Tensor& x = c.inputs[0];
          const Tensor& y = c.inputs[1];
          Tensor dx = mul(dz, mul(y, pow(x, sub(y, 1))));
          Tensor safe_log = where(greater(x, 0), log(where(greater(x, 0), x, 1)), 0);
          return std::vector<Tensor>{SumToInput(c, dx, 0),
                                     SumToInput(c, mul(dz, mul(c.outputs[0], safe_log)), 1)};
        })
        .Build();
const OpDef& kMaximum =
    OpBuilder("maximum")
        .Inputs({"x", "y"})
        .Outputs({"z"})
        .Traits(kBinaryTraits | kCommutative)
        .Infer(InferBroadcast)
        .Kernel(DeviceType::kCPU, kNumeric, BinaryKernel<cpu::BinaryOp::kMaximum>)
        .Doc("elementwise max (NaN propagates)")
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          Tensor pick_x = greater_equal(c.inputs[0], c.inputs[1]);
          return std::vector<Tensor>{SumToInput(c, where(pick_x, dz, 0), 0),
                                     SumToInput(c, where(pick_x, 0, dz), 1)};
        })
        .Build();
const OpDef& kMinimum =
    OpBuilder("minimum")
        .Inputs({"x", "y"})
        .Outputs({"z"})
        .Traits(kBinaryTraits | kCommutative)
        .Infer(InferBroadcast)
        .Kernel(DeviceType::kCPU, kNumeric, BinaryKernel<cpu::BinaryOp::kMinimum>)
        .Doc("elementwise min (NaN propagates)")
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          Tensor pick_x = less_equal(c.inputs[0], c.inputs[1]);
          return std::vector<Tensor>{SumToInput(c, where(pick_x, dz, 0), 0),
                                     SumToInput(c, where(pick_x, 0, dz), 1)};
        })
        .Build();
const OpDef& kFloorMod =
    OpBuilder("floor_mod")
        .Inputs({"x", "y"})
        .Outputs({"z"})
        .Traits(kBinaryTraits)
        .Infer(InferBroadcast)
        .Kernel(DeviceType::kCPU, kNumeric, BinaryKernel<cpu::BinaryOp::kFloorMod, true>)
        .Doc("x mod y with the divisor's sign")
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          return std::vector<Tensor>{
              SumToInput(c, dz, 0),
              SumToInput(c, neg(mul(dz, floor(div(c.inputs[0], c.inputs[1])))), 1)};
        })
        .Build();

}  // namespace

Tensor add(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kAdd, x, y, loc);
}
Tensor sub(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kSub, x, y, loc);
}
Tensor mul(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kMul, x, y, loc);
}
Tensor div(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kDiv, x, y, loc);
}
Tensor pow(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kPow, x, y, loc);
}
Tensor maximum(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kMaximum, x, y, loc);
}
Tensor minimum(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kMinimum, x, y, loc);
}
Tensor floor_mod(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kFloorMod, x, y, loc);
}

}  // namespace duet
