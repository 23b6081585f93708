#include "compiler/dialect/duet/ir/dialect.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "compiler/dialect/duet/ir/registry_fold.h"
#include "compiler/dialect/duet/ir/structural_ops.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/ExtensibleDialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

#include "compiler/dialect/duet/ir/duet_dialect.cpp.inc"

namespace duet::ir {
namespace {

// Verifies a registry op against its OpDef: arity, attributes, and result types equal to what
// the registry's shape function infers from the operand types.
mlir::LogicalResult VerifyRegistryOp(const OpDef& def, mlir::Operation* op) {
  size_t n = op->getNumOperands();
  if (def.variadic_inputs ? n == 0 : n != def.inputs.size())
    return op->emitOpError() << "expects "
                             << (def.variadic_inputs ? std::string("at least 1")
                                                     : std::to_string(def.inputs.size()))
                             << " operands, got " << n;
  if (op->getNumResults() != def.outputs.size())
    return op->emitOpError() << "expects " << def.outputs.size() << " results, got "
                             << op->getNumResults();
  if (op->getNumRegions() != 0) return op->emitOpError() << "expects no regions";
  std::vector<Tensor> inputs;
  for (mlir::Value v : op->getOperands()) {
    absl::StatusOr<TensorSpec> spec = SpecOf(v.getType());
    if (!spec.ok()) return op->emitOpError() << std::string(spec.status().message());
    inputs.push_back(Tensor::Symbolic(*spec));
  }
  absl::StatusOr<Attrs> attrs = OpAttrs(op, def);
  if (!attrs.ok()) return op->emitOpError() << std::string(attrs.status().message());
  if (absl::Status s = CheckInputDTypes(def, inputs); !s.ok())
    return op->emitOpError() << std::string(s.message());
  absl::StatusOr<SpecList> inferred = def.infer(InferContext{def, inputs, *attrs});
  if (!inferred.ok()) return op->emitOpError() << std::string(inferred.status().message());
  for (size_t i = 0; i < inferred->size(); ++i) {
    absl::StatusOr<TensorSpec> got = SpecOf(op->getResult(i).getType());
    if (!got.ok()) return op->emitOpError() << std::string(got.status().message());
    const TensorSpec& want = (*inferred)[i];
    bool ok = got->dtype == want.dtype && got->shape.rank() == want.shape.rank();
    for (int d = 0; ok && d < want.shape.rank(); ++d)
      ok = got->shape[d] == want.shape[d] || got->shape[d] < 0 || want.shape[d] < 0;
    if (!ok)
      return op->emitOpError() << "result " << i << " is " << got->to_string()
                               << " but the registry infers " << want.to_string();
  }
  return mlir::success();
}

mlir::LogicalResult NoVerify(mlir::Operation*) { return mlir::success(); }

using EffectList =
    llvm::SmallVectorImpl<mlir::SideEffects::EffectInstance<mlir::MemoryEffects::Effect>>;

// Memory effects, so that MLIR's own passes (cse, canonicalize's dead-code removal) treat duet
// ops as the registry says: a pure op has none (mergeable, removable when unused), a stateful
// one (random) reads and writes hidden state, so it is neither merged nor dropped. The model is
// chosen per op when the op is registered, so a query looks nothing up.
struct PureOpEffects : mlir::MemoryEffectOpInterface::FallbackModel<PureOpEffects> {
  void getEffects(mlir::Operation*, EffectList&) const {}
};
struct StatefulOpEffects : mlir::MemoryEffectOpInterface::FallbackModel<StatefulOpEffects> {
  void getEffects(mlir::Operation*, EffectList& effects) const {
    effects.emplace_back(mlir::MemoryEffects::Read::get());
    effects.emplace_back(mlir::MemoryEffects::Write::get());
  }
};

// The custom form of a registry op: `%2 = duet.mul %0, %1 : tensor<4xf32>` when every operand
// and the one result share a type, `%3 = duet.less %0, %1 : (tensor<f32>, tensor<f32>) ->
// tensor<i1>` otherwise; attributes in braces before the colon
// (`duet.reduce_sum %0 {axes = array<i64: 1>, keepdims = false} : ...`).
bool HasCompactType(mlir::Operation* op) {
  if (op->getNumResults() != 1) return false;
  mlir::Type t = op->getResult(0).getType();
  return llvm::all_of(op->getOperandTypes(), [&](mlir::Type o) { return o == t; });
}

void PrintRegistryOp(mlir::Operation* op, mlir::OpAsmPrinter& p, llvm::StringRef) {
  p.getStream() << op->getName().getStringRef();  // always qualified: "duet.mul"
  if (op->getNumOperands() > 0) {
    p << ' ';
    p.printOperands(op->getOperands());
  }
  p.printOptionalAttrDict(op->getAttrs());
  p << " : ";
  if (HasCompactType(op))
    p << op->getResult(0).getType();
  else
    p.printFunctionalType(op);
}

mlir::ParseResult ParseRegistryOp(const OpDef& def, mlir::OpAsmParser& parser,
                                  mlir::OperationState& state) {
  llvm::SmallVector<mlir::OpAsmParser::UnresolvedOperand> operands;
  mlir::Type type;
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (parser.parseOperandList(operands) || parser.parseOptionalAttrDict(state.attributes) ||
      parser.parseColon() || parser.parseType(type))
    return mlir::failure();
  if (auto fn = llvm::dyn_cast<mlir::FunctionType>(type)) {
    state.addTypes(fn.getResults());
    return parser.resolveOperands(operands, fn.getInputs(), loc, state.operands);
  }
  if (def.outputs.size() != 1)
    return parser.emitError(loc) << "duet." << def.name << " has " << def.outputs.size()
                                 << " results: write its type as (operands) -> (results)";
  state.addTypes(type);
  return parser.resolveOperands(operands, type, state.operands);
}

// One dynamic op per registry op: verified by the registry's shape function, printed in the
// custom form, folded by running the registry's CPU kernel (registry_fold.h), with memory
// effects from the registry's traits.
void RegisterOps(mlir::ExtensibleDialect* dialect) {
  for (const OpDef* def : OpRegistry::Get().ops()) {
    auto verify = [def](mlir::Operation* op) { return VerifyRegistryOp(*def, op); };
    auto parse = [def](mlir::OpAsmParser& parser, mlir::OperationState& state) {
      return ParseRegistryOp(*def, parser, state);
    };
    std::unique_ptr<mlir::DynamicOpDefinition> definition = mlir::DynamicOpDefinition::get(
        def->name, dialect, verify, NoVerify, parse, PrintRegistryOp);
    definition->setFoldHookFn([def](mlir::Operation* op, llvm::ArrayRef<mlir::Attribute> operands,
                                    llvm::SmallVectorImpl<mlir::OpFoldResult>& results) {
      return FoldRegistryOp(*def, op, operands, results);
    });
    dialect->registerDynamicOp(std::move(definition));
    std::optional<mlir::RegisteredOperationName> name = mlir::RegisteredOperationName::lookup(
        absl::StrCat(kDialect, ".", def->name), dialect->getContext());
    if (def->has(kStateful))
      name->attachInterface<StatefulOpEffects>();
    else
      name->attachInterface<PureOpEffects>();
  }
}

}  // namespace

void DuetDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "compiler/dialect/duet/ir/structural_ops.cpp.inc"
      >();
  RegisterOps(this);
}

