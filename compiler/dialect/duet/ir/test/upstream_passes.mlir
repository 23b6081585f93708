// MLIR's own passes see duet ops through their memory effects (from the registry's traits):
// pure ops die when unused, stateful and side-effecting ones are kept, in order. (Upstream
// cse never merges registry ops: MLIR 22's dynamic ops report unequal properties, so
// OperationEquivalence fails; merging is duet-cse's job, see transforms/test/cse.mlir.)
// RUN: duet-opt --mlir-print-op-generic --cse %s | FileCheck %s --check-prefix=CSE
// RUN: duet-opt --mlir-print-op-generic --canonicalize %s | FileCheck %s --check-prefix=CANON

// Two draws of a random op are two different values, even with equal attributes.
// CSE-LABEL: sym_name = "random_kept"
// CSE: "duet.random_normal"
// CSE: "duet.random_normal"
func.func @random_kept() -> (tensor<3xf32>, tensor<3xf32>) {
  %0 = "duet.random_normal"() {shape = array<i64: 3>, dtype = f32, seed = 1 : i64, a = 0.0 : f64, b = 1.0 : f64} : () -> tensor<3xf32>
  %1 = "duet.random_normal"() {shape = array<i64: 3>, dtype = f32, seed = 1 : i64, a = 0.0 : f64, b = 1.0 : f64} : () -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// A write between two reads keeps them apart.
// CSE-LABEL: sym_name = "variable_reads"
// CSE: "duet.read_variable"
// CSE-NEXT: "duet.assign_variable"
// CSE-NEXT: "duet.read_variable"
// CSE: "func.return"
func.func @variable_reads(%arg0: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0 = "duet.read_variable"() {var = 0 : i64} : () -> tensor<3xf32>
  "duet.assign_variable"(%arg0) {var = 0 : i64} : (tensor<3xf32>) -> ()
  %1 = "duet.read_variable"() {var = 0 : i64} : () -> tensor<3xf32>
  %2 = "duet.read_variable"() {var = 0 : i64} : () -> tensor<3xf32>
  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// Unused pure ops die; prints, assigns, host calls and random draws stay, in order.
// CANON-LABEL: sym_name = "dead"
// CANON-NOT: "duet.exp"
// CANON: "duet.print"
// CANON: "duet.assign_variable"
// CANON: "duet.host_func"
// CANON: "duet.random_normal"
// CANON: "func.return"
func.func @dead(%arg0: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "duet.exp"(%arg0) : (tensor<3xf32>) -> tensor<3xf32>
  %p = "duet.print"(%arg0) {label = "x = "} : (tensor<3xf32>) -> tensor<3xf32>
  "duet.assign_variable"(%arg0) {var = 0 : i64} : (tensor<3xf32>) -> ()
  %1 = "duet.host_func"(%arg0) {fn = 0 : i64} : (tensor<3xf32>) -> tensor<3xf32>
  %2 = "duet.random_normal"() {shape = array<i64: 3>, dtype = f32, seed = 1 : i64, a = 0.0 : f64, b = 1.0 : f64} : () -> tensor<3xf32>
  return %arg0 : tensor<3xf32>
}
