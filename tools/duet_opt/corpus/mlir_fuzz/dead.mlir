func.func @dead(%arg0: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "duet.exp"(%arg0) : (tensor<3xf32>) -> tensor<3xf32>
  %1 = "duet.log"(%0) : (tensor<3xf32>) -> tensor<3xf32>
  %p = "duet.print"(%arg0) {label = "x = "} : (tensor<3xf32>) -> tensor<3xf32>
  "duet.assign_variable"(%arg0) {var = 0 : i64} : (tensor<3xf32>) -> ()
  %2 = "duet.random_normal"() {shape = array<i64: 3>, dtype = f32, seed = 1 : i64, a = 0.0 : f64, b = 1.0 : f64} : () -> tensor<3xf32>
  return %arg0 : tensor<3xf32>
}