mlir::Operation* DuetDialect::materializeConstant(mlir::OpBuilder& builder, mlir::Attribute value,
                                                  mlir::Type type, mlir::Location loc) {
  auto dense = llvm::dyn_cast<mlir::DenseIntOrFPElementsAttr>(value);
  if (!dense || dense.getType() != type) return nullptr;
  return ConstantOp::create(builder, loc, type, dense);
}

void LoadDuetDialect(mlir::MLIRContext& ctx) {
  ctx.getOrLoadDialect<mlir::func::FuncDialect>();
  ctx.getOrLoadDialect<DuetDialect>();
}

void RegisterDuetDialect(mlir::DialectRegistry& registry) {
  registry.insert<mlir::func::FuncDialect, DuetDialect>();
}

const OpDef* RegistryOp(mlir::Operation* op) {
  llvm::StringRef full = op->getName().getStringRef();
  if (!full.consume_front("duet.")) return nullptr;
  return OpRegistry::Get().Find(std::string_view(full.data(), full.size()));
}

mlir::Type ElementType(mlir::MLIRContext& ctx, DType dtype) {
  mlir::Builder b(&ctx);
  switch (dtype) {
    case DType::kFloat32:
      return b.getF32Type();
    case DType::kFloat64:
      return b.getF64Type();
    case DType::kInt32:
      return b.getI32Type();
    case DType::kInt64:
      return b.getI64Type();
    case DType::kBool:
      return b.getI1Type();
    case DType::kFloat16:
      return b.getF16Type();
    case DType::kBFloat16:
      return b.getBF16Type();
  }
  return {};
}

