func.func @regions(%arg0: tensor<i1>, %arg1: tensor<f32>) -> tensor<f32> {
  %0 = "duet.cond"(%arg0) ({
    %1 = "duet.neg"(%arg1) : (tensor<f32>) -> tensor<f32>
    "duet.yield"(%1) : (tensor<f32>) -> ()
  }, {
    "duet.yield"(%arg1) : (tensor<f32>) -> ()
  }) : (tensor<i1>) -> tensor<f32>
  %2 = "duet.while"(%0) ({
  ^bb0(%a: tensor<f32>):
    %c = "duet.constant"() {value = dense<10.0> : tensor<f32>} : () -> tensor<f32>
    %l = "duet.less"(%a, %c) : (tensor<f32>, tensor<f32>) -> tensor<i1>
    "duet.yield"(%l) : (tensor<i1>) -> ()
  }, {
  ^bb0(%b: tensor<f32>):
    %d = "duet.add"(%b, %b) : (tensor<f32>, tensor<f32>) -> tensor<f32>
    "duet.yield"(%d) : (tensor<f32>) -> ()
  }) : (tensor<f32>) -> tensor<f32>
  return %2 : tensor<f32>
}
