// RUN: duet-opt --mlir-print-op-generic --duet-cse %s | FileCheck %s

// Identical pure ops (same operands and attributes) become one.
// CHECK-LABEL: sym_name = "dedupe"
// CHECK: %[[A:.*]] = "duet.mul"(%{{.*}}, %{{.*}})
// CHECK-NOT: "duet.mul"
// CHECK: "duet.add"(%[[A]], %[[A]])
func.func @dedupe(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "duet.mul"(%arg0, %arg1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = "duet.mul"(%arg0, %arg1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = "duet.add"(%0, %1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// Different attributes are different expressions.
// CHECK-LABEL: sym_name = "attrs_differ"
// CHECK: "duet.reduce_sum"(%{{.*}}) {axes = array<i64: 0>
// CHECK: "duet.reduce_sum"(%{{.*}}) {axes = array<i64: 1>
func.func @attrs_differ(%arg0: tensor<2x2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = "duet.reduce_sum"(%arg0) {axes = array<i64: 0>, keepdims = false} : (tensor<2x2xf32>) -> tensor<2xf32>
  %1 = "duet.reduce_sum"(%arg0) {axes = array<i64: 1>, keepdims = false} : (tensor<2x2xf32>) -> tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// Variable reads are never merged: an assign may sit between them.
// CHECK-LABEL: sym_name = "variable_reads"
// CHECK: "duet.read_variable"
// CHECK: "duet.assign_variable"
// CHECK: "duet.read_variable"
func.func @variable_reads(%arg0: tensor<f32>) -> tensor<f32> {
  %0 = "duet.read_variable"() {var = 0 : i64} : () -> tensor<f32>
  "duet.assign_variable"(%arg0) {var = 0 : i64} : (tensor<f32>) -> ()
  %1 = "duet.read_variable"() {var = 0 : i64} : () -> tensor<f32>
  %2 = "duet.add"(%0, %1) : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %2 : tensor<f32>
}