absl::StatusOr<DType> DTypeOf(mlir::Type t) {
  if (t.isF32()) return DType::kFloat32;
  if (t.isF64()) return DType::kFloat64;
  if (t.isF16()) return DType::kFloat16;
  if (t.isBF16()) return DType::kBFloat16;
  if (t.isInteger(32)) return DType::kInt32;
  if (t.isInteger(64)) return DType::kInt64;
  if (t.isInteger(1)) return DType::kBool;
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  return absl::InvalidArgumentError(absl::StrCat("unsupported element type ", os.str()));
}

mlir::RankedTensorType TensorType(mlir::MLIRContext& ctx, const TensorSpec& spec) {
  llvm::SmallVector<int64_t> dims;
  for (int64_t d : spec.shape) dims.push_back(d < 0 ? mlir::ShapedType::kDynamic : d);
  return mlir::RankedTensorType::get(dims, ElementType(ctx, spec.dtype));
}

absl::StatusOr<TensorSpec> SpecOf(mlir::Type type) {
  auto t = llvm::dyn_cast<mlir::RankedTensorType>(type);
  if (!t) return absl::InvalidArgumentError("expected a ranked tensor type");
  absl::StatusOr<DType> dtype = DTypeOf(t.getElementType());
  if (!dtype.ok()) return dtype.status();
  Shape shape;
  for (int64_t d : t.getShape()) shape.push_back(mlir::ShapedType::isDynamic(d) ? -1 : d);
  return TensorSpec(shape, *dtype);
}

mlir::Attribute ToAttribute(mlir::MLIRContext& ctx, const AttrValue& value) {
  mlir::Builder b(&ctx);
  switch (KindOf(value)) {
    case AttrKind::kBool:
      return b.getBoolAttr(std::get<bool>(value));
    case AttrKind::kInt:
      return b.getI64IntegerAttr(std::get<int64_t>(value));
    case AttrKind::kFloat:
      return b.getF64FloatAttr(std::get<double>(value));
    case AttrKind::kString:
      return b.getStringAttr(std::get<std::string>(value));
    case AttrKind::kInts:
      return b.getDenseI64ArrayAttr(std::get<std::vector<int64_t>>(value));
    case AttrKind::kDType:
      return mlir::TypeAttr::get(ElementType(ctx, std::get<DType>(value)));
    case AttrKind::kShape: {
      const Shape& s = std::get<Shape>(value);
      return b.getDenseI64ArrayAttr(llvm::ArrayRef<int64_t>(s.data(), s.rank()));
    }
  }
  return {};
}

