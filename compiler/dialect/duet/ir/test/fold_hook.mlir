// Registry ops carry a fold hook (ir/registry_fold.h) and duet.constant is ConstantLike, so
// MLIR's own --canonicalize folds duet IR with the registry's CPU kernels; the dialect
// materializes the results as duet.constant.
// RUN: duet-opt --mlir-print-op-generic --canonicalize %s | FileCheck %s

// Two constants fold into one; the inputs die.
// CHECK-LABEL: sym_name = "fold_add"
// CHECK: "duet.constant"() {value = dense<[4.000000e+00, 6.000000e+00]> : tensor<2xf32>}
// CHECK-NOT: "duet.add"
// CHECK-NOT: dense<[1.000000e+00, 2.000000e+00]>
// CHECK: "func.return"
func.func @fold_add() -> tensor<2xf32> {
  %0 = "duet.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %1 = "duet.constant"() {value = dense<[3.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %2 = duet.add %0, %1 : tensor<2xf32>
  return %2 : tensor<2xf32>
}

// Chains fold, with attributes (reduce_sum over axis 1) and another dtype.
// CHECK-LABEL: sym_name = "fold_chain"
// CHECK: "duet.constant"() {value = dense<[12, 30]> : tensor<2xi32>}
// CHECK-NOT: "duet.reduce_sum"
// CHECK-NOT: "duet.mul"
func.func @fold_chain() -> tensor<2xi32> {
  %0 = "duet.constant"() {value = dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>} : () -> tensor<2x3xi32>
  %1 = duet.add %0, %0 : tensor<2x3xi32>
  %2 = "duet.reduce_sum"(%1) {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xi32>) -> tensor<2xi32>
  return %2 : tensor<2xi32>
}

// Folding inside a cond region; identity forwards its operand.
// CHECK-LABEL: sym_name = "fold_in_region"
// CHECK: "duet.constant"() {value = dense<-2.000000e+00> : tensor<f32>}
// CHECK: "duet.cond"
// CHECK-NOT: "duet.neg"
// CHECK-NOT: "duet.identity"
func.func @fold_in_region(%p: tensor<i1>, %x: tensor<f32>) -> tensor<f32> {
  %0 = "duet.cond"(%p) ({
    %c = "duet.constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
    %n = "duet.neg"(%c) : (tensor<f32>) -> tensor<f32>
    "duet.yield"(%n) : (tensor<f32>) -> ()
  }, {
    %i = "duet.identity"(%x) : (tensor<f32>) -> tensor<f32>
    "duet.yield"(%i) : (tensor<f32>) -> ()
  }) : (tensor<i1>) -> tensor<f32>
  return %0 : tensor<f32>
}

// A stateful op (random) never folds, nor does what uses it; a kernel error (integer division
// by zero) is left to run time, where it names the user's line.
// CHECK-LABEL: sym_name = "no_fold"
// CHECK: "duet.random_uniform"
// CHECK: "duet.add"
// CHECK: "duet.div"
func.func @no_fold() -> (tensor<2xf32>, tensor<2xi32>) {
  %0 = "duet.random_uniform"() {shape = array<i64: 2>, dtype = f32, seed = 1 : i64, a = 0.0 : f64, b = 1.0 : f64} : () -> tensor<2xf32>
  %1 = "duet.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %2 = duet.add %0, %1 : tensor<2xf32>
  %3 = "duet.constant"() {value = dense<[6, 7]> : tensor<2xi32>} : () -> tensor<2xi32>
  %4 = "duet.constant"() {value = dense<[0, 0]> : tensor<2xi32>} : () -> tensor<2xi32>
  %5 = duet.div %3, %4 : tensor<2xi32>
  return %2, %5 : tensor<2xf32>, tensor<2xi32>
}
