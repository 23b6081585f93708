func.func @keep_and_forward(%arg0: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "duet.mul"(%arg0, %arg0) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = "duet.identity"(%0) : (tensor<3xf32>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}
