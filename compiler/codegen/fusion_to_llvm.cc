// FusionKernelMlir and LowerKernelMlir: the kernel built in MLIR from the ops' scalar facets,
// lowered to the llvm dialect and LLVM IR. One TU on purpose: it holds every MLIR header codegen
// needs.
//
// The kernel, for region values v (inputs first) and results r:
//   p[k] = args[k]
//   for i in [0, n - n % 64) step 64:  v_in = load <64 x T> p[in] + i    (a broadcast input:
//                                      its one element, splat once before the loop)
//                                      ...each op's facet on vectors...
//                                      store <64 x T> r -> p[result] + i
//   for i in [n - n % 64, n):           the same on scalars
// bool is i1 in registers and one byte in memory.
#include "compiler/codegen/fusion_to_llvm.h"

#include <mutex>

#include "absl/strings/str_cat.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "runtime/op_def.h"

namespace duet::codegen {
namespace {

// Lanes per vector-loop step: four AVX-512 registers per f32 value. A region is one long
// dependency chain (tanh, then exp, ...), so a step of one register is latency-bound; four
// independent registers per value keep the FMA units busy (the chain [1M]: 16 lanes 2.2 ms,
// 32 lanes 2.0 ms, 64 lanes 1.34 ms, 128 lanes 1.41 ms on one Xeon core).
constexpr int64_t kLanes = 64;

bool Generated(DType d) {
  return d == DType::kFloat32 || d == DType::kFloat64 || d == DType::kInt32 || d == DType::kInt64 ||
         d == DType::kBool;
}

mlir::Type RegisterType(mlir::MLIRContext* ctx, DType d) {
  switch (d) {
    case DType::kFloat32:
      return mlir::Float32Type::get(ctx);
    case DType::kFloat64:
      return mlir::Float64Type::get(ctx);
    case DType::kInt32:
      return mlir::IntegerType::get(ctx, 32);
    case DType::kInt64:
      return mlir::IntegerType::get(ctx, 64);
    default:
      return mlir::IntegerType::get(ctx, 1);  // bool
  }
}

mlir::Type MemoryType(mlir::MLIRContext* ctx, DType d) {
  return d == DType::kBool ? mlir::IntegerType::get(ctx, 8) : RegisterType(ctx, d);
}

// A division LLVM may turn into a refined reciprocal estimate (rcp14 and a Newton step on
// AVX-512): it needs both arcp and ninf (DAGCombiner::visitFDIV), so only divisors known finite
// and nonzero get these flags.
mlir::arith::FastMathFlagsAttr EstimateFlags(mlir::MLIRContext* ctx) {
  return mlir::arith::FastMathFlagsAttr::get(
      ctx, mlir::arith::FastMathFlags::arcp | mlir::arith::FastMathFlags::ninf);
}

// ScalarBuilder over MLIR values of one shape: scalars (lanes 0) or vector<lanes x T>. A
// primitive with no exact form records the first failure and yields a null value, which every
// later primitive passes on, so a facet never checks.
class MlirScalarBuilder final : public ScalarBuilder {
 public:
  MlirScalarBuilder(mlir::ImplicitLocOpBuilder& b, int64_t lanes) : b_(b), lanes_(lanes) {}

  ScalarValue Wrap(mlir::Value v, DType d) {
    values_.push_back(v);
    dtypes_.push_back(d);
    return static_cast<ScalarValue>(values_.size() - 1);
  }
  mlir::Value value(ScalarValue v) const { return values_[v]; }
  const std::string& failure() const { return failure_; }
  mlir::Type TypeOf(DType d) const { return Shaped(RegisterType(b_.getContext(), d)); }
  mlir::Type Shaped(mlir::Type element) const {
    return lanes_ ? mlir::Type(mlir::VectorType::get({lanes_}, element)) : element;
  }

  DType dtype(ScalarValue v) const override { return dtypes_[v]; }

