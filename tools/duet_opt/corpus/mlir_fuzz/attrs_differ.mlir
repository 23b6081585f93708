func.func @attrs_differ(%arg0: tensor<2x2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = "duet.reduce_sum"(%arg0) {axes = array<i64: 0>, keepdims = false} : (tensor<2x2xf32>) -> tensor<2xf32>
  %1 = "duet.reduce_sum"(%arg0) {axes = array<i64: 1>, keepdims = false} : (tensor<2x2xf32>) -> tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}
