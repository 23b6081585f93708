// RUN: duet-opt --mlir-print-op-generic --duet-fuse-epilogue %s | FileCheck %s
// RUN: duet-opt --duet-fuse-epilogue %s | duet-opt --verify-diagnostics

// A dense layer: matmul + bias + relu is one fused_matmul with the bias as its third operand.
// CHECK-LABEL: sym_name = "dense_relu"
// CHECK: %[[F:.*]] = "duet.fused_matmul"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) {epilogue = "add,relu", transpose_a = false, transpose_b = false}
// CHECK-NOT: "duet.add"
// CHECK-NOT: "duet.relu"
// CHECK: "func.return"(%[[F]])
func.func @dense_relu(%x: tensor<32x64xf32>, %w: tensor<64x16xf32>, %b: tensor<16xf32>) -> tensor<32x16xf32> {
  %0 = "duet.matmul"(%x, %w) {transpose_a = false, transpose_b = false} : (tensor<32x64xf32>, tensor<64x16xf32>) -> tensor<32x16xf32>
  %1 = "duet.add"(%0, %b) : (tensor<32x16xf32>, tensor<16xf32>) -> tensor<32x16xf32>
  %2 = "duet.relu"(%1) : (tensor<32x16xf32>) -> tensor<32x16xf32>
  return %2 : tensor<32x16xf32>
}

// The bias on the left and a residual of the output's shape: both adds join, in order.
// CHECK-LABEL: sym_name = "bias_left_residual_tanh"
// CHECK: "duet.fused_matmul"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) {epilogue = "add,add,tanh"
func.func @bias_left_residual_tanh(%x: tensor<8x4xf32>, %w: tensor<4x4xf32>, %b: tensor<1x4xf32>, %r: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %0 = "duet.matmul"(%x, %w) {transpose_a = false, transpose_b = false} : (tensor<8x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
  %1 = "duet.add"(%b, %0) : (tensor<1x4xf32>, tensor<8x4xf32>) -> tensor<8x4xf32>
  %2 = "duet.add"(%1, %r) : (tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<8x4xf32>
  %3 = "duet.tanh"(%2) : (tensor<8x4xf32>) -> tensor<8x4xf32>
  return %3 : tensor<8x4xf32>
}

// A pre-activation read elsewhere (a backward op that needs it) ends the chain before the
// activation: matmul + bias fuse, the relu stays.
// CHECK-LABEL: sym_name = "preactivation_used_twice"
// CHECK: %[[F:.*]] = "duet.fused_matmul"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) {epilogue = "add"
// CHECK: "duet.relu"(%[[F]])
// CHECK: "duet.mul"(%[[F]], %[[F]])
func.func @preactivation_used_twice(%x: tensor<8x4xf32>, %w: tensor<4x4xf32>, %b: tensor<4xf32>) -> (tensor<8x4xf32>, tensor<8x4xf32>) {
  %0 = "duet.matmul"(%x, %w) {transpose_a = false, transpose_b = false} : (tensor<8x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
  %1 = "duet.add"(%0, %b) : (tensor<8x4xf32>, tensor<4xf32>) -> tensor<8x4xf32>
  %2 = "duet.relu"(%1) : (tensor<8x4xf32>) -> tensor<8x4xf32>
  %3 = "duet.mul"(%1, %1) : (tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<8x4xf32>
  return %2, %3 : tensor<8x4xf32>, tensor<8x4xf32>
}

// Nothing fuses: a matmul used twice, an add that broadcasts the product itself (the result
// is bigger than the product), an activation the backend has no post-op for (softplus), and
// a product with a dynamic dim.
// CHECK-LABEL: sym_name = "no_fusion"
// CHECK-NOT: fused_matmul
// CHECK-LABEL: sym_name = "after"
func.func @no_fusion(%x: tensor<8x4xf32>, %w: tensor<4x1xf32>, %big: tensor<8x3xf32>, %d: tensor<?x4xf32>, %w4: tensor<4x4xf32>) -> (tensor<8x1xf32>, tensor<8x3xf32>, tensor<8x1xf32>, tensor<?x4xf32>) {
  %0 = "duet.matmul"(%x, %w) {transpose_a = false, transpose_b = false} : (tensor<8x4xf32>, tensor<4x1xf32>) -> tensor<8x1xf32>
  %1 = "duet.add"(%0, %big) : (tensor<8x1xf32>, tensor<8x3xf32>) -> tensor<8x3xf32>
  %2 = "duet.matmul"(%x, %w) {transpose_a = false, transpose_b = false} : (tensor<8x4xf32>, tensor<4x1xf32>) -> tensor<8x1xf32>
  %3 = "duet.softplus"(%2) : (tensor<8x1xf32>) -> tensor<8x1xf32>
  %4 = "duet.matmul"(%d, %w4) {transpose_a = false, transpose_b = false} : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32>
  %5 = "duet.relu"(%4) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0, %1, %3, %5 : tensor<8x1xf32>, tensor<8x3xf32>, tensor<8x1xf32>, tensor<?x4xf32>
}
func.func @after() {
  return
}

// A convolution with a per-channel bias and relu: fused_conv2d.
// CHECK-LABEL: sym_name = "conv_bias_relu"
// CHECK: "duet.fused_conv2d"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) {dilations = array<i64: 1, 1>, epilogue = "add,relu", padding = "VALID", strides = array<i64: 1, 1>}
func.func @conv_bias_relu(%x: tensor<2x5x5x1xf32>, %k: tensor<3x3x1x4xf32>, %b: tensor<4xf32>) -> tensor<2x3x3x4xf32> {
  %0 = "duet.conv2d"(%x, %k) {dilations = array<i64: 1, 1>, padding = "VALID", strides = array<i64: 1, 1>} : (tensor<2x5x5x1xf32>, tensor<3x3x1x4xf32>) -> tensor<2x3x3x4xf32>
  %1 = "duet.add"(%0, %b) : (tensor<2x3x3x4xf32>, tensor<4xf32>) -> tensor<2x3x3x4xf32>
  %2 = "duet.relu"(%1) : (tensor<2x3x3x4xf32>) -> tensor<2x3x3x4xf32>
  return %2 : tensor<2x3x3x4xf32>
}
