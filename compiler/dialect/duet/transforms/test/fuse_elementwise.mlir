// RUN: duet-opt --mlir-print-op-generic --duet-fuse-elementwise %s | FileCheck %s
// RUN: duet-opt --duet-fuse-elementwise %s | duet-opt --verify-diagnostics

// A chain over one domain becomes one fusion; a one-element operand is an input (broadcast).
// CHECK-LABEL: sym_name = "chain"
// CHECK: %[[F:.*]] = "duet.fusion"(%{{.*}}, %{{.*}}) ({
// CHECK: "duet.mul"
// CHECK: "duet.tanh"
// CHECK: "duet.add"
// CHECK: "duet.yield"
// CHECK: "func.return"(%[[F]])
func.func @chain(%arg0: tensor<64xf32>, %arg1: tensor<f32>) -> tensor<64xf32> {
  %0 = "duet.mul"(%arg0, %arg1) : (tensor<64xf32>, tensor<f32>) -> tensor<64xf32>
  %1 = "duet.tanh"(%0) : (tensor<64xf32>) -> tensor<64xf32>
  %2 = "duet.add"(%1, %arg0) : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  return %2 : tensor<64xf32>
}

// A value used outside the region leaves it as a second result (several outputs per region).
// CHECK-LABEL: sym_name = "two_outputs"
// CHECK: %[[F:.*]]:2 = "duet.fusion"(%{{.*}})
// CHECK: "func.return"(%[[F]]#0, %[[F]]#1)
func.func @two_outputs(%arg0: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = "duet.exp"(%arg0) : (tensor<8xf32>) -> tensor<8xf32>
  %1 = "duet.neg"(%0) : (tensor<8xf32>) -> tensor<8xf32>
  return %0, %1 : tensor<8xf32>, tensor<8xf32>
}

// A non-elementwise consumer closes the group; the consumer of that consumer starts another.
// CHECK-LABEL: sym_name = "split_by_matmul"
// CHECK: "duet.fusion"
// CHECK: "duet.matmul"
// CHECK: "duet.fusion"
func.func @split_by_matmul(%arg0: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = "duet.exp"(%arg0) : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = "duet.neg"(%0) : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %2 = "duet.matmul"(%1, %1) {transpose_a = false, transpose_b = false} : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %3 = "duet.exp"(%2) : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %4 = "duet.neg"(%3) : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %4 : tensor<4x4xf32>
}

// Row broadcasts from outside join the region as inputs; the op over the row's own domain is a
// lone op and stays outside.
// CHECK-LABEL: sym_name = "row_broadcasts"
// CHECK: %[[E:.*]] = "duet.exp"
// CHECK: %[[F:.*]] = "duet.fusion"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[E]]) ({
// CHECK: "duet.add"
// CHECK: "duet.sub"
// CHECK: "func.return"(%[[F]])
func.func @row_broadcasts(%arg0: tensor<4x4xf32>, %arg1: tensor<4xf32>) -> tensor<4x4xf32> {
  %0 = "duet.add"(%arg0, %arg1) : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %1 = "duet.exp"(%arg1) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "duet.sub"(%0, %1) : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  return %2 : tensor<4x4xf32>
}

// A column (4, 1) and a rank-3 broadcast (3, 1) under (2, 4, 3) fuse the same way.
// CHECK-LABEL: sym_name = "column_and_rank3"
// CHECK: "duet.fusion"
// CHECK: "duet.mul"
// CHECK: "duet.add"
func.func @column_and_rank3(%arg0: tensor<2x4x3xf32>, %arg1: tensor<4x1xf32>, %arg2: tensor<2x1x3xf32>) -> tensor<2x4x3xf32> {
  %0 = "duet.mul"(%arg0, %arg1) : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
  %1 = "duet.add"(%0, %arg2) : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
  return %1 : tensor<2x4x3xf32>
}

// A lone op is left alone, broadcast operand or not.
// CHECK-LABEL: sym_name = "left_alone"
// CHECK-NOT: "duet.fusion"
// CHECK: "func.return"
func.func @left_alone(%arg0: tensor<4x4xf32>, %arg1: tensor<4xf32>) -> tensor<4x4xf32> {
  %0 = "duet.add"(%arg0, %arg1) : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
