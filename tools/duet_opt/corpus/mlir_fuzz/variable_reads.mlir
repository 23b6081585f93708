func.func @variable_reads(%arg0: tensor<f32>) -> tensor<f32> {
  %0 = "duet.read_variable"() {var = 0 : i64} : () -> tensor<f32>
  "duet.assign_variable"(%arg0) {var = 0 : i64} : (tensor<f32>) -> ()
  %1 = "duet.read_variable"() {var = 0 : i64} : () -> tensor<f32>
  %2 = "duet.add"(%0, %1) : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %2 : tensor<f32>
}
