// RUN: duet-opt --mlir-print-op-generic %s | FileCheck %s
// RUN: duet-opt %s | duet-opt --mlir-print-op-generic | FileCheck %s

// The IR prints and parses back to itself; cond/while regions end in duet.yield.
// CHECK-LABEL: sym_name = "regions"
// CHECK: "duet.cond"(%{{.*}}) ({
// CHECK: "duet.yield"
// CHECK: "duet.while"
func.func @regions(%arg0: tensor<i1>, %arg1: tensor<f32>) -> tensor<f32> {
  %0 = "duet.cond"(%arg0) ({
    %1 = "duet.neg"(%arg1) : (tensor<f32>) -> tensor<f32>
    "duet.yield"(%1) : (tensor<f32>) -> ()
  }, {
    "duet.yield"(%arg1) : (tensor<f32>) -> ()
  }) : (tensor<i1>) -> tensor<f32>
  %2 = "duet.while"(%0) ({
  ^bb0(%a: tensor<f32>):
    %c = "duet.constant"() {value = dense<10.0> : tensor<f32>} : () -> tensor<f32>
    %l = "duet.less"(%a, %c) : (tensor<f32>, tensor<f32>) -> tensor<i1>
    "duet.yield"(%l) : (tensor<i1>) -> ()
  }, {
  ^bb0(%b: tensor<f32>):
    %d = "duet.add"(%b, %b) : (tensor<f32>, tensor<f32>) -> tensor<f32>
    "duet.yield"(%d) : (tensor<f32>) -> ()
  }) : (tensor<f32>) -> tensor<f32>
  return %2 : tensor<f32>
}
// BAD: 'duet.matmul' op [matmul] inner dimensions differ

// The custom form of registry ops parses, and prints the same way.
// RUN: duet-opt %s | FileCheck %s --check-prefix=CUSTOM
// RUN: duet-opt %s | duet-opt | FileCheck %s --check-prefix=CUSTOM
// CUSTOM-LABEL: func.func @custom
// CUSTOM: %[[M:.*]] = duet.mul %arg0, %arg1 : tensor<4xf32>
// CUSTOM: %{{.*}} = duet.less %[[M]], %arg1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// CUSTOM: %{{.*}} = duet.reduce_sum %[[M]] {axes = array<i64: 0>, keepdims = false} : (tensor<4xf32>) -> tensor<f32>
// CUSTOM: %{{.*}} = duet.random_normal {a = {{.*}}, shape = array<i64: 3>} : tensor<3xf32>
func.func @custom(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> (tensor<4xi1>, tensor<f32>, tensor<3xf32>) {
  %0 = duet.mul %arg0, %arg1 : tensor<4xf32>
  %1 = duet.less %0, %arg1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %2 = "duet.reduce_sum"(%0) {axes = array<i64: 0>, keepdims = false} : (tensor<4xf32>) -> tensor<f32>
  %3 = duet.random_normal {shape = array<i64: 3>, dtype = f32, seed = 1 : i64, a = 0.0 : f64, b = 1.0 : f64} : tensor<3xf32>
  return %1, %2, %3 : tensor<4xi1>, tensor<f32>, tensor<3xf32>
}
