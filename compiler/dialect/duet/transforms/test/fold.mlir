// RUN: duet-opt --mlir-print-op-generic --duet-fold %s | FileCheck %s

// Constant operands fold through the registry's CPU kernel (the one eager runs).
// CHECK-LABEL: sym_name = "fold_add"
// CHECK: "duet.constant"() {value = dense<[4.000000e+00, 6.000000e+00]> : tensor<2xf32>}
// CHECK-NOT: "duet.add"
func.func @fold_add() -> tensor<2xf32> {
  %0 = "duet.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %1 = "duet.constant"() {value = dense<[3.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %2 = "duet.add"(%0, %1) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %2 : tensor<2xf32>
}

// Folding follows chains and attributes (reduce_sum over axis 1, keepdims false).
// CHECK-LABEL: sym_name = "fold_chain"
// CHECK: "duet.constant"() {value = dense<[6, 15]> : tensor<2xi32>}
// CHECK-NOT: "duet.reduce_sum"
func.func @fold_chain() -> tensor<2xi32> {
  %0 = "duet.constant"() {value = dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>} : () -> tensor<2x3xi32>
  %1 = "duet.reduce_sum"(%0) {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xi32>) -> tensor<2xi32>
  return %1 : tensor<2xi32>
}

// Ops with a non-constant operand stay; identity is forwarded.
// CHECK-LABEL: sym_name = "keep_and_forward"
// CHECK: %[[M:.*]] = "duet.mul"(%[[X:.*]], %[[X]])
// CHECK-NOT: "duet.identity"
// CHECK: "func.return"(%[[M]])
func.func @keep_and_forward(%arg0: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "duet.mul"(%arg0, %arg0) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = "duet.identity"(%0) : (tensor<3xf32>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Stateful ops (random) never fold.
// CHECK-LABEL: sym_name = "no_fold_stateful"
// CHECK: "duet.random_uniform"
func.func @no_fold_stateful() -> tensor<2xf32> {
  %0 = "duet.random_uniform"() {shape = array<i64: 2>, dtype = f32, seed = 1 : i64, a = 0.0 : f64, b = 1.0 : f64} : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