  ScalarValue Constant(double value, DType d) override {
    if (!Generated(d)) return Fail(absl::StrCat("a constant of dtype ", DTypeName(d)), d);
    mlir::Type element = RegisterType(b_.getContext(), d);
    mlir::TypedAttr attr;
    if (IsFloating(d))
      attr = b_.getFloatAttr(element, value);
    else
      attr =
          b_.getIntegerAttr(element, llvm::APInt(element.getIntOrFloatBitWidth(),
                                                 static_cast<uint64_t>(static_cast<int64_t>(value)),
                                                 /*isSigned=*/true, /*implicitTrunc=*/true));
    if (lanes_)
      attr = mlir::DenseElementsAttr::get(mlir::cast<mlir::ShapedType>(Shaped(element)), attr);
    return Wrap(mlir::arith::ConstantOp::create(b_, attr), d);
  }

  ScalarValue Unary(ScalarUnary fn, ScalarValue x) override {
    const DType d = dtype(x);
    const mlir::Value v = value(x);
    if (!v) return Wrap({}, d);
    const bool fp = IsFloating(d), integer = !fp && d != DType::kBool;
    switch (fn) {
      case ScalarUnary::kNeg:
        if (fp) return Wrap(mlir::arith::NegFOp::create(b_, v), d);
        if (integer) return Wrap(mlir::arith::SubIOp::create(b_, value(Like(0, x)), v), d);
        break;
      case ScalarUnary::kAbs:
        if (fp) return Wrap(mlir::math::AbsFOp::create(b_, v), d);
        if (integer) return Wrap(mlir::math::AbsIOp::create(b_, v), d);
        break;
      case ScalarUnary::kRsqrt:  // 1 / sqrt, as the CPU kernel (not an estimate)
        if (fp)
          return Wrap(
              mlir::arith::DivFOp::create(b_, value(Like(1, x)), mlir::math::SqrtOp::create(b_, v)),
              d);
        break;
      case ScalarUnary::kReciprocal:  // EstimateFlags: see runtime/scalar_facet.h
        if (fp)
          return Wrap(
              mlir::arith::DivFOp::create(b_, value(Like(1, x)), v, EstimateFlags(b_.getContext())),
              d);
        break;
      case ScalarUnary::kNot:
        if (d == DType::kBool)
          return Wrap(mlir::arith::XOrIOp::create(b_, v, value(Like(1, x))), d);
        break;
      default:
        if (fp) return Wrap(FloatMath(fn, v), d);
    }
    return Fail(absl::StrCat("unary primitive ", static_cast<int>(fn), " on ", DTypeName(d)), d);
  }

  ScalarValue Binary(ScalarBinary fn, ScalarValue x, ScalarValue y) override {
    const DType d = dtype(x);
    const mlir::Value a = value(x), c = value(y);
    if (!a || !c) return Wrap({}, d);
    if (dtype(y) != d) return Fail("a binary primitive on two dtypes", d);
    if (IsFloating(d)) {
      switch (fn) {
        case ScalarBinary::kAdd:
          return Wrap(mlir::arith::AddFOp::create(b_, a, c), d);
        case ScalarBinary::kSub:
          return Wrap(mlir::arith::SubFOp::create(b_, a, c), d);
        case ScalarBinary::kMul:
          return Wrap(mlir::arith::MulFOp::create(b_, a, c), d);
        case ScalarBinary::kDiv:
          return Wrap(mlir::arith::DivFOp::create(b_, a, c), d);
        case ScalarBinary::kRem:
          return Wrap(mlir::arith::RemFOp::create(b_, a, c), d);
        case ScalarBinary::kPow:
          return Wrap(mlir::math::PowFOp::create(b_, a, c), d);
        case ScalarBinary::kMax:  // NaN propagates, as the CPU kernels
          return Wrap(mlir::arith::MaximumFOp::create(b_, a, c), d);
        case ScalarBinary::kMin:
          return Wrap(mlir::arith::MinimumFOp::create(b_, a, c), d);
        default:
          break;
      }
    } else if (d == DType::kBool) {
      if (fn == ScalarBinary::kAnd) return Wrap(mlir::arith::AndIOp::create(b_, a, c), d);
      if (fn == ScalarBinary::kOr) return Wrap(mlir::arith::OrIOp::create(b_, a, c), d);
    } else {
      switch (fn) {  // two's complement wraps, as the CPU kernels (kernels/cpu/wrapping_int.h)
        case ScalarBinary::kAdd:
          return Wrap(mlir::arith::AddIOp::create(b_, a, c), d);
        case ScalarBinary::kSub:
          return Wrap(mlir::arith::SubIOp::create(b_, a, c), d);
        case ScalarBinary::kMul:
          return Wrap(mlir::arith::MulIOp::create(b_, a, c), d);
        case ScalarBinary::kMax:
          return Wrap(mlir::arith::MaxSIOp::create(b_, a, c), d);
        case ScalarBinary::kMin:
          return Wrap(mlir::arith::MinSIOp::create(b_, a, c), d);
        default:  // division and remainder trap on zero (eager checks before its loop)
          break;
      }
    }
    return Fail(absl::StrCat("binary primitive ", static_cast<int>(fn), " on ", DTypeName(d)), d);
  }