absl::StatusOr<AttrValue> FromAttribute(mlir::Attribute attr, AttrKind kind) {
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat("attribute must be ", AttrKindName(kind)));
  };
  switch (kind) {
    case AttrKind::kBool:
      if (auto a = llvm::dyn_cast<mlir::BoolAttr>(attr)) return AttrValue(a.getValue());
      return bad();
    case AttrKind::kInt:
      if (auto a = llvm::dyn_cast<mlir::IntegerAttr>(attr)) return AttrValue(a.getInt());
      return bad();
    case AttrKind::kFloat:
      if (auto a = llvm::dyn_cast<mlir::FloatAttr>(attr)) return AttrValue(a.getValueAsDouble());
      return bad();
    case AttrKind::kString:
      if (auto a = llvm::dyn_cast<mlir::StringAttr>(attr)) return AttrValue(a.getValue().str());
      return bad();
    case AttrKind::kInts:
      if (auto a = llvm::dyn_cast<mlir::DenseI64ArrayAttr>(attr))
        return AttrValue(std::vector<int64_t>(a.asArrayRef().begin(), a.asArrayRef().end()));
      return bad();
    case AttrKind::kShape:
      if (auto a = llvm::dyn_cast<mlir::DenseI64ArrayAttr>(attr))
        return AttrValue(Shape(a.asArrayRef().begin(), a.asArrayRef().end()));
      return bad();
    case AttrKind::kDType:
      if (auto a = llvm::dyn_cast<mlir::TypeAttr>(attr)) {
        absl::StatusOr<DType> d = DTypeOf(a.getValue());
        if (!d.ok()) return d.status();
        return AttrValue(*d);
      }
      return bad();
  }
  return bad();
}

absl::StatusOr<Attrs> OpAttrs(mlir::Operation* op, const OpDef& def) {
  Attrs attrs;
  for (const AttrDef& a : def.attrs) {
    mlir::Attribute attr = op->getAttr(a.name);
    if (!attr) return absl::InvalidArgumentError(absl::StrCat("missing attribute '", a.name, "'"));
    absl::StatusOr<AttrValue> v = FromAttribute(attr, a.kind);
    if (!v.ok())
      return absl::InvalidArgumentError(
          absl::StrCat("attribute '", a.name, "': ", v.status().message()));
    attrs.push_back(*std::move(v));
  }
  return attrs;
}

mlir::DenseElementsAttr ToElementsAttr(mlir::MLIRContext& ctx, const Tensor& t) {
  mlir::RankedTensorType type = TensorType(ctx, t.spec());
  if (t.dtype() == DType::kBool) {
    std::vector<bool> bits(t.data<bool>(), t.data<bool>() + t.num_elements());
    llvm::SmallVector<bool> v(bits.begin(), bits.end());
    return mlir::DenseElementsAttr::get(type, llvm::ArrayRef<bool>(v));
  }
  llvm::ArrayRef<char> raw(static_cast<const char*>(t.raw_data()), t.num_bytes());
  return mlir::DenseElementsAttr::getFromRawBuffer(type, raw);
}

absl::StatusOr<Tensor> FromElementsAttr(mlir::DenseElementsAttr attr) {
  ASSIGN_OR_RETURN(TensorSpec spec, SpecOf(attr.getType()));
  ASSIGN_OR_RETURN(Tensor t, Tensor::TryEmpty(spec));
  if (spec.dtype == DType::kBool) {
    bool* out = t.mutable_data<bool>();
    int64_t i = 0;
    for (bool b : attr.getValues<bool>()) out[i++] = b;
    return t;
  }
  llvm::ArrayRef<char> raw = attr.getRawData();
  if (attr.isSplat()) {
    size_t w = SizeOf(spec.dtype);
    for (int64_t i = 0; i < t.num_elements(); ++i)
      std::memcpy(static_cast<char*>(t.mutable_raw_data()) + i * w, raw.data(), w);
  } else if (t.num_bytes() > 0) {  // an empty tensor's buffers may be null: memcpy(null) is UB
    std::memcpy(t.mutable_raw_data(), raw.data(), t.num_bytes());
  }
  return t;
}

}  // namespace duet::ir
