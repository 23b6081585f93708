func.func @f(%p: tensor<i1>, %a: tensor<f32>) -> tensor<f32> {
  %0 = "duet.cond"(%p) : (tensor<i1>) -> tensor<f32>
  return %0 : tensor<f32>
}