  ScalarValue Compare(ScalarCompare cmp, ScalarValue x, ScalarValue y) override {
    const DType d = dtype(x);
    const mlir::Value a = value(x), c = value(y);
    if (!a || !c) return Wrap({}, DType::kBool);
    if (dtype(y) != d) return Fail("a comparison of two dtypes", DType::kBool);
    const int k = static_cast<int>(cmp);
    if (IsFloating(d)) {
      using P = mlir::arith::CmpFPredicate;  // ordered, except != (true for NaN, as C++)
      constexpr P kFloat[] = {P::OEQ, P::UNE, P::OLT, P::OLE, P::OGT, P::OGE};
      return Wrap(mlir::arith::CmpFOp::create(b_, kFloat[k], a, c), DType::kBool);
    }
    using P = mlir::arith::CmpIPredicate;
    constexpr P kSigned[] = {P::eq, P::ne, P::slt, P::sle, P::sgt, P::sge};
    constexpr P kUnsigned[] = {P::eq, P::ne, P::ult, P::ule, P::ugt, P::uge};  // false < true
    return Wrap(
        mlir::arith::CmpIOp::create(b_, d == DType::kBool ? kUnsigned[k] : kSigned[k], a, c),
        DType::kBool);
  }

  ScalarValue Select(ScalarValue cond, ScalarValue x, ScalarValue y) override {
    const DType d = dtype(x);
    if (!value(cond) || !value(x) || !value(y)) return Wrap({}, d);
    return Wrap(mlir::arith::SelectOp::create(b_, value(cond), value(x), value(y)), d);
  }

  ScalarValue Cast(ScalarValue x, DType to) override;

 private:
  mlir::Value FloatMath(ScalarUnary fn, mlir::Value v) {
    switch (fn) {
      case ScalarUnary::kExp:
        return mlir::math::ExpOp::create(b_, v);
      case ScalarUnary::kLog:
        return mlir::math::LogOp::create(b_, v);
      case ScalarUnary::kLog1p:
        return mlir::math::Log1pOp::create(b_, v);
      case ScalarUnary::kSqrt:
        return mlir::math::SqrtOp::create(b_, v);
      case ScalarUnary::kTanh:
        return mlir::math::TanhOp::create(b_, v);
      case ScalarUnary::kSin:
        return mlir::math::SinOp::create(b_, v);
      case ScalarUnary::kCos:
        return mlir::math::CosOp::create(b_, v);
      default:  // kFloor
        return mlir::math::FloorOp::create(b_, v);
    }
  }

  ScalarValue IntConstant(const llvm::APInt& value, DType d) {
    mlir::Type element = RegisterType(b_.getContext(), d);
    mlir::TypedAttr attr = b_.getIntegerAttr(element, value);
    if (lanes_)
      attr = mlir::DenseElementsAttr::get(mlir::cast<mlir::ShapedType>(Shaped(element)), attr);
    return Wrap(mlir::arith::ConstantOp::create(b_, attr), d);
  }

  ScalarValue Fail(const std::string& what, DType d) {
    if (failure_.empty()) failure_ = absl::StrCat("no generated form for ", what);
    return Wrap({}, d);
  }

