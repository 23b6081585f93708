func.func @f(%a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<2xi32> {
  %0 = "duet.add"(%a, %b) : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}
