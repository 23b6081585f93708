func.func @f(%a: tensor<2x2xf32>) -> tensor<2xf32> {
  %0 = "duet.reduce_sum"(%a) {axes = "zero", keepdims = 3 : i64} : (tensor<2x2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
