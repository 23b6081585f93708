// The structural ops of the duet dialect: what a traced function needs beside registry ops.
// Each is defined here once, with the traits and interfaces passes ask for (ConstantLike, memory
// effects, RegionBranchOpInterface, terminators); hasVerifier ops check the rest in
// structural_ops.cc, because IR text is untrusted and whatever verifies must lower and run.
#ifndef DUET_STRUCTURAL_OPS_TD
#define DUET_STRUCTURAL_OPS_TD

include "compiler/dialect/duet/ir/duet_dialect.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// A capture index (of a variable or a host function): a non-negative i64 that fits an int.
def Duet_IndexAttr : Attr<
    And<[CPred<"::llvm::isa<::mlir::IntegerAttr>($_self)">,
         CPred<"::llvm::cast<::mlir::IntegerAttr>($_self).getType().isSignlessInteger(64)">,
         CPred<"::llvm::cast<::mlir::IntegerAttr>($_self).getInt() >= 0">,
         CPred<"::llvm::cast<::mlir::IntegerAttr>($_self).getInt() <= INT32_MAX">]>,
    "non-negative i64 capture index"> {
  let storageType = "::mlir::IntegerAttr";
  let returnType = "::mlir::IntegerAttr";
  let convertFromStorage = "$_self";
}

// A variable: a capture index in a compiled function, a non-empty name in an exported module.
def Duet_VariableRefAttr : Attr<
    Or<[Duet_IndexAttr.predicate,
        And<[CPred<"::llvm::isa<::mlir::StringAttr>($_self)">,
             CPred<"!::llvm::cast<::mlir::StringAttr>($_self).getValue().empty()">]>]>,
    "non-negative i64 or non-empty string variable reference"> {
  let storageType = "::mlir::Attribute";
  let returnType = "::mlir::Attribute";
  let convertFromStorage = "$_self";
}

def Duet_DenseAttr : Attr<CPred<"::llvm::isa<::mlir::DenseIntOrFPElementsAttr>($_self)">,
                          "dense int or float elements attribute"> {
  let storageType = "::mlir::DenseIntOrFPElementsAttr";
  let returnType = "::mlir::DenseIntOrFPElementsAttr";
  let convertFromStorage = "$_self";
}

def Duet_ConstantOp : Duet_Op<"constant", [ConstantLike, Pure]> {
  let summary = "a captured tensor";
  let description = [{
    `%0 = "duet.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>`
  }];
  let arguments = (ins Duet_DenseAttr:$value);
  let results = (outs Duet_Tensor:$result);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Duet_ReadVariableOp : Duet_Op<"read_variable",
    [MemoryEffects<[MemRead<Duet_VariableResource>]>]> {
  let summary = "reads a captured variable at run time";
  let arguments = (ins Duet_VariableRefAttr:$var);
  let results = (outs Duet_Tensor:$result);
}

def Duet_AssignVariableOp : Duet_Op<"assign_variable",
    [MemoryEffects<[MemWrite<Duet_VariableResource>]>]> {
  let summary = "writes a captured variable (program order is kept)";
  let arguments = (ins Duet_Tensor:$value, Duet_VariableRefAttr:$var);
}

// A host function is C++ of this process: it may touch anything, variables included.
def Duet_HostFuncOp : Duet_Op<"host_func",
    [MemoryEffects<[MemRead, MemWrite, MemRead<Duet_VariableResource>,
                    MemWrite<Duet_VariableResource>]>]> {
  let summary = "calls captured host callable #fn eagerly";
  let arguments = (ins Variadic<Duet_Tensor>:$inputs, Duet_IndexAttr:$fn);
  let results = (outs Variadic<Duet_Tensor>:$results);
}

def Duet_CondOp : Duet_Op<"cond", [
    RecursiveMemoryEffects,
    DeclareOpInterfaceMethods<RegionBranchOpInterface, ["areTypesCompatible"]>]> {
  let summary = "runs the then or the else region on a one-element i1 predicate";
  let description = [{
    The regions take no arguments (they use values of the enclosing graph) and yield the
    results: `%r = "duet.cond"(%pred) ({ ... duet.yield %a }, { ... duet.yield %b })`.
  }];
  let arguments = (ins Duet_Tensor:$pred);
  let results = (outs Variadic<Duet_Tensor>:$results);
  let regions = (region SizedRegion<1>:$then_region, SizedRegion<1>:$else_region);
  let hasVerifier = 1;
}

def Duet_WhileOp : Duet_Op<"while", [
    RecursiveMemoryEffects,
    DeclareOpInterfaceMethods<RegionBranchOpInterface,
                              ["getEntrySuccessorOperands", "areTypesCompatible"]>]> {
  let summary = "loops: the condition region decides, the body region updates the variables";
  let description = [{
    Both regions take the loop variables as block arguments; the condition yields a one-element
    i1 tensor, the body the next loop variables. The results are the final loop variables.
  }];
  let arguments = (ins Variadic<Duet_Tensor>:$inits);
  let results = (outs Variadic<Duet_Tensor>:$results);
  let regions = (region SizedRegion<1>:$cond_region, SizedRegion<1>:$body_region);
  let hasVerifier = 1;
}

// A fused elementwise region (made by duet-fuse-elementwise): the original ops, over one
// iteration domain of N elements, run together tile by tile without writing the intermediates
// to memory. The block takes the inputs (each N elements or one broadcast element) and yields
// the results; it sees nothing else (IsolatedFromAbove), so it lowers and runs on its own.
def Duet_FusionOp : Duet_Op<"fusion", [IsolatedFromAbove, RecursiveMemoryEffects]> {
  let summary = "elementwise registry ops fused over one iteration domain";
  let description = [{
    `%r = "duet.fusion"(%x) ({ ^bb0(%a: tensor<8xf32>): %t = "duet.tanh"(%a) ...
    "duet.yield"(%t) }) : (tensor<8xf32>) -> tensor<8xf32>`
  }];
  let arguments = (ins Variadic<Duet_Tensor>:$inputs);
  let results = (outs Variadic<Duet_Tensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let hasVerifier = 1;
}

def Duet_YieldOp : Duet_Op<"yield", [
    Pure, Terminator, ParentOneOf<["CondOp", "WhileOp", "FusionOp"]>,
    DeclareOpInterfaceMethods<RegionBranchTerminatorOpInterface,
                              ["getMutableSuccessorOperands"]>]> {
  let summary = "ends a cond/while/fusion region with its values";
  let arguments = (ins Variadic<Duet_Tensor>:$values);
}

#endif  // DUET_STRUCTURAL_OPS_TD
