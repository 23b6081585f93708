// The duet dialect: extensible, so the op registry adds one dynamic op per registry op at
// load time (dialect.cc) beside the structural ops written here in ODS (structural_ops.td).
#ifndef DUET_DIALECT_TD
#define DUET_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Duet_Dialect : Dialect {
  let name = "duet";
  let summary = "the duet op registry as MLIR, plus the structural ops";
  let cppNamespace = "::duet::ir";
  let isExtensible = 1;
  // Inherent attributes print in the attribute dictionary (`{value = ...}`), as the dynamic
  // registry ops' do, so every duet op has the same text form.
  let usePropertiesForAttributes = 0;
  // Folding a registry op yields a tensor attribute; duet.constant materializes it.
  let hasConstantMaterializer = 1;
}

// The variables a function captures: read_variable/assign_variable touch this resource.
def Duet_VariableResource : Resource<"::duet::ir::VariableResource">;

// A ranked tensor of a duet dtype (runtime/dtype.h).
def Duet_Tensor : RankedTensorOf<[F32, F64, F16, BF16, I32, I64, I1]>;

class Duet_Op<string mnemonic, list<Trait> traits = []> : Op<Duet_Dialect, mnemonic, traits>;

#endif  // DUET_DIALECT_TD
