module {
  func.func @a(%x: tensor<f32>) -> tensor<f32> { return %x : tensor<f32> }
  func.func @b(%x: tensor<f32>) -> tensor<f32> {
    %0 = func.call @a(%x) : (tensor<f32>) -> tensor<f32>
    return %0 : tensor<f32>
  }
}