  mlir::ImplicitLocOpBuilder& b_;
  const int64_t lanes_;
  std::vector<mlir::Value> values_;
  std::vector<DType> dtypes_;
  std::string failure_;
};

// As kernels/cpu/cast_loops.h: float -> int truncates, NaN is 0, out-of-range saturates; int ->
// narrower int wraps; anything -> bool is != 0.
ScalarValue MlirScalarBuilder::Cast(ScalarValue x, DType to) {
  const DType from = dtype(x);
  const mlir::Value v = value(x);
  if (!v) return Wrap({}, to);
  if (!Generated(to)) return Fail(absl::StrCat("a cast to ", DTypeName(to)), to);
  if (from == to) return x;
  const mlir::Type type = TypeOf(to);
  const bool from_fp = IsFloating(from), to_fp = IsFloating(to);
  if (to == DType::kBool) return Compare(ScalarCompare::kNe, x, Like(0, x));
  if (from == DType::kBool)
    return Wrap(to_fp ? mlir::Value(mlir::arith::UIToFPOp::create(b_, type, v))
                      : mlir::Value(mlir::arith::ExtUIOp::create(b_, type, v)),
                to);
  if (from_fp && to_fp)
    return Wrap(SizeOf(to) > SizeOf(from) ? mlir::Value(mlir::arith::ExtFOp::create(b_, type, v))
                                          : mlir::Value(mlir::arith::TruncFOp::create(b_, type, v)),
                to);
  if (!from_fp && to_fp) return Wrap(mlir::arith::SIToFPOp::create(b_, type, v), to);
  if (!from_fp && !to_fp)
    return Wrap(SizeOf(to) > SizeOf(from) ? mlir::Value(mlir::arith::ExtSIOp::create(b_, type, v))
                                          : mlir::Value(mlir::arith::TruncIOp::create(b_, type, v)),
                to);
  // float -> int: [-2^(b-1), 2^(b-1)) converts; the bounds are exact powers of two.
  const double limit = std::ldexp(1.0, static_cast<int>(SizeOf(to)) * 8 - 1);
  const ScalarValue in_range =
      Binary(ScalarBinary::kAnd, Compare(ScalarCompare::kGe, x, Like(-limit, x)),
             Compare(ScalarCompare::kLt, x, Like(limit, x)));
  const ScalarValue safe = Select(in_range, x, Like(0, x));  // fptosi of the rest is poison
  const ScalarValue converted = Wrap(mlir::arith::FPToSIOp::create(b_, type, value(safe)), to);
  const unsigned bits = static_cast<unsigned>(SizeOf(to)) * 8;
  const ScalarValue lowest = IntConstant(llvm::APInt::getSignedMinValue(bits), to);
  const ScalarValue highest = IntConstant(llvm::APInt::getSignedMaxValue(bits), to);
  const ScalarValue saturated = Select(Compare(ScalarCompare::kGe, x, Like(0, x)), highest, lowest);
  const ScalarValue is_nan = Compare(ScalarCompare::kNe, x, x);
  return Select(in_range, converted, Select(is_nan, Constant(0, to), saturated));
}

// The loads, ops and stores of one loop (vector or scalar) in the builder's current block.
class LoopBody {
 public:
  LoopBody(const graph::FusionPlan& plan, absl::Span<const mlir::Value> pointers, int64_t lanes)
      : plan_(plan), pointers_(pointers), lanes_(lanes) {}

  // Values the loop reads but does not index: broadcast inputs, loaded (and splat) once.
  void Hoist(mlir::ImplicitLocOpBuilder& b) {
    hoisted_.assign(plan_.num_inputs(), mlir::Value());
    for (int v = 0; v < plan_.num_inputs(); ++v) {
      if (!plan_.broadcast[v]) continue;
      const DType d = plan_.values[v].dtype;
      mlir::Value s = FromMemory(
          b, mlir::LLVM::LoadOp::create(b, MemoryType(b.getContext(), d), pointers_[v], SizeOf(d)),
          d, 0);
      if (lanes_)
        s = mlir::vector::BroadcastOp::create(
            b, mlir::VectorType::get({lanes_}, RegisterType(b.getContext(), d)), s);
      hoisted_[v] = s;
    }
  }

