func.func @f(%a: tensor<f32>) -> tensor<f32> {
  %0 = "duet.while"(%a) ({
  ^bb0(%x: tensor<f32>, %y: tensor<f32>):
    "duet.yield"(%x) : (tensor<f32>) -> ()
  }, {
  ^bb0(%z: tensor<i32>):
    "duet.yield"() : () -> ()
  }) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
