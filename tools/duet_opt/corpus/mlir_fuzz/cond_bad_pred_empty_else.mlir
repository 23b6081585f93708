func.func @f(%p: tensor<3xi1>) -> tensor<f32> {
  %0 = "duet.cond"(%p) ({
    %c = "duet.constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
    "duet.yield"(%c) : (tensor<f32>) -> ()
  }, {
  }) : (tensor<3xi1>) -> tensor<f32>
  return %0 : tensor<f32>
}