  absl::Status Emit(mlir::ImplicitLocOpBuilder& b, mlir::Value index) {
    MlirScalarBuilder sb(b, lanes_);
    std::vector<ScalarValue> values(plan_.values.size(), -1);
    for (int v = 0; v < plan_.num_inputs(); ++v) {
      const DType d = plan_.values[v].dtype;
      values[v] = sb.Wrap(plan_.broadcast[v] ? hoisted_[v] : Load(b, v, index), d);
    }
    for (const graph::FusedOp& f : plan_.ops) {
      if (!f.op->scalar)
        return absl::UnimplementedError(absl::StrCat(f.op->name, " has no scalar facet"));
      ScalarList ins;
      for (int v : f.in) ins.push_back(values[v]);
      const ScalarList outs = f.op->scalar(ScalarContext{*f.op, sb, ins, f.attrs});
      if (outs.size() != f.out.size())
        return absl::InternalError(absl::StrCat(f.op->name, "'s scalar facet gives ", outs.size(),
                                                " values for its ", f.out.size(), " outputs"));
      for (size_t k = 0; k < outs.size(); ++k) {
        const DType want = plan_.values[f.out[k]].dtype;
        if (sb.dtype(outs[k]) != want)
          return absl::InternalError(absl::StrCat(f.op->name, "'s scalar facet gives ",
                                                  DTypeName(sb.dtype(outs[k])), "; the op infers ",
                                                  DTypeName(want)));
        values[f.out[k]] = outs[k];
      }
    }
    if (!sb.failure().empty()) return absl::UnimplementedError(sb.failure());
    for (size_t r = 0; r < plan_.results.size(); ++r) {
      const int v = plan_.results[r];
      Store(b, plan_.num_inputs() + static_cast<int>(r), plan_.values[v].dtype, sb.value(values[v]),
            index);
    }
    return absl::OkStatus();
  }

 private:
  mlir::Type Shaped(mlir::Type element) const {
    return lanes_ ? mlir::Type(mlir::VectorType::get({lanes_}, element)) : element;
  }
  mlir::Value Address(mlir::ImplicitLocOpBuilder& b, int arg, DType d, mlir::Value index) {
    return mlir::LLVM::GEPOp::create(b, mlir::LLVM::LLVMPointerType::get(b.getContext()),
                                     MemoryType(b.getContext(), d), pointers_[arg],
                                     mlir::ValueRange{index});
  }
  mlir::Value FromMemory(mlir::ImplicitLocOpBuilder& b, mlir::Value m, DType d, int64_t lanes) {
    if (d != DType::kBool) return m;
    mlir::Type i8 = b.getI8Type();
    mlir::TypedAttr zero = b.getIntegerAttr(i8, 0);
    if (lanes) zero = mlir::DenseElementsAttr::get(mlir::VectorType::get({lanes}, i8), zero);
    return mlir::arith::CmpIOp::create(b, mlir::arith::CmpIPredicate::ne, m,
                                       mlir::arith::ConstantOp::create(b, zero));
  }
  mlir::Value Load(mlir::ImplicitLocOpBuilder& b, int v, mlir::Value index) {
    const DType d = plan_.values[v].dtype;
    mlir::Value m = mlir::LLVM::LoadOp::create(b, Shaped(MemoryType(b.getContext(), d)),
                                               Address(b, v, d, index), SizeOf(d));
    return FromMemory(b, m, d, lanes_);
  }
  void Store(mlir::ImplicitLocOpBuilder& b, int arg, DType d, mlir::Value value,
             mlir::Value index) {
    if (d == DType::kBool) value = mlir::arith::ExtUIOp::create(b, Shaped(b.getI8Type()), value);
    mlir::LLVM::StoreOp::create(b, value, Address(b, arg, d, index), SizeOf(d));
  }

