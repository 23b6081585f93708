func.func @f(%a: tensor<*xf32>) -> tensor<*xf32> {
  %0 = "duet.exp"(%a) : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