  const graph::FusionPlan& plan_;
  absl::Span<const mlir::Value> pointers_;
  const int64_t lanes_;
  std::vector<mlir::Value> hoisted_;
};

// for i in [lb, ub) step `lanes` (1 for the scalar tail): the body at i.
absl::Status EmitLoop(mlir::ImplicitLocOpBuilder& b, const graph::FusionPlan& plan,
                      absl::Span<const mlir::Value> pointers, mlir::Value lb, mlir::Value ub,
                      int64_t lanes) {
  LoopBody body(plan, pointers, lanes);
  body.Hoist(b);
  mlir::Value step = mlir::arith::ConstantOp::create(b, b.getI64IntegerAttr(lanes ? lanes : 1));
  absl::Status status;
  mlir::scf::ForOp::create(
      b, lb, ub, step, mlir::ValueRange{},
      [&](mlir::OpBuilder& nested, mlir::Location loc, mlir::Value i, mlir::ValueRange) {
        mlir::ImplicitLocOpBuilder ib(loc, nested);
        status = body.Emit(ib, i);
        mlir::scf::YieldOp::create(ib);
      });
  return status;
}

absl::Status BuildKernel(const graph::FusionPlan& plan, mlir::ModuleOp module) {
  for (const TensorSpec& spec : plan.values)
    if (!Generated(spec.dtype))
      return absl::UnimplementedError(
          absl::StrCat("no generated form for ", DTypeName(spec.dtype)));
  mlir::MLIRContext* ctx = module.getContext();
  mlir::ImplicitLocOpBuilder b(mlir::UnknownLoc::get(ctx), ctx);
  b.setInsertionPointToEnd(module.getBody());
  const mlir::Type i64 = b.getI64Type(), ptr = mlir::LLVM::LLVMPointerType::get(ctx);
  auto func = mlir::func::FuncOp::create(b, kKernelSymbol, b.getFunctionType({i64, ptr}, {}));
  mlir::Block* entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  const mlir::Value n = entry->getArgument(0), args = entry->getArgument(1);
  std::vector<mlir::Value> pointers;
  const int num_args = plan.num_inputs() + static_cast<int>(plan.results.size());
  for (int k = 0; k < num_args; ++k) {
    mlir::Value slot =
        mlir::LLVM::GEPOp::create(b, ptr, ptr, args, llvm::ArrayRef<mlir::LLVM::GEPArg>{k});
    pointers.push_back(mlir::LLVM::LoadOp::create(b, ptr, slot, 8));
  }
  mlir::Value lanes = mlir::arith::ConstantOp::create(b, b.getI64IntegerAttr(kLanes));
  mlir::Value zero = mlir::arith::ConstantOp::create(b, b.getI64IntegerAttr(0));
  mlir::Value vector_end =
      mlir::arith::MulIOp::create(b, mlir::arith::DivSIOp::create(b, n, lanes), lanes);
  if (absl::Status s = EmitLoop(b, plan, pointers, zero, vector_end, kLanes); !s.ok()) return s;
  if (absl::Status s = EmitLoop(b, plan, pointers, vector_end, n, 0); !s.ok()) return s;
  mlir::func::ReturnOp::create(b);
  if (mlir::failed(mlir::verify(module)))
    return absl::InternalError("the generated fusion kernel does not verify");
  return absl::OkStatus();
}

// f32 exp/log/log1p/tanh/expm1 as polynomials (vectorizable, a few ulp); f64 and sin/cos keep
// LLVM intrinsics or libm calls, which are exact to libm. tanh goes first and alone: its
// rational form divides by a polynomial that is >= 1 on its clamped range, so that division
// may be a refined reciprocal estimate (arcp), which halves the cost of a tanh; the other
// approximations' divisions can meet 0 and stay exact.
absl::Status ApproximateMath(mlir::ModuleOp module) {
  mlir::MLIRContext* ctx = module.getContext();
  llvm::DenseSet<mlir::Operation*> exact;
  module.walk([&](mlir::arith::DivFOp op) { exact.insert(op); });
  mlir::RewritePatternSet tanh(ctx);
  mlir::populatePolynomialApproximateTanhPattern(tanh);
  if (mlir::failed(mlir::applyPatternsGreedily(module, std::move(tanh))))
    return absl::InternalError("approximating tanh did not converge");
  module.walk([&](mlir::arith::DivFOp op) {
    if (!exact.contains(op)) op.setFastmathAttr(EstimateFlags(ctx));
  });
  mlir::RewritePatternSet others(ctx);
  mlir::populateMathPolynomialApproximationPatterns(others, [](llvm::StringRef name) {
    name.consume_front("math.");
    return name == "exp" || name == "log" || name == "log1p" || name == "expm1";
  });
  if (mlir::failed(mlir::applyPatternsGreedily(module, std::move(others))))
    return absl::InternalError("polynomial approximation did not converge");
  return absl::OkStatus();
}

absl::Status LowerToLLVMDialect(mlir::ModuleOp module) {
  mlir::MLIRContext* ctx = module.getContext();
  if (absl::Status s = ApproximateMath(module); !s.ok()) return s;
  mlir::PassManager pm(ctx);
  mlir::ConvertMathToLLVMPassOptions math_options;
  math_options.approximateLog1p = false;  // f64 log1p stays libm's, not log(1 + x)
  pm.addPass(mlir::createConvertMathToLLVMPass(math_options));
  pm.addPass(mlir::createConvertMathToLibmPass());
  pm.addPass(mlir::createSCFToControlFlowPass());
  pm.addPass(mlir::createConvertVectorToLLVMPass());
  pm.addPass(mlir::createArithToLLVMConversionPass());
  pm.addPass(mlir::createConvertFuncToLLVMPass());
  pm.addPass(mlir::createConvertControlFlowToLLVMPass());
  pm.addPass(mlir::createReconcileUnrealizedCastsPass());
  if (mlir::failed(pm.run(module)))
    return absl::InternalError("lowering the fusion kernel to the llvm dialect failed");
  return absl::OkStatus();
}

// One context for every kernel, single-threaded: compiles run on one background thread, and
// MLIR's own pool would compete with the kernels for the cores.
struct CodegenContext {
  static CodegenContext& Get() {
    static CodegenContext* c = new CodegenContext;  // leaked: kernels compile until exit
    return *c;
  }
  CodegenContext() : ctx(CodegenDialects(), mlir::MLIRContext::Threading::DISABLED) {
    ctx.loadAllAvailableDialects();
  }
  static mlir::DialectRegistry CodegenDialects();
  std::mutex mu;
  mlir::MLIRContext ctx;
};

mlir::DialectRegistry CodegenContext::CodegenDialects() {
  mlir::DialectRegistry registry;
  registry.insert<mlir::arith::ArithDialect, mlir::cf::ControlFlowDialect, mlir::func::FuncDialect,
                  mlir::LLVM::LLVMDialect, mlir::math::MathDialect, mlir::scf::SCFDialect,
                  mlir::vector::VectorDialect>();
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  return registry;
}

}  // namespace

absl::StatusOr<std::string> FusionKernelMlir(const graph::FusionPlan& plan) {
  CodegenContext& c = CodegenContext::Get();
  std::lock_guard<std::mutex> lock(c.mu);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(mlir::UnknownLoc::get(&c.ctx));
  if (absl::Status s = BuildKernel(plan, *module); !s.ok()) return s;
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  return text;
}

absl::StatusOr<std::unique_ptr<llvm::Module>> LowerKernelMlir(std::string_view mlir_text,
                                                              llvm::LLVMContext& llvm_context) {
  CodegenContext& c = CodegenContext::Get();
  std::lock_guard<std::mutex> lock(c.mu);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceString<mlir::ModuleOp>(
      llvm::StringRef(mlir_text.data(), mlir_text.size()), &c.ctx);
  if (!module) return absl::InternalError("the fusion kernel's MLIR does not parse");
  if (absl::Status s = LowerToLLVMDialect(*module); !s.ok()) return s;
  std::unique_ptr<llvm::Module> out = mlir::translateModuleToLLVMIR(*module, llvm_context);
  if (!out) return absl::InternalError("translating the fusion kernel to LLVM IR failed");
  return out;
}

}  // namespace duet::codegen
